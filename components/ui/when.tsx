"use client";

import { useSyncExternalStore } from "react";

// Dates (and clocks) depend on the reader's time zone, locale and the very second they render,
// none of which the server knows: the server renders a neutral placeholder and the browser
// fills the value in after hydration (useSyncExternalStore's server snapshot), so the two
// renders never disagree.
const subscribe = () => () => {};
/** False on the server and during hydration, true afterwards. */
export const useInBrowser = () => useSyncExternalStore(subscribe, () => true, () => false);

const full = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });
const shortDate = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric" });
const shortDateYear = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric", year: "numeric" });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto", style: "short" });

/** "just now", "5 min. ago", "3 hr. ago", then "Jun 3" (with the year when it is not this year). */
export function shortWhen(date: Date, now = new Date()): string {
  const seconds = Math.round((now.getTime() - date.getTime()) / 1000);
  if (seconds < 45) return "just now";
  if (seconds < 3600) return relative.format(-Math.round(seconds / 60), "minute");
  if (seconds < 86_400) return relative.format(-Math.round(seconds / 3600), "hour");
  return (date.getFullYear() === now.getFullYear() ? shortDate : shortDateYear).format(date);
}

/** A short, relative date (the full one on hover), for tiles. */
export function ShortTime({ iso, className = "" }: { iso: string; className?: string }) {
  const inBrowser = useInBrowser();
  const date = new Date(iso);
  return (
    <time dateTime={iso} title={inBrowser ? full.format(date) : undefined} className={className}>
      {inBrowser ? shortWhen(date) : "\u00a0"}
    </time>
  );
}

/** A full date and time, for the job's timeline; "—" for a step that has not happened. */
export function FullTime({ iso }: { iso: string | null }) {
  const inBrowser = useInBrowser();
  if (!iso) return <span className="text-muted">—</span>;
  return <time dateTime={iso}>{inBrowser ? full.format(new Date(iso)) : "\u00a0"}</time>;
}
