import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // The container image (Dockerfile) builds a standalone server; `next start` needs the default.
  output: process.env.NEXT_OUTPUT === "standalone" ? "standalone" : undefined,
  // Native or WASM packages that must be loaded by Node at run time, never bundled:
  // PGlite opens its data directory lazily and must not be touched by `next build`.
  // rate-limiter-flexible imports drizzle-orm at run time, so both stay external (one copy).
  serverExternalPackages: ["@electric-sql/pglite", "postgres", "pino", "sharp", "drizzle-orm", "rate-limiter-flexible", "ioredis", "@aws-sdk/client-s3", "@aws-sdk/s3-request-presigner"],
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
