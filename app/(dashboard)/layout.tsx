import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { DashboardHeader } from "@/components/dashboard/header";
import { currentAccount } from "@/lib/auth/current";
import { getBalance } from "@/lib/billing/balance";
import { balanceJson } from "@/lib/billing/present";
import { balanceQuery } from "@/lib/queries/balance";
import { makeQueryClient } from "@/lib/queries/client";

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const me = await currentAccount();
  // The header's balance is in the first paint; the browser keeps it fresh from /v1/balance.
  const queryClient = makeQueryClient();
  const balance = await getBalance({ accountId: me.accountId });
  if (balance) queryClient.setQueryData(balanceQuery.queryKey, balanceJson(balance));
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <DashboardHeader email={me.email} />
      <main className="mx-auto max-w-6xl px-4 py-8 sm:px-6">{children}</main>
    </HydrationBoundary>
  );
}
