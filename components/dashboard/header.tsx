import { Logo } from "@/components/logo";
import { LazyAccountMenu } from "./lazy-account-menu";
import { BalanceBadge } from "./balance-badge";
import { DashboardNav } from "./nav";

export function DashboardHeader({ email }: { email: string }) {
  return (
    <header className="border-b border-neutral-200 bg-white dark:border-neutral-800 dark:bg-neutral-900">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-3 px-4 py-3 sm:px-6">
        <Logo href="/compose" />
        {/* The links never shrink out of sight: on one row with the account from lg, under it before. */}
        <div className="order-last w-full lg:order-none lg:w-auto lg:flex-none">
          <DashboardNav />
        </div>
        <div className="ml-auto flex min-w-0 items-center gap-3">
          <BalanceBadge />
          <LazyAccountMenu email={email} />
        </div>
      </div>
    </header>
  );
}
