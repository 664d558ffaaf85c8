import { Logo } from "@/components/logo";
import { LazyAccountMenu } from "./lazy-account-menu";
import { BalanceBadge } from "./balance-badge";
import { DashboardNav } from "./nav";

export function DashboardHeader({ email }: { email: string }) {
  return (
    <header className="border-b border-neutral-200 bg-white dark:border-neutral-800 dark:bg-neutral-900">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-3 px-4 py-3 sm:px-6">
        <Logo href="/compose" />
        <div className="order-last w-full sm:order-none sm:w-auto sm:flex-1">
          <DashboardNav />
        </div>
        <div className="ml-auto flex items-center gap-3 sm:ml-0">
          <BalanceBadge />
          <LazyAccountMenu email={email} />
        </div>
      </div>
    </header>
  );
}
