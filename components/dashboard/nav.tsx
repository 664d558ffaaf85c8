"use client";

import { BookOpen, CreditCard, Images, KeyRound, Sparkles, Webhook } from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";

const LINKS = [
  { href: "/compose", label: "Compose", icon: Sparkles },
  { href: "/gallery", label: "Gallery", icon: Images },
  { href: "/billing", label: "Billing", icon: CreditCard },
  { href: "/keys", label: "API keys", icon: KeyRound },
  { href: "/webhooks", label: "Webhooks", icon: Webhook },
  { href: "/docs", label: "API docs", icon: BookOpen },
];

export function DashboardNav() {
  const pathname = usePathname();
  return (
    <nav aria-label="Dashboard" className="-mx-1 flex gap-1 overflow-x-auto">
      {LINKS.map(({ href, label, icon: Icon }) => {
        const current = pathname === href || pathname.startsWith(`${href}/`);
        return (
          <Link
            key={href}
            href={href}
            aria-current={current ? "page" : undefined}
            className={`inline-flex shrink-0 items-center gap-1.5 rounded-md px-2.5 py-1.5 text-sm sm:px-3 font-medium focus-visible:outline-2 focus-visible:outline-accent-500 ${
              current
                ? "bg-neutral-900 text-white dark:bg-white dark:text-neutral-900"
                : "text-neutral-600 hover:bg-neutral-100 hover:text-neutral-900 dark:text-neutral-400 dark:hover:bg-neutral-800 dark:hover:text-white"
            }`}
          >
            <Icon className="hidden size-4 sm:block" aria-hidden />
            {label}
          </Link>
        );
      })}
    </nav>
  );
}
