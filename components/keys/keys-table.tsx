"use client";

import * as AlertDialog from "@radix-ui/react-alert-dialog";
import { useTransition } from "react";
import { toast } from "sonner";
import { revokeKeyAction } from "@/app/(dashboard)/keys/actions";
import { Button, buttonClass } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { FullTime, ShortTime } from "@/components/ui/when";

export type KeyRow = { id: string; name: string; prefix: string; createdAt: string; lastUsedAt: string | null };

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
              <td className="px-4 py-3 font-mono text-neutral-600 dark:text-neutral-400">{key.prefix}…</td>
              <td className="hidden px-4 py-3 text-neutral-600 md:table-cell dark:text-neutral-400">
                <FullTime iso={key.createdAt} />
              </td>
              <td className="hidden px-4 py-3 text-neutral-600 sm:table-cell dark:text-neutral-400">
                {key.lastUsedAt ? <ShortTime iso={key.lastUsedAt} /> : "Never"}
              </td>
              <td className="px-4 py-3 text-right">
                <RevokeButton id={key.id} name={key.name} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
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
