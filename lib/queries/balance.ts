import { queryOptions } from "@tanstack/react-query";
import { apiClient, unwrap, type Schemas } from "./api-client";

export type BalanceObject = Schemas["Balance"];

/** The signed-in account's balance; fresh on focus and every 15 s. */
export const balanceQuery = queryOptions({
  queryKey: ["balance"],
  queryFn: () => unwrap(apiClient.GET("/v1/balance")),
  refetchInterval: 15_000,
});
