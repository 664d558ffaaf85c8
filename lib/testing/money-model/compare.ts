// After every command: the database equals the model, and every ledger invariant holds.
import { and, count, eq, inArray } from "drizzle-orm";
import { getDb } from "@/db/client";
import { apiKeys, files, jobImages, jobs } from "@/db/schema";
import { getBalance } from "@/lib/billing/balance";
import { checkLedgerInvariants } from "@/lib/billing/invariants";
import { readFileBytes } from "@/lib/storage/files";
import { specText } from "./prices";
import type { MoneyModel, RealSystem } from "./state";


/** Throws, saying what differs, unless the database equals the model and every invariant holds. */
export async function compare(model: MoneyModel, real: RealSystem): Promise<void> {
  const problems: string[] = [];
  await Promise.all(
    real.accounts.map(async (account, i) => {
      const [balance, violations] = await Promise.all([getBalance({ accountId: account.id }), checkLedgerInvariants({ accountId: account.id })]);
      const expected = model.accounts[i]!;
      if (balance!.balanceMicros !== expected.balance || balance!.heldMicros !== expected.held) {
        problems.push(`account ${i}: balance/held ${balance!.balanceMicros}/${balance!.heldMicros}, model ${expected.balance}/${expected.held}`);
      }
      for (const v of violations) problems.push(`invariant ${v.invariant}: ${v.subject} (${v.detail})`);
    }),
  );
  // A limited key counts what its jobs hold and were charged; a key without a limit counts nothing.
  const db = await getDb();
  const keyIds = real.accounts.flatMap((account) => account.keys.map((key) => key.apiKeyId!));
  const counts = new Map((await db.select({ id: apiKeys.id, spent: apiKeys.spentMicros }).from(apiKeys).where(inArray(apiKeys.id, keyIds))).map((k) => [k.id, k.spent]));
  real.accounts.forEach((account, a) =>
    account.keys.forEach((key, k) => {
      const expected = model.accounts[a]!.keyLimits[k] === null ? 0n : model.keySpent(a, k);
      const got = counts.get(key.apiKeyId!);
      if (got !== expected) problems.push(`account ${a} key ${k}: spent ${got}, model ${expected}`);
    }),
  );
  if (model.jobs.length > 0) {
    const ids = model.jobs.map((job) => job.realId);
    const rows = new Map((await db.select().from(jobs).where(inArray(jobs.id, ids))).map((row) => [row.id, row]));
    const imageCounts = new Map(
      (await db.select({ jobId: jobImages.jobId, n: count() }).from(jobImages).where(inArray(jobImages.jobId, ids)).groupBy(jobImages.jobId)).map(
        (row) => [row.jobId, row.n],
      ),
    );
    for (const [index, job] of model.jobs.entries()) {
      const row = rows.get(job.realId);
      const owner = job.owner === null ? null : real.workerIds[job.owner];
      const images = imageCounts.get(job.realId) ?? 0;
      if (!row) {
        problems.push(`job#${index}: missing`);
        continue;
      }
      const got = `${row.status} charged ${row.chargedMicros ?? "-"} images ${images} attempts ${row.attempts} owner ${row.leaseOwner ?? "-"}`;
      const want = `${job.status} charged ${job.charged ?? "-"} images ${job.images} attempts ${job.attempts} owner ${owner ?? "-"}`;
      if (got !== want) problems.push(`job#${index} (${specText(job.spec)}): ${got}; model ${want}`);
    }
  }
  // Every file of a discarded result is gone; every image recorded has its bytes.
  for (const file of real.discarded) {
    if (await readFileBytes(file)) problems.push(`file ${file.id} of a discarded result still stored`);
  }
  real.discarded = [];
  if (problems.length > 0) throw new Error(`The database differs from the model:\n- ${problems.join("\n- ")}`);
}

export async function assertRecordedFilesStored(real: RealSystem): Promise<void> {
  const db = await getDb();
  const stored = await db
    .select()
    .from(files)
    .innerJoin(jobImages, eq(jobImages.fileId, files.id))
    .where(inArray(files.accountId, real.accounts.map((a) => a.id)));
  for (const { files: file } of stored) {
    if (!(await readFileBytes(file))) throw new Error(`file ${file.id} is recorded but its bytes are missing`);
  }
  const referenced = await db
    .select({ fileId: jobImages.fileId, n: count() })
    .from(jobImages)
    .innerJoin(jobs, eq(jobs.id, jobImages.jobId))
    .where(and(inArray(jobs.accountId, real.accounts.map((a) => a.id))))
    .groupBy(jobImages.fileId);
  const twice = referenced.filter((row) => row.n !== 1);
  if (twice.length > 0) throw new Error(`files referenced more than once: ${twice.map((r) => r.fileId).join(", ")}`);
}
