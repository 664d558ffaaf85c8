import { queryOptions } from "@tanstack/react-query";
import type { BalanceObject } from "@/lib/billing/present";
import { apiFetch } from "./api-client";

/** The signed-in account's balance; fresh on focus and every 15 s. */
export const balanceQuery = queryOptions({
  queryKey: ["balance"],
  queryFn: () => apiFetch<BalanceObject>("/v1/balance"),
  refetchInterval: 15_000,
});
