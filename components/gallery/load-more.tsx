"use client";

import { Loader2 } from "lucide-react";
import { useEffect, useRef } from "react";
import { Button } from "@/components/ui/button";

/**
 * The end of the grid: a sentinel that fetches the next page as it scrolls into view, a
 * "Load more" button for keyboards (and browsers without IntersectionObserver), and a plain end.
 */
export function LoadMore({ hasMore, loading, onLoad }: { hasMore: boolean; loading: boolean; onLoad: () => void }) {
  const sentinel = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const element = sentinel.current;
    if (!element || !hasMore || loading || typeof IntersectionObserver === "undefined") return;
    // A new observer reports the current intersection at once, so a sentinel still in view after
    // a short page fetches the next one too.
    const observer = new IntersectionObserver((entries) => entries.some((entry) => entry.isIntersecting) && onLoad(), {
      rootMargin: "600px 0px",
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [hasMore, loading, onLoad]);

  if (!hasMore) {
    return (
      <p className="py-8 text-center text-sm text-muted" data-testid="gallery-end">
        You&rsquo;ve reached the beginning — that was your first job.
      </p>
    );
  }
  return (
    <div ref={sentinel} className="flex justify-center py-8">
      <Button variant="secondary" onClick={onLoad} disabled={loading} data-testid="gallery-load-more">
        {loading && <Loader2 className="size-4 animate-spin" aria-hidden />}
        {loading ? "Loading…" : "Load more"}
      </Button>
    </div>
  );
}
