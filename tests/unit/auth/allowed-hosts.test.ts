import { describe, expect, it } from "vitest";
import { allowedHostsOf, checkHost } from "@/lib/auth/allowed-hosts";
import { parseEnv } from "@/lib/server/env";

const hosts = (env: Record<string, string>) => [...allowedHostsOf(parseEnv(env))].sort();

describe("allowedHostsOf", () => {
  it("the default loopback binding answers to the loopback names at its port only", () => {
    expect(hosts({ PORT: "3000" })).toEqual(["127.0.0.1:3000", "[::1]:3000", "localhost:3000"]);
  });

  it("adds the bound address (not a wildcard one), the public URL's host and the listed names", () => {
    expect(
      hosts({
        PORT: "3000",
        HOST: "0.0.0.0",
        REALMWATCH_PUBLIC_URL: "https://realmwatch.example.com/",
        REALMWATCH_ALLOWED_HOSTS: " rw.internal:3000 ,Other.Example ",
      }),
    ).toEqual([
      "127.0.0.1:3000",
      "[::1]:3000",
      "localhost:3000",
      "other.example",
      "realmwatch.example.com",
      "realmwatch.example.com:443",
      "rw.internal:3000",
    ]);
    expect(hosts({ PORT: "8080", HOST: "192.168.1.5" })).toContain("192.168.1.5:8080");
    expect(hosts({ PORT: "8080", HOST: "::1" })).toContain("[::1]:8080");
  });

  it("a public URL with a port is matched with that port only", () => {
    const set = hosts({ REALMWATCH_PUBLIC_URL: "http://localhost:8443" });
    expect(set).toContain("localhost:8443");
    expect(set).not.toContain("localhost");
  });
});

describe("checkHost", () => {
  const allowed = allowedHostsOf(parseEnv({ PORT: "3000" }));
  it("is case-insensitive and exact on the port", () => {
    expect(checkHost("LOCALHOST:3000", allowed).ok).toBe(true);
    expect(checkHost("localhost:3001", allowed).ok).toBe(false);
    expect(checkHost("localhost", allowed).ok).toBe(false);
    expect(checkHost("127.0.0.1.nip.io:3000", allowed).ok).toBe(false);
    expect(checkHost(null, allowed).ok).toBe(false);
  });
});
