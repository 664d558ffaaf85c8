// A fake of the Black Forest Labs API (https://docs.bfl.ai), strict as the real one: the
// `x-key` header, one endpoint per model with its own fields (FastAPI-style 422 for anything
// else), tasks that are Pending before they are Ready, and a signed result URL that serves real
// image bytes. Each submission takes the next behaviour from `script` ("ok" when it is empty),
// so a test says exactly which task fails and how. Like BFL, it can limit an account's active
// tasks (submitted, not yet ended): a submission past the limit is answered 429.
import { randomUUID } from "node:crypto";
import sharp from "sharp";
import { FakeRejection, imageBytes, jsonObject, startFakeServer, type FakeServer, type Received, type Reply } from "./fake-upstream";

export const BFL_TEST_KEY = "bfl-test-key";

export type BflBehaviour =
  | "ok"
  | { ok: { width: number; height: number } } // Ready, with an image of another size than asked
  | "unauthorized" // 401 on submission
  | "validation" // 422 on submission
  | "out_of_credit" // 402 on submission
  | "rate_limited" // 429 with Retry-After: 1
  | "server_error" // 500 on submission
  | "hang" // the submission is never answered
  | "request_moderated" // the task ends "Request Moderated"
  | "content_moderated" // the task ends "Content Moderated"
  | "error" // the task ends "Error"
  | "no_sample" // the task is Ready without result.sample
  | "expired" // the result URL answers 403, as an expired signed URL does
  | "foreign_polling_url" // polling_url names a host that is not BFL's
  | "poll_busy"; // the second poll of the task answers 429, the next ones as usual

const ASPECT_RATIO = /^(\d+):(\d+)$/;
const COMMON = ["prompt", "seed", "output_format", "safety_tolerance", "prompt_upsampling", "webhook_url", "webhook_secret"];
const FIELDS: Record<string, string[]> = {
  "flux-2-pro": [...COMMON, "width", "height", "input_image", ...Array.from({ length: 7 }, (_, i) => `input_image_${i + 2}`)],
  "flux-kontext-pro": [...COMMON, "aspect_ratio", "input_image"],
  "flux-pro-1.1-ultra": [...COMMON, "aspect_ratio", "raw", "image_prompt", "image_prompt_strength"],
};

type Task = { id: string; model: string; behaviour: BflBehaviour; width: number; height: number; polls: number; ended: boolean };

export type FakeBfl = FakeServer & {
  env: Record<string, string>;
  script: BflBehaviour[];
  /** The JSON bodies of the task submissions received, in order. */
  submissions(): Array<Record<string, unknown>>;
  /** Tasks active at once, at most, since the start; and submissions refused for the limit. */
  tasks: { maxActive: number; refusedForLimit: number };
};

function validationError(field: string, message: string): FakeRejection {
  // FastAPI's shape: { detail: [{ loc, msg, type }] }; the harness answers `{ error: { message } }`,
  // which our side reads the same way, so the message carries the location.
  return new FakeRejection(`body.${field}: ${message}`, 422);
}

function checkBody(model: string, body: Record<string, unknown>): void {
  const allowed = new Set(FIELDS[model]);
  for (const name of Object.keys(body)) if (!allowed.has(name)) throw validationError(name, "extra fields not permitted");
  if (typeof body.prompt !== "string" || !body.prompt) throw validationError("prompt", "field required");
  if (body.output_format !== undefined && body.output_format !== "png" && body.output_format !== "jpeg") throw validationError("output_format", "must be jpeg or png");
  if (body.seed !== undefined && !Number.isInteger(body.seed)) throw validationError("seed", "must be an integer");
  for (const side of ["width", "height"]) {
    const value = body[side];
    if (value === undefined) continue;
    if (!Number.isInteger(value) || (value as number) % 16 !== 0 || (value as number) < 64 || (value as number) > 2048) {
      throw validationError(side, "must be a multiple of 16 between 64 and 2048");
    }
  }
  if (body.aspect_ratio !== undefined) {
    const match = ASPECT_RATIO.exec(String(body.aspect_ratio));
    const ratio = match ? Number(match[1]) / Number(match[2]) : NaN;
    if (!(ratio >= 9 / 21 && ratio <= 21 / 9)) throw validationError("aspect_ratio", "must be between 21:9 and 9:21");
  }
  for (const [name, value] of Object.entries(body)) {
    if (!name.startsWith("input_image")) continue;
    if (typeof value !== "string" || Buffer.from(value, "base64").length === 0) throw validationError(name, "must be a base64 image");
  }
  if (model === "flux-kontext-pro" && body.input_image === undefined) throw validationError("input_image", "field required");
}

/** The size an aspect-ratio model makes: about one megapixel, sides multiples of 32. */
function aspectSize(aspect: unknown): { width: number; height: number } {
  const match = ASPECT_RATIO.exec(String(aspect ?? "1:1"))!;
  const ratio = Number(match[1]) / Number(match[2]);
  const width = Math.round(Math.sqrt(1024 * 1024 * ratio) / 32) * 32;
  return { width, height: Math.round(width / ratio / 32) * 32 };
}

