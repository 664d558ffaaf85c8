import type { HTMLAttributes } from "react";

/** A bordered surface. `flush` drops the padding, for tables that reach the edges. */
export function Card({ className = "", flush = false, ...props }: HTMLAttributes<HTMLDivElement> & { flush?: boolean }) {
  return (
    <div
      className={`rounded-xl border border-neutral-200 bg-white shadow-sm dark:border-neutral-800 dark:bg-neutral-900 ${flush ? "" : "p-6"} ${className}`}
      {...props}
    />
  );
}
