"use client";

import { useState, useTransition } from "react";
import { toast } from "sonner";
import { saveAutoTopupAction } from "@/app/(dashboard)/billing/actions";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { FullTime } from "@/components/ui/when";

export type AutoTopupView = {
  threshold: string;
  amount: string;
  hasCard: boolean;
  pending: boolean;
  /** The last refused payment, while it pauses auto top-up. */
  refused: { reason: string; retryAfter: string } | null;
};

/** When a charge leaves available credit under the threshold, the saved card buys the amount, once. */
export function AutoTopUp({ initial, stripe }: { initial: AutoTopupView; stripe: boolean }) {
  const [threshold, setThreshold] = useState(initial.threshold);
  const [amount, setAmount] = useState(initial.amount);
  const [error, setError] = useState<string>();
  const [pending, startTransition] = useTransition();
  const input = "tabular h-9 w-28 rounded-md border border-neutral-300 bg-white px-2 text-sm dark:border-neutral-700 dark:bg-neutral-900";

  const save = (t: string, a: string) =>
    startTransition(async () => {
      const result = await saveAutoTopupAction(t, a);
      if ("error" in result) return setError(result.error);
      setError(undefined);
      toast.success(result.enabled ? "Auto top-up is on" : "Auto top-up is off");
    });

  return (
    <Card>
      <h2 className="font-semibold">Auto top-up</h2>
      <p className="mt-1 text-sm text-neutral-600 dark:text-neutral-400">
        {!stripe
          ? "Needs card payments, which are not set up on this server."
          : initial.hasCard
            ? "When a charge leaves your available credit below the threshold, your saved card is charged the amount — once, until that payment settles."
            : "Top up by card once to save a card for it."}
      </p>
      {initial.pending && <p className="mt-2 text-sm text-amber-700 dark:text-amber-400">A top-up payment is in progress.</p>}
      {initial.refused && (
        <p data-testid="auto-topup-refused" className="mt-2 text-sm text-red-700 dark:text-red-400">
          Your last auto top-up was refused: {initial.refused.reason} Auto top-up is paused until{" "}
          <FullTime iso={initial.refused.retryAfter} />, or until you save a new card (top up by card) or save these settings
          again.
        </p>
      )}
      <form
        className="mt-4 flex flex-wrap items-end gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          save(threshold, amount);
        }}
      >
        <label className="flex flex-col gap-1 text-sm">
          <span className="font-medium">When available falls below ($)</span>
          <input className={input} inputMode="decimal" value={threshold} onChange={(e) => setThreshold(e.target.value)} disabled={!stripe} />
        </label>
        <label className="flex flex-col gap-1 text-sm">
          <span className="font-medium">Add ($5–$1,000)</span>
          <input className={input} inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} disabled={!stripe} />
        </label>
        <Button type="submit" variant="secondary" disabled={!stripe || pending}>
          Save
        </Button>
        {(initial.threshold || initial.amount) && (
          <Button
            variant="ghost"
            disabled={!stripe || pending}
            onClick={() => {
              setThreshold("");
              setAmount("");
              save("", "");
            }}
          >
            Turn off
          </Button>
        )}
      </form>
      {error && (
        <p role="alert" className="mt-2 text-sm text-red-600 dark:text-red-400">
          {error}
        </p>
      )}
    </Card>
  );
}
