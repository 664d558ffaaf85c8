"use client";

import * as Dialog from "@radix-ui/react-dialog";
import { AlertTriangle } from "lucide-react";
import { useState, useTransition } from "react";
import { createKeyAction, type KeyForm } from "@/app/(dashboard)/keys/actions";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import { KeyFields } from "./key-fields";

const EMPTY: KeyForm = { name: "", limitUsd: "", period: "month", scopes: ["generate", "read"], expiresOn: "" };

/** Creates a key (with an optional spend limit, scopes and expiry) and shows its secret once, in a dialog that says so. */
export function NewKeyForm() {
  const [form, setForm] = useState<KeyForm>(EMPTY);
  const [error, setError] = useState<string>();
  const [created, setCreated] = useState<{ secret: string; name: string } | null>(null);
  const [pending, startTransition] = useTransition();

  return (
    <Card>
      <form
        className="flex flex-col gap-4"
        data-testid="new-key-form"
        onSubmit={(event) => {
          event.preventDefault();
          startTransition(async () => {
            const result = await createKeyAction(form);
            if ("error" in result) return setError(result.error);
            setError(undefined);
            setForm(EMPTY);
            setCreated(result);
          });
        }}
      >
        <h2 className="font-semibold">New key</h2>
        <KeyFields form={form} onChange={setForm} withExpiry />
        {error && (
          <p role="alert" className="text-sm text-red-600 dark:text-red-400" data-testid="key-form-error">
            {error}
          </p>
        )}
        <div>
          <Button type="submit" disabled={pending} data-testid="create-key">
            {pending ? "Creating…" : "Create key"}
          </Button>
        </div>
      </form>

      <Dialog.Root open={created !== null} onOpenChange={(open) => !open && setCreated(null)}>
        <Dialog.Portal>
          <Dialog.Overlay className="fixed inset-0 bg-black/40" />
          <Dialog.Content className="fixed left-1/2 top-1/2 w-[calc(100%-2rem)] max-w-lg -translate-x-1/2 -translate-y-1/2 rounded-xl bg-white p-6 shadow-xl dark:bg-neutral-900">
            <Dialog.Title className="text-lg font-semibold">Your new key “{created?.name}”</Dialog.Title>
            <Dialog.Description className="mt-2 flex gap-2 rounded-md bg-amber-50 p-3 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200">
              <AlertTriangle className="mt-0.5 size-4 shrink-0" aria-hidden />
              Copy it now: this is the only time Easel shows it. We keep only a hash.
            </Dialog.Description>
            <code data-testid="new-key-secret" className="mt-4 block break-all rounded-md bg-neutral-100 p-3 font-mono text-sm dark:bg-neutral-800">
              {created?.secret}
            </code>
            <div className="mt-4 flex justify-end gap-2">
              <CopyButton text={created?.secret ?? ""} label="Copy key" data-testid="copy-new-key" />
              <Dialog.Close asChild>
                <Button data-testid="close-new-key">I have saved it</Button>
              </Dialog.Close>
            </div>
          </Dialog.Content>
        </Dialog.Portal>
      </Dialog.Root>
    </Card>
  );
}
