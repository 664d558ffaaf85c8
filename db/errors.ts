/**
 * True when `error` (or what it wraps: drizzle wraps driver errors in `cause`) is Postgres's
 * unique_violation on `constraint`. postgres.js names it `constraint_name`, PGlite `constraint`.
 */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  for (let current = error; current instanceof Error || isRecord(current); current = (current as { cause?: unknown }).cause) {
    const fields = current as { code?: unknown; constraint_name?: unknown; constraint?: unknown };
    if (fields.code === "23505" && (fields.constraint_name === constraint || fields.constraint === constraint)) return true;
    if (!("cause" in (current as object))) break;
  }
  return false;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}
