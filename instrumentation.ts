// Runs once when a Next.js server starts: opens the database (applying migrations), checks the
// secret and starts the in-process worker — or, if any of that fails, says why and exits.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startServerOrExit } = await import("./lib/server/start");
  await startServerOrExit();
}
