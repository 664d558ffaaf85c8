import type { Metadata } from "next";
import { PageHeader } from "@/components/dashboard/page-header";
import { CurlExamples } from "@/components/keys/curl-examples";
import { KeysTable } from "@/components/keys/keys-table";
import { NewKeyForm } from "@/components/keys/new-key-form";
import { listApiKeys } from "@/lib/auth/api-keys";
import { currentAccount } from "@/lib/auth/current";
import { pageOrigin } from "@/lib/server/page-origin";

export const metadata: Metadata = { title: "API keys" };

export default async function KeysPage() {
  const me = await currentAccount();
  const keys = await listApiKeys({ accountId: me.accountId });
  const baseUrl = await pageOrigin();
  return (
    <>
      <PageHeader title="API keys" description="Keys act for your account: they spend its credit. Keep them secret; revoke one the moment it leaks." />
      <div className="space-y-8">
        <NewKeyForm />
        <KeysTable
          keys={keys.map((key) => ({
            id: key.id,
            name: key.name,
            prefix: key.prefix,
            createdAt: key.createdAt.toISOString(),
            lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
          }))}
        />
        <CurlExamples baseUrl={baseUrl} keyPrefix={keys[0]?.prefix ?? null} />
      </div>
    </>
  );
}
