import type { Metadata } from "next";
import { PageHeader } from "@/components/dashboard/page-header";
import { CurlExamples } from "@/components/keys/curl-examples";
import { KeysTable } from "@/components/keys/keys-table";
import { NewKeyForm } from "@/components/keys/new-key-form";
import { currentAccount } from "@/lib/auth/current";
import { listKeys } from "@/lib/keys/manage";
import { keyJson } from "@/lib/keys/present";
import { pageOrigin } from "@/lib/server/page-origin";

export const metadata: Metadata = { title: "API keys" };

export default async function KeysPage() {
  const me = await currentAccount();
  const keys = await listKeys({ accountId: me.accountId });
  const baseUrl = await pageOrigin();
  return (
    <>
      <PageHeader title="API keys" description="Keys act for your account: they spend its credit. Keep them secret; revoke one the moment it leaks." />
      <div className="space-y-8">
        <NewKeyForm />
        <KeysTable
          keys={keys.map((key) => {
            const json = keyJson(key);
            return {
              id: key.id,
              name: key.name,
              prefix: key.prefix,
              createdAt: json.created_at,
              lastUsedAt: json.last_used_at,
              scopes: json.scopes,
              expiresAt: json.expires_at,
              spendLimit: json.spend_limit,
            };
          })}
        />
        <CurlExamples baseUrl={baseUrl} keyPrefix={keys[0]?.prefix ?? null} />
      </div>
    </>
  );
}
