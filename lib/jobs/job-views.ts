import "server-only";
import { statementRows } from "@/db/client";
import type { Job, JobImage } from "@/db/schema";

// What the API shows of a job — the columns its job object is made of, and its images — read for
// the API's busiest answers (a job; a page of the gallery) by one statement, images included,
// in SQL of our own, run by the driver itself. It selects half of a job's columns, and its rows
// are shaped here, once: the query builder's per-call SQL building, its layers of execution and
// its per-field mapping cost more than the database does for these reads.

/** The fields of a job its API object shows (serialize.ts); a full row is one too. */
export type JobView = Pick<
  Job,
  | "id"
  | "status"
  | "kind"
  | "model"
  | "prompt"
  | "params"
  | "estimatedMicros"
  | "chargedMicros"
  | "createdAt"
  | "startedAt"
  | "completedAt"
  | "errorCode"
  | "errorMessage"
  | "provider"
  | "fallbackLayer"
  | "upstreamRequestId"
>;

/** The fields of an image its API object shows; a full row is one too. */
export type ImageView = Pick<JobImage, "fileId" | "width" | "height" | "contentType">;

export type JobWithImages = { job: JobView; images: ImageView[] };

/** A row as the drivers return it: timestamps as Postgres prints them (Dates on PGlite), amounts as text. */
type Row = {
  id: string;
  status: Job["status"];
  kind: Job["kind"];
  model: string;
  prompt: string;
  params: Job["params"];
  estimated_micros: string;
  charged_micros: string | null;
  created_at: string | Date;
  started_at: string | Date | null;
  completed_at: string | Date | null;
  error_code: string | null;
  error_message: string | null;
  provider: string | null;
  fallback_layer: number | null;
  upstream_request_id: string | null;
  /** A succeeded job's images in order, as [file id, width, height, content type]; otherwise null. */
  images: Array<[string, number, number, string]> | null;
};

const COLUMNS = `j.id, j.status, j.kind, j.model, j.prompt, j.params,
  j.estimated_micros::text as estimated_micros, j.charged_micros::text as charged_micros,
  j.created_at, j.started_at, j.completed_at, j.error_code, j.error_message, j.provider,
  j.fallback_layer, j.upstream_request_id,
  case when j.status = 'succeeded' then
    (select json_agg(json_build_array(i.file_id, i.width, i.height, i.content_type) order by i.index)
       from job_images i where i.job_id = j.id)
  end as images`;

// Timestamps are read as drizzle reads a `timestamptz` (new Date of Postgres's text), so a job
// shows the same instants here as wherever else it is read.
const instant = (value: string | Date | null) => (value === null ? null : new Date(value));

function toView(row: Row): JobWithImages {
  return {
    job: {
      id: row.id,
      status: row.status,
      kind: row.kind,
      model: row.model,
      prompt: row.prompt,
      params: row.params,
      estimatedMicros: BigInt(row.estimated_micros),
      chargedMicros: row.charged_micros === null ? null : BigInt(row.charged_micros),
      createdAt: new Date(row.created_at),
      startedAt: instant(row.started_at),
      completedAt: instant(row.completed_at),
      errorCode: row.error_code,
      errorMessage: row.error_message,
      provider: row.provider,
      fallbackLayer: row.fallback_layer,
      upstreamRequestId: row.upstream_request_id,
    },
    images: (row.images ?? []).map(([fileId, width, height, contentType]) => ({ fileId, width, height, contentType })),
  };
}

const ONE_JOB = `select ${COLUMNS} from jobs j where j.id = $1 and j.account_id = $2`;

/** One of the account's jobs with its images; undefined when the account has no such job. */
export async function readJobView(input: { accountId: string; jobId: string }): Promise<JobWithImages | undefined> {
  const [row] = await statementRows<Row>(ONE_JOB, [input.jobId, input.accountId]);
  return row && toView(row);
}

/** A condition on `j`: SQL of our own (jobIs) with one `?` for its value, which is a parameter. */
export type JobCondition = { sql: string; value: unknown };

/**
 * Up to `limit` of the account's jobs matching every condition, newest first, with their images;
 * with `models`, only jobs of one of those models. A set of models has no index in id order of
 * its own, so each model's newest matches are found on the (account, model, id) index — at most
 * `limit` each — and merged: the page costs the same however the account's jobs, or the table's,
 * are spread (a walk of the account's id index filtering by model could pass thousands of other
 * models' jobs first).
 */
export async function readJobViews(input: { accountId: string; conditions: JobCondition[]; models?: string[]; limit: number }): Promise<JobWithImages[]> {
  const params: unknown[] = [input.accountId, input.limit];
  const where = ["j.account_id = $1", ...input.conditions.map((condition) => condition.sql.replace("?", `$${params.push(condition.value)}`))].join(" and ");
  const text = input.models
    ? `select ${COLUMNS} from jobs j where j.account_id = $1 and j.id in (
         select picked.id from unnest($${params.push(input.models)}::text[]) as m(model)
         cross join lateral (select j.id from jobs j where ${where} and j.model = m.model order by j.id desc limit $2) picked
         order by picked.id desc limit $2
       ) order by j.id desc`
    : `select ${COLUMNS} from jobs j where ${where} order by j.id desc limit $2`;
  const rows = await statementRows<Row>(text, params);
  return rows.map(toView);
}

/** Conditions for readJobViews. */
export const jobIs = {
  status: (status: Job["status"]): JobCondition => ({ sql: "j.status = ?", value: status }),
  model: (model: string): JobCondition => ({ sql: "j.model = ?", value: model }),
  before: (id: string): JobCondition => ({ sql: "j.id < ?", value: id }),
};
