import { QueryClient } from "@tanstack/react-query";

/** One QueryClient per request on the server, one per tab in the browser. */
export function makeQueryClient() {
  return new QueryClient({ defaultOptions: { queries: { staleTime: 10_000 } } });
}
