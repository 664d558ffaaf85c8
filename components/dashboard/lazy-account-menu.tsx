"use client";
// The account menu, loaded after the page: its menu primitive (positioning, focus handling) is
// about 20 kB that no page needs before someone opens the menu. Until it arrives, the same
// trigger is shown, inert.
import { ChevronDown } from "lucide-react";
import { lazy, Suspense } from "react";
import { buttonClass } from "@/components/ui/button";

const AccountMenu = lazy(() => import("./account-menu").then((module) => ({ default: module.AccountMenu })));

function Placeholder({ email }: { email: string }) {
  return (
    <button type="button" disabled className={`${buttonClass("ghost", "sm")} min-w-0 max-w-40`} aria-label="Account menu">
      <span className="hidden truncate md:inline">{email}</span>
      <span className="md:hidden">Account</span>
      <ChevronDown className="size-4 shrink-0" aria-hidden />
    </button>
  );
}

export function LazyAccountMenu({ email }: { email: string }) {
  return (
    <Suspense fallback={<Placeholder email={email} />}>
      <AccountMenu email={email} />
    </Suspense>
  );
}
