"use client";

import * as Dialog from "@radix-ui/react-dialog";
import { AlertTriangle } from "lucide-react";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";

/** An endpoint's signing secret, shown the one time Easel shows it, with a copy button. */
export function SecretDialog({ shown, onClose }: { shown: { url: string; secret: string; rotated?: boolean } | null; onClose: () => void }) {
  return (
    <Dialog.Root open={shown !== null} onOpenChange={(open) => !open && onClose()}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 bg-black/40" />
        <Dialog.Content className="fixed left-1/2 top-1/2 w-[calc(100%-2rem)] max-w-lg -translate-x-1/2 -translate-y-1/2 rounded-xl bg-white p-6 shadow-xl dark:bg-neutral-900">
          <Dialog.Title className="break-all text-lg font-semibold">
            {shown?.rotated ? "New signing secret" : "Signing secret"} for {shown?.url}
          </Dialog.Title>
          <Dialog.Description className="mt-2 flex gap-2 rounded-md bg-amber-50 p-3 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200">
            <AlertTriangle className="mt-0.5 size-4 shrink-0" aria-hidden />
            <span>
              Copy it now: this is the only time Easel shows it. Verify each delivery&apos;s webhook-signature with it.
              {shown?.rotated && " The previous secret keeps signing beside it for 24 hours, so switch your receiver over within a day."}
            </span>
          </Dialog.Description>
          <code data-testid="new-endpoint-secret" className="mt-4 block break-all rounded-md bg-neutral-100 p-3 font-mono text-sm dark:bg-neutral-800">
            {shown?.secret}
          </code>
          <div className="mt-4 flex justify-end gap-2">
            <CopyButton text={shown?.secret ?? ""} label="Copy secret" data-testid="copy-endpoint-secret" />
            <Dialog.Close asChild>
              <Button data-testid="close-endpoint-secret">I have saved it</Button>
            </Dialog.Close>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
