"use client";
// The signed-in user's menu in the header: who is signed in, sign out, and sign out everywhere
// (every other browser and any copied session cookie too).
import * as DropdownMenu from "@radix-ui/react-dropdown-menu";
import { ChevronDown, LogOut, ShieldOff } from "lucide-react";
import { useTransition } from "react";
import { signOutAction, signOutEverywhereAction } from "@/app/(auth)/actions";
import { buttonClass } from "@/components/ui/button";

const ITEM =
  "flex cursor-default items-center gap-2 rounded px-2 py-1.5 text-sm text-neutral-700 outline-none select-none data-[highlighted]:bg-neutral-100 data-[disabled]:opacity-50 dark:text-neutral-200 dark:data-[highlighted]:bg-neutral-800";

export function AccountMenu({ email }: { email: string }) {
  const [pending, startTransition] = useTransition();
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger className={`${buttonClass("ghost", "sm")} min-w-0 max-w-40`} aria-label="Account menu" data-testid="account-menu">
        <span className="hidden truncate md:inline" data-testid="header-email">
          {email}
        </span>
        <span className="md:hidden">Account</span>
        <ChevronDown className="size-4 shrink-0" aria-hidden />
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content
          align="end"
          sideOffset={6}
          className="z-50 min-w-52 rounded-md border border-neutral-200 bg-white p-1 shadow-md dark:border-neutral-800 dark:bg-neutral-900"
        >
          <DropdownMenu.Label className="truncate px-2 py-1.5 text-xs text-muted">{email}</DropdownMenu.Label>
          <DropdownMenu.Separator className="my-1 h-px bg-neutral-200 dark:bg-neutral-800" />
          <DropdownMenu.Item className={ITEM} disabled={pending} onSelect={() => startTransition(() => signOutAction())} data-testid="sign-out">
            <LogOut className="size-4" aria-hidden />
            Sign out
          </DropdownMenu.Item>
          <DropdownMenu.Item
            className={ITEM}
            disabled={pending}
            onSelect={() => startTransition(() => signOutEverywhereAction())}
            data-testid="sign-out-everywhere"
          >
            <ShieldOff className="size-4" aria-hidden />
            Sign out everywhere
          </DropdownMenu.Item>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
