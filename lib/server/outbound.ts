import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import http from "node:http";
import https from "node:https";
import { BlockList, isIP } from "node:net";
import { Readable } from "node:stream";
import { getEnv } from "@/lib/server/env";
import { AppError } from "@/lib/server/errors";

/**
 * Requests to addresses an admin typed (a Keycloak source, an alert webhook) are server-side requests made on
 * someone's behalf, so where they may go is checked here, once (SSRF):
 * - never link-local (169.254.0.0/16, fe80::/10, where cloud metadata services answer) or unspecified
 *   addresses, whatever the settings;
 * - loopback, private (10/8, 172.16/12, 192.168/16, 100.64/10) and unique-local (fc00::/7) addresses only
 *   with REALMWATCH_ALLOW_PRIVATE_SOURCES=1, which a Keycloak on the same host or network needs (the demo sets it);
 * - every address a name resolves to is checked, inside the connection's own lookup, so the address checked is
 *   the address connected to (a name that resolves to a public address for the check and to 127.0.0.1 for the
 *   connection cannot slip through);
 * - redirects are never followed: a 3xx is answered as it is.
 */
export interface OutboundPolicy {
  allowPrivate: boolean;
}

/** The process's policy (REALMWATCH_ALLOW_PRIVATE_SOURCES). */
export function outboundPolicy(): OutboundPolicy {
  return { allowPrivate: getEnv().REALMWATCH_ALLOW_PRIVATE_SOURCES };
}

const ALWAYS_REFUSED = new BlockList();
ALWAYS_REFUSED.addSubnet("169.254.0.0", 16, "ipv4");
ALWAYS_REFUSED.addSubnet("0.0.0.0", 8, "ipv4");
ALWAYS_REFUSED.addSubnet("224.0.0.0", 3, "ipv4");
ALWAYS_REFUSED.addSubnet("fe80::", 10, "ipv6");
ALWAYS_REFUSED.addSubnet("ff00::", 8, "ipv6");
ALWAYS_REFUSED.addAddress("::", "ipv6");
ALWAYS_REFUSED.addAddress("fd00:ec2::254", "ipv6");

const PRIVATE = new BlockList();
PRIVATE.addSubnet("127.0.0.0", 8, "ipv4");
PRIVATE.addSubnet("10.0.0.0", 8, "ipv4");
PRIVATE.addSubnet("172.16.0.0", 12, "ipv4");
PRIVATE.addSubnet("192.168.0.0", 16, "ipv4");
PRIVATE.addSubnet("100.64.0.0", 10, "ipv4");
PRIVATE.addAddress("::1", "ipv6");
PRIVATE.addSubnet("fc00::", 7, "ipv6");

/** Why an address may not be reached, or null. IPv4-mapped IPv6 addresses are judged as the IPv4 they hold. */
export function refusedAddress(address: string, policy: OutboundPolicy): string | null {
  const mapped = address.match(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i)?.[1];
  const ip = mapped ?? address;
  const family = isIP(ip) === 6 ? "ipv6" : "ipv4";
  if (ALWAYS_REFUSED.check(ip, family)) return `${ip} is a link-local, metadata or unspecified address`;
  if (!policy.allowPrivate && PRIVATE.check(ip, family)) {
    return `${ip} is a loopback or private address (set REALMWATCH_ALLOW_PRIVATE_SOURCES=1 to allow them)`;
  }
  return null;
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/** A dns.lookup that refuses what the policy refuses: the connection uses only addresses that passed. */
function checkingLookup(policy: OutboundPolicy) {
  return (hostname: string, options: object, callback: LookupCallback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      const list = addresses as LookupAddress[];
      for (const a of list) {
        const why = refusedAddress(a.address, policy);
        if (why)
          return callback(
            Object.assign(new Error(`Refused: ${hostname} resolves to ${why}.`), {
              code: "EREFUSED_ADDRESS",
            }),
            [],
          );
      }
      if ((options as { all?: boolean }).all) return callback(null, list);
      const first = list[0];
      if (!first)
        return callback(Object.assign(new Error(`${hostname} has no address.`), { code: "ENOTFOUND" }), []);
      callback(null, first.address, first.family);
    });
  };
}

/**
 * A URL an admin gave, checked before it is saved: http(s) only, and every address it resolves to allowed. A
 * name that does not resolve yet is accepted (it may be made to later): every connection checks again.
 */
export async function checkOutboundUrl(raw: string, policy: OutboundPolicy): Promise<void> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppError("bad_request", "Not a URL.");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new AppError("bad_request", "Only http(s) URLs.");
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const addresses = isIP(host)
    ? [host]
    : await new Promise<string[]>((resolve, reject) =>
        dnsLookup(host, { all: true }, (err, list) =>
          err ? reject(err) : resolve(list.map((a) => a.address)),
        ),
      ).catch(() => [] as string[]);
  for (const address of addresses) {
    const why = refusedAddress(address, policy);
    if (why) throw new AppError("bad_request", `Refused: ${url.host} resolves to ${why}.`);
  }
}

/**
 * fetch for outbound requests to admin-given addresses: the same shape as fetch (so the Keycloak session can take
 * it), over node:http(s) with the checking lookup; redirects are never followed.
 */
export function outboundFetch(policy: OutboundPolicy): typeof fetch {
  const lookup = checkingLookup(policy);
  return (async (input: string | URL | Request, init: RequestInit = {}) => {
    const request = input instanceof Request ? input : null;
    const url = new URL(request ? request.url : String(input));
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new TypeError("Only http(s) URLs.");
    const host = url.hostname.replace(/^\[|\]$/g, "");
    if (isIP(host)) {
      const why = refusedAddress(host, policy);
      if (why) throw Object.assign(new Error(`Refused: ${why}.`), { code: "EREFUSED_ADDRESS" });
    }
    const method = init.method ?? request?.method ?? "GET";
    const headers = new Headers(init.headers ?? request?.headers);
    const body = init.body ?? (request ? await request.text() : undefined);
    const payload =
      body === undefined || body === null
        ? undefined
        : typeof body === "string"
          ? body
          : body instanceof URLSearchParams
            ? body.toString()
            : Buffer.from(await new Response(body as BodyInit).arrayBuffer());
    if (body instanceof URLSearchParams && !headers.has("content-type")) {
      headers.set("content-type", "application/x-www-form-urlencoded;charset=UTF-8");
    }
    const signal = init.signal ?? undefined;
    const transport = url.protocol === "https:" ? https : http;
    return await new Promise<Response>((resolve, reject) => {
      const req = transport.request(
        url,
        { method, headers: Object.fromEntries(headers), lookup: lookup as never, signal },
        (res) => {
          const out = new Headers();
          for (const [k, v] of Object.entries(res.headers)) {
            if (Array.isArray(v)) for (const one of v) out.append(k, one);
            else if (v !== undefined) out.set(k, v);
          }
          const status = res.statusCode ?? 0;
          const stream =
            status === 204 || status === 304 || method === "HEAD"
              ? null
              : (Readable.toWeb(res) as ReadableStream);
          if (!stream) res.resume();
          resolve(new Response(stream, { status, statusText: res.statusMessage, headers: out }));
        },
      );
      req.on("error", reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }) as typeof fetch;
}
