"use client";

import type { KeyForm } from "@/app/(dashboard)/keys/actions";
import { Field } from "@/components/ui/field";

const select = "block h-10 rounded-md border border-neutral-300 bg-white px-2 text-sm dark:border-neutral-700 dark:bg-neutral-900";

/** The fields a key is made and edited with: name, spend limit and its period, scopes (and, when new, expiry). */
export function KeyFields({ form, onChange, withExpiry }: { form: KeyForm; onChange: (form: KeyForm) => void; withExpiry?: boolean }) {
  const toggle = (scope: "generate" | "read", on: boolean) =>
    onChange({ ...form, scopes: on ? [...new Set([...form.scopes, scope])] : form.scopes.filter((s) => s !== scope) });
  return (
    <div className="grid gap-3 sm:grid-cols-2">
      <Field label={withExpiry ? "New key name" : "Name"} placeholder="e.g. production server" value={form.name} onChange={(e) => onChange({ ...form, name: e.target.value })} maxLength={64} data-testid="key-name" />
      <div className="flex items-end gap-2">
        <div className="flex-1">
          <Field
            label="Spend limit ($, optional)"
            inputMode="decimal"
            placeholder="no limit"
            value={form.limitUsd}
            onChange={(e) => onChange({ ...form, limitUsd: e.target.value })}
            data-testid="key-limit"
          />
        </div>
        <label className="flex flex-col gap-1.5 text-sm font-medium text-neutral-800 dark:text-neutral-200">
          Per
          <select className={select} value={form.period} onChange={(e) => onChange({ ...form, period: e.target.value as KeyForm["period"] })} data-testid="key-period">
            <option value="day">day (UTC)</option>
            <option value="month">month (UTC)</option>
            <option value="total">in all</option>
          </select>
        </label>
      </div>
      <fieldset className="flex flex-wrap items-center gap-4 text-sm">
        <legend className="mb-1.5 font-medium text-neutral-800 dark:text-neutral-200">Scopes</legend>
        <label className="flex items-center gap-2">
          <input type="checkbox" checked={form.scopes.includes("generate")} onChange={(e) => toggle("generate", e.target.checked)} data-testid="scope-generate" />
          generate <span className="text-muted">(create jobs, uploads)</span>
        </label>
        <label className="flex items-center gap-2">
          <input type="checkbox" checked={form.scopes.includes("read")} onChange={(e) => toggle("read", e.target.checked)} data-testid="scope-read" />
          read
        </label>
      </fieldset>
      {withExpiry && (
        <Field label="Expires on (optional, UTC)" type="date" value={form.expiresOn ?? ""} onChange={(e) => onChange({ ...form, expiresOn: e.target.value })} data-testid="key-expiry" />
      )}
    </div>
  );
}
