"use client";

import { useState, useTransition } from "react";
import { toast } from "sonner";
import { saveLowBalanceAction } from "@/app/(dashboard)/billing/actions";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";

/** The low-balance alert: below this much available credit after a charge, one email and one balance.low event. */
export function LowBalanceAlert({ initial }: { initial: string }) {
  const [threshold, setThreshold] = useState(initial);
  const [error, setError] = useState<string>();
  const [pending, startTransition] = useTransition();
  const save = (value: string) =>
    startTransition(async () => {
      const result = await saveLowBalanceAction(value);
      if ("error" in result) return setError(result.error);
      setError(undefined);
      toast.success(result.enabled ? "Low-balance alert is on" : "Low-balance alert is off");
    });
  return (
    <Card data-testid="low-balance-alert">
      <h2 className="font-semibold">Low-balance alert</h2>
      <p className="mt-1 text-sm text-neutral-600 dark:text-neutral-400">
        When a charge leaves your available credit below this amount, we email you and send a <code>balance.low</code> webhook event —
        once, and not again until your credit has been back above it.
      </p>
      <form
        className="mt-4 flex flex-wrap items-end gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          save(threshold);
        }}
      >
        <label className="flex flex-col gap-1 text-sm">
          <span className="font-medium">Alert below ($)</span>
          <input
            className="tabular h-9 w-28 rounded-md border border-neutral-300 bg-white px-2 text-sm dark:border-neutral-700 dark:bg-neutral-900"
            inputMode="decimal"
            value={threshold}
            onChange={(e) => setThreshold(e.target.value)}
            data-testid="low-balance-threshold"
          />
        </label>
        <Button type="submit" variant="secondary" disabled={pending} data-testid="save-low-balance">
          Save
        </Button>
        {initial && (
          <Button
            variant="ghost"
            disabled={pending}
            onClick={() => {
              setThreshold("");
              save("");
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
