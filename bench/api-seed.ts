// What `npm run bench:api` reads and writes, seeded once per run: two accounts, each with ample
// credit and a key made through the product's own code (and 64 more accounts with a key each,
// whose reads take turns), and, by SQL for speed,
//  - in the submitting account: one finished job with 4 images (GET /v1/jobs/{id});
//  - in the gallery account: GALLERY_JOBS finished jobs over every model, each with one image,
//    a few percent failed or canceled (GET /v1/jobs?limit=50, with and without filters).
import postgres from "postgres";

export type Seed = { submitKey: string; galleryKey: string; galleryAccountId: string; finishedJobId: string; readerKeys: string[] };

/** Accounts whose keys take turns reading, so that each stays at a rate its tier could allow. */
const READER_ACCOUNTS = 64;

const GALLERY_JOBS = Number(process.env.BENCH_GALLERY_JOBS ?? 100_000);
const PARAMS = { size: "1:1", width: 1024, height: 1024, n: 1 };

export async function seed(databaseUrl: string): Promise<Seed> {
  process.env.DATABASE_URL = databaseUrl;
  const { createUser } = await import("@/lib/accounts/users");
  const { createApiKey } = await import("@/lib/auth/api-keys");
  const { disconnect } = await import("@/db/client");
  const { MODELS } = await import("@/lib/catalog/models");
  const { newId } = await import("@/lib/ids");

  const stamp = Date.now();
  const submitter = await createUser({ email: `bench-submit-${stamp}@example.test`, creditMicros: 1_000_000_000_000n });
  const gallery = await createUser({ email: `bench-gallery-${stamp}@example.test`, creditMicros: 1_000_000_000_000n });
  const { secret: submitKey } = await createApiKey({ accountId: submitter.account.id, name: "bench" });
  const { secret: galleryKey } = await createApiKey({ accountId: gallery.account.id, name: "bench" });
  const readerKeys: string[] = [];
  for (let i = 0; i < READER_ACCOUNTS; i++) {
    const reader = await createUser({ email: `bench-reader-${i}-${stamp}@example.test`, creditMicros: 1_000_000n });
    readerKeys.push((await createApiKey({ accountId: reader.account.id, name: "bench" })).secret);
  }
  await disconnect(); // migrated by now

  const sql = postgres(databaseUrl, { onnotice: () => {} });
  try {
    const finishedJobId = newId("job");
    await sql.begin(async (tx) => {
      await tx`insert into jobs (id, account_id, kind, model, prompt, params, status, estimated_micros, charged_micros, provider, fallback_layer, started_at, completed_at)
        values (${finishedJobId}, ${submitter.account.id}, 'generation', 'minimax-image-01', 'four lighthouses at dusk', ${tx.json({ ...PARAMS, n: 4 })},
                'succeeded', 40000, 40000, 'local', 0, now(), now())`;
      for (let index = 0; index < 4; index++) {
        const fileId = newId("file");
        await tx`insert into files (id, account_id, purpose, content_type, byte_size, width, height, storage_key, sha256)
          values (${fileId}, ${submitter.account.id}, 'output', 'image/png', 78000, 1024, 1024, ${`bench/${fileId}`}, ${"0".repeat(64)})`;
        await tx`insert into job_images (id, job_id, index, file_id, width, height, content_type)
          values (${newId("img")}, ${finishedJobId}, ${index}, ${fileId}, 1024, 1024, 'image/png')`;
      }
    });
    await seedGallery(sql, gallery.account.id, MODELS.map((m) => m.id));
    await sql`analyze jobs`;
    await sql`analyze job_images`;
    return { submitKey, galleryKey, galleryAccountId: gallery.account.id, finishedJobId, readerKeys };
  } finally {
    await sql.end();
  }
}

/**
 * GALLERY_JOBS jobs, a minute apart and ending now, with time-ordered ids of the product's
 * format (`job_` + 10 base32 characters of milliseconds + 16 more): models in rotation, every
 * 50th failed and every 97th canceled, the rest succeeded with one image.
 */
async function seedGallery(sql: postgres.Sql, accountId: string, models: string[]) {
  await sql`
    create or replace function pg_temp.b32(n bigint, width int) returns text language sql immutable as $$
      select string_agg(substr('0123456789abcdefghjkmnpqrstvwxyz', (case when s >= 60 then 0 else (n >> s) & 31 end)::int + 1, 1), '' order by s desc)
      from generate_series(0, width - 1) i, lateral (select 5 * i as s) shift
    $$`;
  await sql`
    with series as (
      select g, (extract(epoch from now()) * 1000)::bigint - (${GALLERY_JOBS} - g::bigint) * 60000 as ms from generate_series(1, ${GALLERY_JOBS}) g
    ), made as (
      select g, ms,
        'job_' || pg_temp.b32(ms, 10) || pg_temp.b32(g::bigint, 16) as id,
        (${models}::text[])[1 + g % ${models.length}] as model,
        case when g % 50 = 0 then 'failed' when g % 97 = 0 then 'canceled' else 'succeeded' end::job_status as status
      from series
    )
    insert into jobs (id, account_id, kind, model, prompt, params, status, estimated_micros, charged_micros, error_code, error_message, provider, fallback_layer, created_at, started_at, completed_at)
    select id, ${accountId}, 'generation', model, 'gallery picture ' || g, ${sql.json(PARAMS)}, status, 40000,
           case when status = 'succeeded' then 40000 else 0 end,
           case when status = 'failed' then 'upstream_error' end, case when status = 'failed' then 'The upstream failed.' end,
           'local', 0, to_timestamp(ms / 1000.0), to_timestamp(ms / 1000.0), to_timestamp(ms / 1000.0 + 5)
    from made`;
  await sql`
    insert into files (id, account_id, purpose, content_type, byte_size, width, height, storage_key, sha256)
    select 'file_' || substr(id, 5), ${accountId}, 'output', 'image/png', 78000, 1024, 1024, 'bench/' || id, repeat('0', 64)
    from jobs where account_id = ${accountId} and status = 'succeeded'`;
  await sql`
    insert into job_images (id, job_id, index, file_id, width, height, content_type)
    select 'img_' || substr(id, 5), id, 0, 'file_' || substr(id, 5), 1024, 1024, 'image/png'
    from jobs where account_id = ${accountId} and status = 'succeeded'`;
}
