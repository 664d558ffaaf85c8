import type { Metadata } from "next";
import Link from "next/link";
import { CircleCheck } from "lucide-react";
import { PageHeader } from "@/components/dashboard/page-header";
import { buttonClass } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { currentAccount } from "@/lib/auth/current";
import { getBalance } from "@/lib/billing/balance";
import { formatUsd } from "@/lib/money";

export const metadata: Metadata = { title: "Payment received" };

// Where Stripe Checkout returns the buyer. The credit is added by the webhook, not by this
// page (a redirect proves nothing), so the page says so and shows the balance as it is now.
export default async function TopUpSuccessPage() {
  const me = await currentAccount();
  const balance = (await getBalance({ accountId: me.accountId }))!;
  return (
    <>
      <PageHeader title="Payment received" />
      <Card className="max-w-xl" data-testid="topup-success">
        <div className="flex items-start gap-3">
          <CircleCheck className="mt-0.5 size-5 shrink-0 text-accent-600" aria-hidden />
          <div>
            <p className="font-medium">Payment received — your credit appears as soon as Stripe confirms it.</p>
            <p className="mt-1 text-sm text-neutral-600 dark:text-neutral-400">
              That usually takes a few seconds. If the new credit is not in the balance below yet, refresh in a moment.
            </p>
          </div>
        </div>
        <div className="mt-6 grid grid-cols-2 gap-4 border-t border-neutral-200 pt-4 dark:border-neutral-800">
          <div>
            <p className="text-sm text-muted">Balance</p>
            <p className="tabular mt-1 text-xl font-semibold" data-testid="topup-success-balance">{formatUsd(balance.balanceMicros)}</p>
            <p className="mt-1 text-xs text-muted">your prepaid credit</p>
          </div>
          <div>
            <p className="text-sm text-muted">Available</p>
            <p className="tabular mt-1 text-xl font-semibold">{formatUsd(balance.availableMicros)}</p>
            <p className="mt-1 text-xs text-muted">what new jobs can use</p>
          </div>
        </div>
        <Link href="/billing" className={`${buttonClass("secondary")} mt-6`}>Back to billing</Link>
      </Card>
    </>
  );
}
