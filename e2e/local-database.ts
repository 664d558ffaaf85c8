// End-to-end tests create users and jobs freely: they must never run against a database that is
// not on this machine. Shared by the server script and the global setup.
const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "::1", "[::1]", ""]);

export function assertLocalDatabase(url = process.env.DATABASE_URL): void {
  if (!url) return; // PGlite, in a temporary directory
  const host = new URL(url).hostname;
  if (!LOCAL_HOSTS.has(host)) throw new Error(`Refusing to run end-to-end tests against ${host}: DATABASE_URL must be local.`);
}

export const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);
