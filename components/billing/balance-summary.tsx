"use client";

import { useQuery } from "@tanstack/react-query";
import { Card } from "@/components/ui/card";
import { balanceQuery } from "@/lib/queries/balance";
import { formatUsdNumber } from "@/lib/money";

/** Balance, held and available, each with what it means; live from /v1/balance. */
export function BalanceSummary() {
  const { data } = useQuery(balanceQuery);
  if (!data) return null;
  const figures = [
    { id: "balance", label: "Balance", value: data.balance, note: "your prepaid credit" },
    { id: "held", label: "Held", value: data.held, note: "reserved for jobs still running" },
    { id: "available", label: "Available", value: data.available, note: "what new jobs can use" },
  ];
  return (
    <div className="grid gap-4 sm:grid-cols-3">
      {figures.map((figure) => (
        <Card key={figure.id}>
          <p className="text-sm text-muted">{figure.label}</p>
          <p className="tabular mt-1 text-2xl font-semibold" data-testid={`billing-${figure.id}`} data-usd={figure.value}>
            {formatUsdNumber(figure.value)}
          </p>
          <p className="mt-1 text-xs text-muted">{figure.note}</p>
        </Card>
      ))}
    </div>
  );
}
