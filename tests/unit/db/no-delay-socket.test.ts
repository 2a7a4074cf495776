import net from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { noDelaySocketFactory } from "@/lib/db/sql";

let server: net.Server;
let port: number;
const accepted: net.Socket[] = [];

beforeAll(async () => {
  server = net.createServer((s) => accepted.push(s));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as net.AddressInfo).port;
});
afterAll(async () => {
  for (const s of accepted) s.destroy();
  await new Promise((r) => server.close(r));
});

it("hands postgres.js a connected socket that names its host, as TLS needs for the server name", async () => {
  const open = noDelaySocketFactory();
  const socket = await open({ host: ["127.0.0.1"], port: [port] });
  expect(socket.remoteAddress).toBe("127.0.0.1");
  expect(socket.remotePort).toBe(port);
  expect((socket as net.Socket & { host?: string }).host).toBe("127.0.0.1");
  socket.destroy();
});

it("tries the hosts of a multi-host URL in turn, so a down host does not block the next attempt", async () => {
  const open = noDelaySocketFactory();
  // Port 1 on this machine refuses at once.
  const options = { host: ["127.0.0.1", "127.0.0.1"], port: [1, port] };
  await expect(open(options)).rejects.toMatchObject({ code: "ECONNREFUSED" });
  const socket = await open(options);
  expect(socket.remotePort).toBe(port);
  socket.destroy();
});
