// Runs once when a Next.js server starts: installs the request intake (each request's socket
// address recorded, absolute URLs in the request line refused), opens the database (applying
// migrations), checks the secret and starts the in-process worker — or, if any of that fails,
// says why and exits.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { installRequestIntake } = await import("./lib/server/request-intake");
  installRequestIntake();
  const { startServerOrExit } = await import("./lib/server/start");
  await startServerOrExit();
}
