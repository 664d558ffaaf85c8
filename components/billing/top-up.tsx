"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { addTestCreditAction, startCheckoutAction } from "@/app/(dashboard)/billing/actions";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { refreshAfterMoney } from "@/lib/queries/jobs";

const PRESETS = ["10", "25", "50", "100"];

/**
 * Adding credit: a Stripe Checkout when card payments are set up; otherwise — in development,
 * or where an operator allows it — clearly labelled test credit, so a fresh install can try
 * the whole flow; otherwise a plain statement that top-ups are off.
 */
export function TopUp({ mode }: { mode: "stripe" | "test" | "off" }) {
  const [amount, setAmount] = useState("25");
  const [error, setError] = useState<string>();
  const [pending, startTransition] = useTransition();
  const queryClient = useQueryClient();

  const go = () =>
    startTransition(async () => {
      setError(undefined);
      if (mode === "stripe") {
        const result = await startCheckoutAction(amount);
        if ("error" in result) return setError(result.error);
        window.location.assign(result.url);
        return;
      }
      const result = await addTestCreditAction(amount);
      if ("error" in result) return setError(result.error);
      toast.success(`${result.creditedUsd} of test credit added`);
      refreshAfterMoney(queryClient);
    });

  return (
    <Card>
      <h2 className="font-semibold">Add credit</h2>
      {mode === "off" ? (
        <p className="mt-2 text-sm text-neutral-600 dark:text-neutral-400">Card payments are not set up on this server. Ask its operator for credit.</p>
      ) : (
        <>
          <p className="mt-1 text-sm text-neutral-600 dark:text-neutral-400">
            {mode === "stripe" ? "Pay by card with Stripe; the credit appears as soon as Stripe confirms the payment." : "Test credit: no payment is taken, and it does not count toward your tier. Available only in development."}
          </p>
          <div className="mt-4 flex flex-wrap items-end gap-2" role="group" aria-label="Amount">
            {PRESETS.map((preset) => (
              <Button key={preset} variant={amount === preset ? "primary" : "secondary"} size="sm" onClick={() => setAmount(preset)} aria-pressed={amount === preset}>
                ${preset}
              </Button>
            ))}
            <label className="flex items-center gap-1 text-sm">
              <span className="text-muted">$</span>
              <span className="sr-only">Custom amount in US dollars</span>
              <input
                inputMode="decimal"
                value={amount}
                onChange={(e) => setAmount(e.target.value)}
                className="tabular h-8 w-24 rounded-md border border-neutral-300 bg-white px-2 dark:border-neutral-700 dark:bg-neutral-900"
                data-testid="topup-amount"
              />
            </label>
            <Button onClick={go} disabled={pending} data-testid={mode === "stripe" ? "checkout-button" : "test-credit-button"}>
              {pending ? "Working…" : mode === "stripe" ? "Continue to payment" : "Add test credit"}
            </Button>
          </div>
          <p className="mt-2 text-xs text-muted">From $5 to $1,000.</p>
          {error && (
            <p role="alert" className="mt-2 text-sm text-red-600 dark:text-red-400" data-testid="topup-error">
              {error}
            </p>
          )}
        </>
      )}
    </Card>
  );
}
