import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/dashboard/page-header";
import { buttonClass } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { currentAccount } from "@/lib/auth/current";

export const metadata: Metadata = { title: "Payment canceled" };

// Where Stripe Checkout returns a buyer who left without paying.
export default async function TopUpCanceledPage() {
  await currentAccount();
  return (
    <>
      <PageHeader title="Payment canceled" />
      <Card className="max-w-xl" data-testid="topup-canceled">
        <p className="font-medium">No payment was taken.</p>
        <p className="mt-1 text-sm text-neutral-600 dark:text-neutral-400">
          You left the payment page before paying, so your card was not charged and your balance is unchanged. You can top up
          again whenever you like.
        </p>
        <Link href="/billing" className={`${buttonClass("secondary")} mt-6`}>Back to billing</Link>
      </Card>
    </>
  );
}
