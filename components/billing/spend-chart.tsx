"use client";

import { useQuery } from "@tanstack/react-query";
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { Card } from "@/components/ui/card";
import { usageQuery } from "@/lib/queries/billing";
import { formatUsdNumber } from "@/lib/money";

// A calm palette: one hue family per model, in the order they first appear.
const COLORS = ["#3b6cf6", "#0ea5e9", "#14b8a6", "#a855f7", "#f59e0b", "#ef4444", "#64748b", "#84cc16"];

/** Spend per day by model (stacked bars) and the balance at each day's end (line), last 30 days. */
export default function SpendChart() {
  const { data } = useQuery(usageQuery);
  const days = data?.days ?? [];
  const models = [...new Set(days.flatMap((day) => Object.keys(day.spend)))];
  const rows = days.map((day) => ({ date: day.date.slice(5), balance: day.balance_end, ...day.spend }));
  const spent = days.reduce((sum, day) => sum + Math.round(day.spend_total * 1e6), 0) / 1e6;

  return (
    <Card data-testid="spend-chart" data-balance-end={days.at(-1)?.balance_end ?? ""} data-spend-total={spent}>
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 className="font-semibold">Spend, last 30 days</h2>
        <p className="tabular text-sm text-muted">{formatUsdNumber(spent)} charged</p>
      </div>
      <div className="mt-4 h-64 text-neutral-800 dark:text-neutral-200" role="img" aria-label={`Daily spend by model over the last 30 days, ${formatUsdNumber(spent)} in all, and the balance at the end of each day.`}>
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart data={rows} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.1} vertical={false} />
            <XAxis dataKey="date" tick={{ fontSize: 11 }} interval="preserveStartEnd" />
            <YAxis yAxisId="spend" tick={{ fontSize: 11 }} tickFormatter={(v: number) => formatUsdNumber(v)} width={48} />
            <YAxis yAxisId="balance" orientation="right" tick={{ fontSize: 11 }} tickFormatter={(v: number) => formatUsdNumber(v)} width={48} />
            <Tooltip formatter={(value) => formatUsdNumber(Number(value))} />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            {models.map((model, i) => (
              <Bar key={model} yAxisId="spend" dataKey={model} stackId="spend" fill={COLORS[i % COLORS.length]} name={model} />
            ))}
            <Line yAxisId="balance" dataKey="balance" name="Balance at day's end" stroke="currentColor" strokeWidth={1.5} dot={false} type="stepAfter" />
          </ComposedChart>
        </ResponsiveContainer>
      </div>
    </Card>
  );
}
