import Link from "next/link";

export function Logo({ href = "/" }: { href?: string }) {
  return (
    <Link href={href} className="inline-flex items-center gap-2 rounded-md font-semibold tracking-tight focus-visible:outline-2 focus-visible:outline-accent-500">
      {/* eslint-disable-next-line @next/next/no-img-element -- a 24 px local SVG needs no optimisation */}
      <img src="/easel.svg" alt="" width={24} height={24} />
      <span>Easel</span>
    </Link>
  );
}
