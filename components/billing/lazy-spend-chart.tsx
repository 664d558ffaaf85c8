"use client";

import dynamic from "next/dynamic";

/** recharts is large: the chart loads after the rest of the page, which does not wait for it. */
export const LazySpendChart = dynamic(() => import("./spend-chart"), {
  ssr: false,
  loading: () => <div className="h-80 animate-pulse rounded-xl border border-neutral-200 bg-white dark:border-neutral-800 dark:bg-neutral-900" />,
});
