import net from "node:net";
import postgres from "postgres";
import { getEnv } from "@/lib/server/env";

/**
 * The postgres.js client for bulk writes (COPY) and analytics SQL. One per process, created here only.
 * Values are always bound through tagged templates; never build SQL text from input.
 */
let client: postgres.Sql | undefined;

export function getSql(): postgres.Sql {
  if (client) return client;
  const url = getEnv().DATABASE_URL;
  if (!url)
    throw new Error("DATABASE_URL is not set: start realmwatch with `npm start`, which provides one.");
  client = createSql(url);
  return client;
}

export function createSql(url: string, max = 10): postgres.Sql {
  const options = {
    max,
    onnotice: () => {},
    connection: { application_name: "realmwatch" },
    // bigint counts come back as strings by default; realmwatch's counts fit in a JS number.
    types: { bigint: postgres.BigInt },
    transform: { undefined: null },
  };
  // `socket` is a documented option of postgres.js that its types leave out.
  return postgres(url, Object.assign(options, { socket: noDelaySocketFactory() }));
}

export async function closeSql(): Promise<void> {
  const c = client;
  client = undefined;
  await c?.end({ timeout: 5 });
}

/**
 * postgres.js leaves Nagle's algorithm on its sockets; a transaction that ends with small writes (COPY data, then
 * CopyDone, then COMMIT) then waits for the server's delayed ACK, about 40 ms each time (measured: a one-row
 * write took 110 ms, 15 ms without). So the socket is opened here, with TCP_NODELAY, and handed over connected
 * (postgres.js then does TLS and the start-up itself). It carries `host` as postgres.js's own sockets do, since
 * TLS takes the server name to verify from it. Hosts of a multi-host URL are tried in turn, one per attempt.
 */
export function noDelaySocketFactory(): (options: SocketOptions) => Promise<net.Socket> {
  let next = 0;
  return (options) =>
    new Promise((resolve, reject) => {
      const i = next++ % Math.max(1, options.host.length);
      const host = options.host[i] ?? "localhost";
      const port = options.port[i] ?? options.port[0] ?? 5432;
      const socket = options.path ? net.connect(options.path) : net.connect(port, host);
      socket.setNoDelay(true);
      Object.assign(socket, options.path ? {} : { host, port });
      const timer = setTimeout(
        () => {
          socket.destroy();
          reject(Object.assign(new Error("connect timeout"), { code: "CONNECT_TIMEOUT" }));
        },
        (options.connect_timeout ?? 30) * 1000,
      );
      socket.once("connect", () => {
        clearTimeout(timer);
        socket.off("error", reject);
        resolve(socket);
      });
      socket.once("error", (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
}

interface SocketOptions {
  host: string[];
  port: number[];
  path?: string | false;
  connect_timeout?: number;
}