export async function startFakeBfl(options: { activeTaskLimit?: number } = {}): Promise<FakeBfl> {
  const tasks = new Map<string, Task>();
  const script: BflBehaviour[] = [];
  const counts = { maxActive: 0, refusedForLimit: 0 };
  let origin = "";
  const active = () => [...tasks.values()].filter((task) => !task.ended).length;

  const route = async (request: Received): Promise<Reply> => {
    if (request.path.startsWith("/results/")) return result(request.path.slice("/results/".length));
    if (request.headers["x-key"] !== BFL_TEST_KEY) return { status: 401, body: { detail: "Not authenticated - Invalid Authentication" } };

    if (request.method === "GET" && request.path === "/v1/get_result") return poll(request.query.get("id"));
    const model = request.method === "POST" ? /^\/v1\/([a-z0-9.-]+)$/.exec(request.path)?.[1] : undefined;
    if (!model || !FIELDS[model]) return { status: 404, body: { detail: "Not Found" } };
    if (!request.headers["content-type"]?.startsWith("application/json")) throw new FakeRejection("Expected application/json", 422);
    const body = jsonObject(request);

    const behaviour = script.shift() ?? "ok";
    if (behaviour === "hang") return { hang: true };
    if (behaviour === "unauthorized") return { status: 401, body: { detail: "Not authenticated - Invalid Authentication" } };
    if (behaviour === "validation") return { status: 422, body: { detail: [{ loc: ["body", "prompt"], msg: "Prompt too long", type: "value_error" }] } };
    if (behaviour === "out_of_credit") return { status: 402, body: { detail: "Insufficient credits" } };
    if (behaviour === "rate_limited") return { status: 429, headers: { "retry-after": "1" }, body: { detail: "You have exceeded the number of active tasks" } };
    if (behaviour === "server_error") return { status: 500, body: { detail: "Internal Server Error" } };
    checkBody(model, body);
    if (options.activeTaskLimit !== undefined && active() >= options.activeTaskLimit) {
      counts.refusedForLimit++;
      return { status: 429, body: { detail: "You have exceeded the number of active tasks" } };
    }

    const asked = body.width !== undefined ? { width: body.width as number, height: body.height as number } : aspectSize(body.aspect_ratio);
    const size = typeof behaviour === "object" ? behaviour.ok : asked;
    const task: Task = { id: randomUUID(), model, behaviour, ...size, polls: 0, ended: false };
    tasks.set(task.id, task);
    counts.maxActive = Math.max(counts.maxActive, active());
    const pollingUrl = behaviour === "foreign_polling_url" ? `http://169.254.169.254/v1/get_result?id=${task.id}` : `${origin}/v1/get_result?id=${task.id}`;
    return { body: { id: task.id, polling_url: pollingUrl, cost: 3, input_mp: 0, output_mp: 1 } };
  };

  function poll(id: string | null): Reply {
    const task = id ? tasks.get(id) : undefined;
    if (!task) return { body: { id, status: "Task not found" } };
    task.polls++;
    if (task.polls === 1) return { body: { id: task.id, status: "Pending", progress: 0.5 } };
    if (task.behaviour === "poll_busy" && task.polls === 2) return { status: 429, body: { detail: "Too many requests" } };
    task.ended = true; // every answer from here on is the task's end
    switch (task.behaviour) {
      case "request_moderated":
        return { body: { id: task.id, status: "Request Moderated", details: { "Moderation Reasons": ["Derivative Works Filter"] } } };
      case "content_moderated":
        return { body: { id: task.id, status: "Content Moderated", details: { "Moderation Reasons": ["NSFW"] } } };
      case "error":
        return { body: { id: task.id, status: "Error", details: "Generation failed" } };
      case "no_sample":
        return { body: { id: task.id, status: "Ready", result: { prompt: "…" } } };
      default:
        return { body: { id: task.id, status: "Ready", result: { sample: `${origin}/results/${task.id}?se=2026-12-01T12%3A10Z&sig=fake`, seed: 1 } } };
    }
  }

  async function result(id: string): Promise<Reply> {
    const task = tasks.get(id);
    if (!task || task.behaviour === "expired") return { status: 403, body: "<Error><Code>AuthenticationFailed</Code></Error>", headers: { "content-type": "application/xml" } };
    const bytes = await imageBytes(task.width, task.height, "png");
    return { headers: { "content-type": "image/png" }, body: bytes };
  }

  const server = await startFakeServer(route);
  origin = server.origin;
  return Object.assign(server, {
    env: { BFL_API_KEY: BFL_TEST_KEY, BFL_BASE_URL: server.origin },
    script,
    tasks: counts,
    submissions: () => server.received.filter((r) => r.method === "POST" && r.path.startsWith("/v1/")).map((r) => r.json as Record<string, unknown>),
  }) as FakeBfl;
}

/** The pixel size of image bytes, for assertions. */
export async function sizeOf(bytes: Buffer): Promise<[number, number]> {
  const meta = await sharp(bytes).metadata();
  return [meta.width!, meta.height!];
}
