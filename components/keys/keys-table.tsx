"use client";

import * as AlertDialog from "@radix-ui/react-alert-dialog";
import * as Dialog from "@radix-ui/react-dialog";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { revokeKeyAction, updateKeyAction, type KeyForm } from "@/app/(dashboard)/keys/actions";
import { Button, buttonClass } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { FullTime, ShortTime } from "@/components/ui/when";
import type { ApiKeyObject } from "@/lib/keys/schemas";
import { KeyFields } from "./key-fields";
import { KeySpend } from "./key-spend";

export type KeyRow = {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  scopes: ApiKeyObject["scopes"];
  expiresAt: string | null;
  spendLimit: ApiKeyObject["spend_limit"];
};

export function KeysTable({ keys }: { keys: KeyRow[] }) {
  if (keys.length === 0) {
    return (
      <Card className="text-sm text-neutral-600 dark:text-neutral-400" data-testid="keys-empty">
        No keys yet. Create one above to call the API from your code.
      </Card>
    );
  }
  return (
    <Card flush className="overflow-x-auto">
      <table className="w-full text-left text-sm" data-testid="keys-table">
        <thead className="border-b border-neutral-200 text-muted dark:border-neutral-800">
          <tr>
            <th scope="col" className="px-4 py-3 font-medium">Name</th>
            <th scope="col" className="px-4 py-3 font-medium">Key</th>
            <th scope="col" className="px-4 py-3 font-medium">Spend</th>
            <th scope="col" className="hidden px-4 py-3 font-medium lg:table-cell">Scopes</th>
            <th scope="col" className="hidden px-4 py-3 font-medium md:table-cell">Created</th>
            <th scope="col" className="hidden px-4 py-3 font-medium sm:table-cell">Last used</th>
            <th scope="col" className="px-4 py-3"><span className="sr-only">Actions</span></th>
          </tr>
        </thead>
        <tbody>
          {keys.map((key) => (
            <tr key={key.id} data-testid="key-row" data-key-name={key.name} className="border-b border-neutral-100 last:border-0 dark:border-neutral-800">
              <td className="px-4 py-3 font-medium">
                {key.name}
                <span className="block text-xs font-normal text-muted sm:hidden">
                  Last used {key.lastUsedAt ? <ShortTime iso={key.lastUsedAt} /> : "never"}
                </span>
              </td>
              <td className="px-4 py-3 font-mono text-neutral-600 dark:text-neutral-400">
                {key.prefix}…
                {key.expiresAt && (
                  <span className="block font-sans text-xs text-muted">
                    expires <FullTime iso={key.expiresAt} />
                  </span>
                )}
              </td>
              <td className="px-4 py-3">
                <KeySpend limit={key.spendLimit} />
              </td>
              <td className="hidden px-4 py-3 text-neutral-600 lg:table-cell dark:text-neutral-400" data-testid="key-scopes">
                {key.scopes.join(", ")}
              </td>
              <td className="hidden px-4 py-3 text-neutral-600 md:table-cell dark:text-neutral-400">
                <FullTime iso={key.createdAt} />
              </td>
              <td className="hidden px-4 py-3 text-neutral-600 sm:table-cell dark:text-neutral-400">
                {key.lastUsedAt ? <ShortTime iso={key.lastUsedAt} /> : "Never"}
              </td>
              <td className="whitespace-nowrap px-4 py-3 text-right">
                <EditButton row={key} />
                <RevokeButton id={key.id} name={key.name} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}

function EditButton({ row }: { row: KeyRow }) {
  const initial: KeyForm = {
    name: row.name,
    limitUsd: row.spendLimit ? String(row.spendLimit.amount) : "",
    period: row.spendLimit?.period ?? "month",
    scopes: row.scopes,
  };
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState<KeyForm>(initial);
  const [error, setError] = useState<string>();
  const [pending, startTransition] = useTransition();
  return (
    <Dialog.Root
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (next) {
          setForm(initial);
          setError(undefined);
        }
      }}
    >
      <Dialog.Trigger asChild>
        <Button variant="ghost" size="sm" data-testid="edit-key">
          Edit
        </Button>
      </Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 bg-black/40" />
        <Dialog.Content className="fixed left-1/2 top-1/2 w-[calc(100%-2rem)] max-w-xl -translate-x-1/2 -translate-y-1/2 rounded-xl bg-white p-6 text-left shadow-xl dark:bg-neutral-900">
          <Dialog.Title className="text-lg font-semibold">Edit “{row.name}”</Dialog.Title>
          <Dialog.Description className="mt-1 text-sm text-neutral-600 dark:text-neutral-400">
            A new limit counts what the key has already spent in its period. Changes apply to its next request.
          </Dialog.Description>
          <form
            className="mt-4 space-y-4"
            onSubmit={(event) => {
              event.preventDefault();
              startTransition(async () => {
                const result = await updateKeyAction(row.id, form);
                if ("error" in result) return setError(result.error);
                setOpen(false);
                toast.success(`Saved “${form.name.trim()}”.`);
              });
            }}
          >
            <KeyFields form={form} onChange={setForm} />
            {error && (
              <p role="alert" className="text-sm text-red-600 dark:text-red-400">
                {error}
              </p>
            )}
            <div className="flex justify-end gap-2">
              <Dialog.Close asChild>
                <Button variant="secondary" type="button">
                  Cancel
                </Button>
              </Dialog.Close>
              <Button type="submit" disabled={pending} data-testid="save-key">
                {pending ? "Saving…" : "Save"}
              </Button>
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

function RevokeButton({ id, name }: { id: string; name: string }) {
  const [pending, startTransition] = useTransition();
  return (
    <AlertDialog.Root>
      <AlertDialog.Trigger asChild>
        <Button variant="ghost" size="sm" className="text-red-600 dark:text-red-400" disabled={pending} data-testid="revoke-key">
          Revoke
        </Button>
      </AlertDialog.Trigger>
      <AlertDialog.Portal>
        <AlertDialog.Overlay className="fixed inset-0 bg-black/40" />
        <AlertDialog.Content className="fixed left-1/2 top-1/2 w-[calc(100%-2rem)] max-w-md -translate-x-1/2 -translate-y-1/2 rounded-xl bg-white p-6 shadow-xl dark:bg-neutral-900">
          <AlertDialog.Title className="text-lg font-semibold">Revoke “{name}”?</AlertDialog.Title>
          <AlertDialog.Description className="mt-2 text-sm text-neutral-600 dark:text-neutral-400">
            Its very next request will be refused with 401. This cannot be undone.
          </AlertDialog.Description>
          <div className="mt-6 flex justify-end gap-2">
            <AlertDialog.Cancel className={buttonClass("secondary")}>Keep it</AlertDialog.Cancel>
            <AlertDialog.Action
              className={buttonClass("danger")}
              data-testid="confirm-revoke"
              onClick={() =>
                startTransition(async () => {
                  const { revoked } = await revokeKeyAction(id);
                  if (revoked) toast.success(`Revoked “${name}”.`);
                  else toast.error("That key was already revoked.");
                })
              }
            >
              Revoke key
            </AlertDialog.Action>
          </div>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}
