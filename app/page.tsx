import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { Ban, CircleDollarSign, Lock } from "lucide-react";
import Link from "next/link";
import { redirect } from "next/navigation";
import { auth } from "@/auth";
import { ModelTable } from "@/components/catalog/model-table";
import { Logo } from "@/components/logo";
import { buttonClass } from "@/components/ui/button";
import { signupCreditMicros } from "@/lib/accounts/signup";
import { servedModels } from "@/lib/catalog/served";
import { makeQueryClient } from "@/lib/queries/client";
import { modelsQuery } from "@/lib/queries/models";
import { formatUsd } from "@/lib/money";

const PROMISES = [
  { icon: Lock, title: "Held when accepted", text: "A job's estimated cost is reserved the moment it is accepted — never more than you have." },
  { icon: CircleDollarSign, title: "Charged for what arrives", text: "You pay only for the images delivered, never more than the estimate you saw." },
  { icon: Ban, title: "Released when it fails", text: "A failed, expired or cancelled job gives every cent of its hold back, once." },
];

export default async function Home() {
  if ((await auth())?.user) redirect("/compose");
  const queryClient = makeQueryClient();
  queryClient.setQueryData(modelsQuery.queryKey, await servedModels());
  return (
    <div className="bg-white dark:bg-neutral-950">
      <header className="mx-auto flex max-w-5xl items-center justify-between px-6 py-5">
        <Logo />
        <nav className="flex items-center gap-2">
          <Link href="/docs" className={buttonClass("ghost", "sm")}>API docs</Link>
          <Link href="/sign-in" className={buttonClass("ghost", "sm")}>Sign in</Link>
          <Link href="/sign-up" className={buttonClass("primary", "sm")}>Create account</Link>
        </nav>
      </header>
      <main className="mx-auto max-w-5xl px-6 pb-24">
        <section className="py-16 sm:py-24">
          <h1 className="max-w-3xl text-4xl font-semibold tracking-tight sm:text-5xl">One API for sixteen image models. Money that is always right.</h1>
          <p className="mt-5 max-w-2xl text-lg text-neutral-600 dark:text-neutral-400">
            Recraft, FLUX, Imagen, GPT Image, Ideogram and MiniMax behind one endpoint and one prepaid balance. Every request is an
            async job with its cost shown before you spend it.
          </p>
          <div className="mt-8 flex flex-wrap gap-3">
            <Link href="/sign-up" className={buttonClass("primary")}>Start with {formatUsd(signupCreditMicros())} of free credit</Link>
            <a href="#models" className={buttonClass("secondary")}>See the models and prices</a>
          </div>
        </section>
        <section className="grid gap-6 sm:grid-cols-3" aria-label="How billing works">
          {PROMISES.map(({ icon: Icon, title, text }) => (
            <div key={title} className="rounded-xl border border-neutral-200 p-5 dark:border-neutral-800">
              <Icon className="size-5 text-accent-600" aria-hidden />
              <h2 className="mt-3 font-semibold">{title}</h2>
              <p className="mt-1 text-sm text-neutral-600 dark:text-neutral-400">{text}</p>
            </div>
          ))}
        </section>
        <section className="mt-16">
          <h2 className="mb-3 text-lg font-semibold">From code</h2>
          <pre className="overflow-x-auto rounded-lg bg-neutral-950 p-4 text-sm text-neutral-100">
            <code>{`curl -X POST https://your-easel/v1/images/generations \\
  -H "Authorization: Bearer $EASEL_API_KEY" \\
  -H "Content-Type: application/json" \\
  -d '{"model": "recraft-v4", "prompt": "a cinematic hourglass on a wooden desk"}'
# 202 {"id": "job_…", "status": "queued", "estimated_cost": 0.054, …}`}</code>
          </pre>
        </section>
        <section id="models" className="mt-16 scroll-mt-8">
          <h2 className="mb-1 text-lg font-semibold">Models and prices</h2>
          <p className="mb-4 text-sm text-neutral-600 dark:text-neutral-400">List prices per image, as served by GET /v1/models.</p>
          <HydrationBoundary state={dehydrate(queryClient)}>
            <ModelTable />
          </HydrationBoundary>
        </section>
      </main>
    </div>
  );
}
