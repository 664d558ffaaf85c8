import "server-only";
import type { ProviderId } from "@/lib/catalog";
import type { ImageProvider } from "./types";

/** The environment an upstream reads its key and base URL from (process.env, or a test's). */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * An upstream as the registry sees it: which variables turn it on, whether they are set, and
 * how to make its adapter. Each adapter file exports one of these.
 */
export type Upstream = {
  readonly id: Exclude<ProviderId, "local">;
  /** Shown to operators: "fal (queue API)". */
  readonly name: string;
  /** Every variable it reads, the required ones first. */
  readonly variables: readonly string[];
  /** Undefined when enabled; otherwise why not ("FAL_KEY is not set"). */
  disabledReason(env: Env): string | undefined;
  create(env: Env): ImageProvider;
};

/** The usual rule: enabled when every one of `required` is set. */
export function requireVariables(env: Env, required: readonly string[]): string | undefined {
  const missing = required.filter((name) => !env[name]?.trim());
  if (missing.length === 0) return undefined;
  return `${missing.join(" and ")} ${missing.length === 1 ? "is" : "are"} not set`;
}

/** A base URL from the environment without its trailing slash, or the upstream's default. */
export function baseUrl(env: Env, variable: string, fallback: string): string {
  return (env[variable]?.trim() || fallback).replace(/\/+$/, "");
}
