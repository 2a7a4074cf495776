import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkOutboundUrl, outboundFetch, refusedAddress } from "@/lib/server/outbound";

const strict = { allowPrivate: false };
const relaxed = { allowPrivate: true };

let server: http.Server;
let port = 0;
beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === "/redirect") {
      res.writeHead(302, { location: "http://169.254.169.254/latest/meta-data/" }).end();
      return;
    }
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () =>
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ got: body })),
    );
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe("outbound address policy (SSRF)", () => {
  it("never reaches link-local, metadata or unspecified addresses, whatever the setting", () => {
    for (const ip of [
      "169.254.169.254",
      "169.254.0.1",
      "fe80::1",
      "fd00:ec2::254",
      "0.0.0.0",
      "::",
      "::ffff:169.254.169.254",
    ]) {
      expect(refusedAddress(ip, relaxed), ip).toMatch(/link-local|metadata|unspecified/);
    }
  });

  it("reaches loopback, private and unique-local addresses only when allowed", () => {
    for (const ip of [
      "127.0.0.1",
      "10.1.2.3",
      "172.20.0.5",
      "192.168.1.1",
      "100.64.0.1",
      "::1",
      "fd12::1",
      "::ffff:10.0.0.1",
    ]) {
      expect(refusedAddress(ip, strict), ip).toMatch(/REALMWATCH_ALLOW_PRIVATE_SOURCES/);
      expect(refusedAddress(ip, relaxed), ip).toBeNull();
    }
    for (const ip of ["203.0.113.9", "2001:db8::1", "8.8.8.8"])
      expect(refusedAddress(ip, strict), ip).toBeNull();
  });

  it("checks URLs before they are saved, decimal and bracketed forms included", async () => {
    await expect(checkOutboundUrl("http://2130706433:8080/", strict)).rejects.toMatchObject({
      code: "bad_request",
    });
    await expect(checkOutboundUrl("http://[::1]:8080/", strict)).rejects.toThrow(/loopback or private/);
    await expect(checkOutboundUrl("http://169.254.169.254/", relaxed)).rejects.toThrow(/link-local/);
    await expect(checkOutboundUrl("http://localhost:8080/", strict)).rejects.toThrow(/loopback or private/);
    await expect(checkOutboundUrl("file:///etc/passwd", relaxed)).rejects.toThrow(/http\(s\)/);
    await expect(checkOutboundUrl("http://localhost:8080/", relaxed)).resolves.toBeUndefined();
  });

  it("refuses at connect time a name that resolves to a refused address", async () => {
    const get = outboundFetch(strict);
    await expect(get(`http://localhost:${port}/`)).rejects.toThrow(/loopback or private/);
    await expect(get(`http://127.0.0.1:${port}/`)).rejects.toThrow(/loopback or private/);
  });

  it("sends and reads like fetch when allowed, and never follows a redirect", async () => {
    const post = outboundFetch(relaxed);
    const res = await post(`http://localhost:${port}/x`, {
      method: "POST",
      body: new URLSearchParams({ grant_type: "client_credentials" }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ got: "grant_type=client_credentials" });
    const redirect = await post(`http://127.0.0.1:${port}/redirect`);
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get("location")).toContain("169.254.169.254");
  });
});
