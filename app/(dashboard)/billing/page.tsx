import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { ActiveHolds } from "@/components/billing/active-holds";
import { AutoTopUp } from "@/components/billing/auto-top-up";
import { BalanceSummary } from "@/components/billing/balance-summary";
import { LazySpendChart } from "@/components/billing/lazy-spend-chart";
import { LedgerTable } from "@/components/billing/ledger-table";
import { LowBalanceAlert } from "@/components/billing/low-balance-alert";
import { TierCard } from "@/components/billing/tier-card";
import { TopUp } from "@/components/billing/top-up";
import { PageHeader } from "@/components/dashboard/page-header";
import { currentAccount } from "@/lib/auth/current";
import { getAutoTopup } from "@/lib/billing/auto-topup";
import { getBalance } from "@/lib/billing/balance";
import { statementPage } from "@/lib/billing/statement";
import { ledgerEntryJson } from "@/lib/billing/statement-present";
import { stripeConfigured } from "@/lib/billing/stripe/client";
import { testCreditAllowedHere } from "@/lib/billing/test-credit";
import { dailyUsage, usageJson } from "@/lib/billing/usage";
import { microsToDecimal } from "@/lib/money";
import { ledgerQuery, usageQuery } from "@/lib/queries/billing";
import { makeQueryClient } from "@/lib/queries/client";

export const metadata: Metadata = { title: "Billing" };

export default async function BillingPage() {
  const me = await currentAccount();
  const stripe = stripeConfigured();
  const mode = stripe ? "stripe" : testCreditAllowedHere() ? "test" : "off";

  // First paint has the ledger and the chart; the browser keeps them fresh from /v1.
  const queryClient = makeQueryClient();
  const [page, usage, autoTopup, balance] = await Promise.all([
    statementPage({ accountId: me.accountId, limit: 50 }),
    dailyUsage({ accountId: me.accountId, days: 30 }),
    getAutoTopup({ accountId: me.accountId }),
    getBalance({ accountId: me.accountId }),
  ]);
  queryClient.setQueryData(ledgerQuery({}).queryKey, {
    pages: [{ object: "list" as const, data: page.lines.map(ledgerEntryJson), has_more: page.nextCursor !== null, next_cursor: page.nextCursor }],
    pageParams: [null],
  });
  queryClient.setQueryData(usageQuery.queryKey, usageJson(usage));

  return (
    <>
      <PageHeader title="Billing" description="Prepaid credit: held when a job is accepted, charged for the images delivered, released when it fails." />
      <HydrationBoundary state={dehydrate(queryClient)}>
        <div className="space-y-6">
          <BalanceSummary />
          <div className="grid gap-6 lg:grid-cols-2">
            <TopUp mode={mode} />
            <TierCard />
          </div>
          <ActiveHolds />
          <LazySpendChart />
          <LedgerTable />
          <LowBalanceAlert initial={balance?.lowBalanceThresholdMicros != null ? microsToDecimal(balance.lowBalanceThresholdMicros) : ""} />
          <AutoTopUp
            stripe={stripe}
            initial={{
              threshold: autoTopup?.thresholdMicros != null ? microsToDecimal(autoTopup.thresholdMicros) : "",
              amount: autoTopup?.amountMicros != null ? microsToDecimal(autoTopup.amountMicros) : "",
              hasCard: autoTopup?.paymentMethodSaved ?? false,
              pending: autoTopup?.pendingIntentId != null,
              refused: autoTopup?.refused
                ? { reason: autoTopup.refused.reason, retryAfter: autoTopup.refused.retryAfter.toISOString() }
                : null,
            }}
          />
        </div>
      </HydrationBoundary>
    </>
  );
}
