// A fake of fal's queue API, strict about what it receives, for lib/providers/fal.test.ts:
//   POST /{app}                               validates the app's input → {request_id, status_url, response_url, cancel_url}
//   GET  /{owner}/{name}/requests/{id}/status IN_QUEUE, then IN_PROGRESS, then COMPLETED (202, 202, 200)
//   GET  /{owner}/{name}/requests/{id}        the app's output, or the request's error
//   PUT  /{owner}/{name}/requests/{id}/cancel 202 CANCELLATION_REQUESTED, or 400 ALREADY_COMPLETED
//   GET  /files/{name}                        the result images (real PNG or SVG bytes; fal's CDN)
// As on fal, the queue URLs name the app without its subpath (fal-ai/flux-2-pro/edit → fal-ai/flux-2-pro).
// Every queue call needs `Authorization: Key {key}` (401 otherwise); an unknown app is a 404; an
// unknown or misspelt field, a wrong type or a value outside the app's enum is a 422
// `{detail: [{loc, msg, type}]}`, as fal's validation answers. Result images are served on the
// fake's own origin (fetched directly, as trusted), or — with `{cdn: true}` — on a separate https
// "CDN" host, `fal-cdn.test`, with a self-signed certificate, so that the adapter must take the
// SSRF-safe path (the test gives it a fetcher that trusts the certificate and resolves the host).
//
// Behaviour is scripted per submission: `fake.script(...)` queues what the next submissions do;
// once the queue is empty, every submission succeeds.
import { randomUUID } from "node:crypto";
import { createServer as createHttpsServer, type Server as HttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { selfSignedCertificate } from "./network-fixtures";
import { FakeRejection, imageBytes, jsonObject, startFakeServer, svgBytes, type FakeServer, type Received, type Reply } from "./fake-upstream";

export type FalBehaviour =
  | { kind: "ok" }
  /** The submit itself answers this (401, 403, 429 with Retry-After, 500...). */
  | { kind: "reject"; status: number; body?: unknown; headers?: Record<string, string> }
  /** The submit never answers. */
  | { kind: "hang" }
  /** Accepted, then IN_PROGRESS forever (until canceled). */
  | { kind: "stuck" }
  /** Completes, and its response_url answers this error (a 422 `{detail}`, a 500). */
  | { kind: "fail"; status: number; body: unknown }
  /** Completes with `has_nsfw_concepts` as given (one entry per image made). */
  | { kind: "nsfw"; flagged: boolean[] }
  /** Completes, but its image URLs answer 410 Gone (they expired). */
  | { kind: "expired" }
  /** Completes with `count` images (0: a 200 with no image). */
  | { kind: "images"; count: number }
  /** Completes with images of another size than asked. */
  | { kind: "size"; width: number; height: number };

type Field = (value: unknown) => string | undefined;

const PRESETS: Record<string, [number, number]> = {
  square_hd: [1024, 1024],
  square: [512, 512],
  portrait_4_3: [768, 1024],
  portrait_16_9: [576, 1024],
  landscape_4_3: [1024, 768],
  landscape_16_9: [1024, 576],
};

const string: Field = (v) => (typeof v === "string" && v.length > 0 ? undefined : "must be a non-empty string");
const boolean: Field = (v) => (typeof v === "boolean" ? undefined : "must be a boolean");
const integer = (min: number, max: number): Field => (v) => (Number.isInteger(v) && (v as number) >= min && (v as number) <= max ? undefined : `must be an integer from ${min} to ${max}`);
const oneOf = (...values: string[]): Field => (v) => (typeof v === "string" && values.includes(v) ? undefined : `must be one of ${values.join(", ")}`);
const imageUrl: Field = (v) => (typeof v === "string" && (/^data:image\/(png|jpeg|webp);base64,[A-Za-z0-9+/]+=*$/.test(v) || v.startsWith("https://")) ? undefined : "must be an https URL or a base64 data URI of an image");
const imageUrls = (max: number): Field => (v) =>
  Array.isArray(v) && v.length >= 1 && v.length <= max ? v.map(imageUrl).find(Boolean) : `must be a list of 1 to ${max} image URLs`;
const imageSize = (step = 1, min = 64, max = 4096): Field => (v) => {
  if (typeof v === "string") return v in PRESETS ? undefined : `must be one of ${Object.keys(PRESETS).join(", ")} or {width, height}`;
  if (typeof v !== "object" || v === null || Array.isArray(v)) return "must be a preset or {width, height}";
  const keys = Object.keys(v).sort().join(",");
  if (keys !== "height,width") return "must have exactly width and height";
  const { width, height } = v as { width: unknown; height: unknown };
  const fits = (side: unknown) => Number.isInteger(side) && (side as number) >= min && (side as number) <= max && (side as number) % step === 0;
  return fits(width) && fits(height) ? undefined : `width and height must be multiples of ${step} from ${min} to ${max}`;
};

const FLUX_RATIOS = oneOf("21:9", "16:9", "4:3", "3:2", "1:1", "2:3", "3:4", "9:16", "9:21");
const GEMINI_RATIOS = oneOf("21:9", "16:9", "3:2", "4:3", "5:4", "1:1", "4:5", "3:4", "2:3", "9:16");
const recraft = { image_size: imageSize(), style: string, colors: (v: unknown) => (Array.isArray(v) ? undefined : "must be a list"), style_id: string, enable_safety_checker: boolean };
const recraftV4 = { image_size: imageSize(), colors: recraft.colors, background_color: (v: unknown) => (typeof v === "object" ? undefined : "must be a color"), enable_safety_checker: boolean };
const flux2 = { image_size: imageSize(16, 256, 2048), seed: integer(0, 2 ** 32 - 1), safety_tolerance: oneOf("1", "2", "3", "4", "5"), enable_safety_checker: boolean, output_format: oneOf("jpeg", "png"), sync_mode: boolean };
const kontext = { aspect_ratio: FLUX_RATIOS, seed: integer(0, 2 ** 32 - 1), guidance_scale: (v: unknown) => (typeof v === "number" ? undefined : "must be a number"), num_images: integer(1, 4), safety_tolerance: flux2.safety_tolerance, output_format: flux2.output_format, enhance_prompt: boolean, sync_mode: boolean };
const imagen = { aspect_ratio: oneOf("1:1", "16:9", "9:16", "3:4", "4:3"), num_images: integer(1, 4), seed: integer(0, 2 ** 32 - 1), negative_prompt: string, resolution: oneOf("1K", "2K") };
const nano = { aspect_ratio: GEMINI_RATIOS, num_images: integer(1, 4), output_format: oneOf("jpeg", "png", "webp"), sync_mode: boolean, limit_generations: boolean };
const nano2 = { ...nano, seed: integer(0, 2 ** 32 - 1), resolution: oneOf("0.5K", "1K", "2K", "4K"), enable_web_search: boolean };

type App = { fields: Record<string, Field>; required?: string[]; svg?: boolean; nsfw?: boolean };

/** Every app the fake knows, with the input fields fal documents for it. */
const APPS: Record<string, App> = {
  "fal-ai/recraft/v3/text-to-image": { fields: recraft },
  "fal-ai/recraft/v4/text-to-image": { fields: recraftV4 },
  "fal-ai/recraft/v4/pro/text-to-image": { fields: recraftV4 },
  "fal-ai/recraft/v4/text-to-vector": { fields: recraftV4, svg: true },
  "fal-ai/recraft/v4/pro/text-to-vector": { fields: recraftV4, svg: true },
  "fal-ai/flux-2-pro": { fields: flux2, nsfw: true },
  "fal-ai/flux-2-pro/edit": { fields: { ...flux2, image_urls: imageUrls(8) }, required: ["image_urls"], nsfw: true },
  "fal-ai/flux-pro/kontext": { fields: { ...kontext, image_url: imageUrl }, required: ["image_url"], nsfw: true },
  "fal-ai/flux-pro/kontext/multi": { fields: { ...kontext, image_urls: imageUrls(4) }, required: ["image_urls"], nsfw: true },
  "fal-ai/flux-pro/v1.1-ultra": { fields: { ...kontext, enable_safety_checker: boolean, raw: boolean, image_url: imageUrl, image_prompt_strength: (v) => (typeof v === "number" ? undefined : "must be a number") }, nsfw: true },
  "fal-ai/ideogram/v3": {
    fields: { image_size: imageSize(), rendering_speed: oneOf("TURBO", "BALANCED", "QUALITY"), style: oneOf("AUTO", "GENERAL", "REALISTIC", "DESIGN"), expand_prompt: boolean, num_images: integer(1, 4), seed: integer(0, 2 ** 31 - 1), negative_prompt: string, image_urls: imageUrls(3), sync_mode: boolean },
  },
  "fal-ai/imagen4/preview/fast": { fields: imagen },
  "fal-ai/imagen4/preview": { fields: imagen },
  "fal-ai/imagen4/preview/ultra": { fields: imagen },
  "fal-ai/nano-banana": { fields: nano },
  "fal-ai/nano-banana/edit": { fields: { ...nano, image_urls: imageUrls(10) }, required: ["image_urls"] },
  "fal-ai/nano-banana-2": { fields: nano2 },
  "fal-ai/nano-banana-2/edit": { fields: { ...nano2, image_urls: imageUrls(14) }, required: ["image_urls"] },
};

// What an `aspect_ratio` app makes at ~1 MP.
const RATIO_PIXELS: Record<string, [number, number]> = {
  "1:1": [1024, 1024], "16:9": [1344, 768], "9:16": [768, 1344], "4:3": [1152, 896], "3:4": [896, 1152], "21:9": [1536, 640],
  "3:2": [1216, 832], "2:3": [832, 1216], "9:21": [640, 1536], "5:4": [1120, 896], "4:5": [896, 1120],
};

type Request = { id: string; app: string; input: Record<string, unknown>; behaviour: FalBehaviour; polls: number; canceled: boolean };

export type FakeFal = FakeServer & {
  key: string;
  /** Queues behaviours for the next submissions, in order. */
  script(...behaviours: FalBehaviour[]): void;
  /** The JSON inputs submitted, with the app each went to. */
  submissions(): Array<{ app: string; input: Record<string, unknown>; headers: Record<string, string> }>;
  /** PUTs received on cancel URLs. */
  cancels(): Received[];
  /** The request_ids the fake has issued, in order. */
  issued(): string[];
  /** Forgets what was received and scripted: each test starts from a fresh fake. */
  reset(): void;
  /** The environment that points the adapter at this fake. */
  env: Record<string, string>;
  /** With `{cdn: true}`: the CDN's host name, port and certificate. */
  cdn?: { hostname: string; port: number; ca: string };
};

export const FAKE_CDN_HOST = "fal-cdn.test";

export async function startFakeFal(options: { key?: string; cdn?: boolean } = {}): Promise<FakeFal> {
  const key = options.key ?? "fal-test-key";
  const scripted: FalBehaviour[] = [];
  const requests = new Map<string, Request>();
  const files = new Map<string, Reply>();
  let origin = "";

  const server = await startFakeServer(async (req) => {
    if (req.method === "GET" && req.path.startsWith("/files/")) {
      return files.get(req.path) ?? { status: 404, body: { detail: "Not Found" } };
    }
    if (req.headers.authorization !== `Key ${key}`) {
      return { status: 401, body: { detail: "No user found for Key ID and Secret" } };
    }
    const queue = /^\/([^/]+\/[^/]+)\/requests\/([^/]+)(\/status|\/cancel)?$/.exec(req.path);
    if (queue) return answerQueue(req, queue[1]!, queue[2]!, queue[3]);
    if (req.method !== "POST") return { status: 405, body: { detail: "Method Not Allowed" } };
    return submit(req);
  });
  origin = server.origin;

  let cdn: { server: HttpsServer; hostname: string; port: number; ca: string } | undefined;
  if (options.cdn) {
    const tls = selfSignedCertificate(FAKE_CDN_HOST);
    const https = createHttpsServer(tls, (req, res) => {
      const reply = files.get(new URL(req.url ?? "/", "https://cdn").pathname) ?? { status: 404, body: { detail: "Not Found" } };
      const json = !Buffer.isBuffer(reply.body);
      res.writeHead(reply.status ?? 200, json ? { "content-type": "application/json" } : reply.headers);
      res.end(json ? JSON.stringify(reply.body) : reply.body);
    });
    await new Promise<void>((resolve) => https.listen(0, "127.0.0.1", resolve));
    cdn = { server: https, hostname: FAKE_CDN_HOST, port: (https.address() as AddressInfo).port, ca: tls.cert };
  }
  const filesOrigin = () => (cdn ? `https://${cdn.hostname}:${cdn.port}` : origin);

  function submit(req: Received): Reply {
    const app = req.path.slice(1);
    const spec = APPS[app];
    if (!spec) return { status: 404, body: { detail: `Application '${app}' not found` } };
    let input: Record<string, unknown>;
    try {
      input = jsonObject(req);
      validate(input, spec);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const [field, msg] = message.includes(": ") ? message.split(": ", 2) : ["body", message];
      return { status: 422, body: { detail: [{ loc: ["body", field], msg, type: "value_error" }] } };
    }
    const behaviour = scripted.shift() ?? { kind: "ok" };
    if (behaviour.kind === "hang") return { hang: true };
    if (behaviour.kind === "reject") return { status: behaviour.status, headers: behaviour.headers, body: behaviour.body ?? { detail: `HTTP ${behaviour.status}` } };

    const id = randomUUID();
    requests.set(id, { id, app, input, behaviour, polls: 0, canceled: false });
    const base = `${origin}/${app.split("/").slice(0, 2).join("/")}/requests/${id}`;
    return { body: { request_id: id, status_url: `${base}/status`, response_url: base, cancel_url: `${base}/cancel`, queue_position: 0 } };
  }

  async function answerQueue(req: Received, owner: string, id: string, action: string | undefined): Promise<Reply> {
    const request = requests.get(id);
    if (!request || (request.app !== owner && !request.app.startsWith(`${owner}/`))) return { status: 404, body: { detail: "Request not found" } };
    const done = request.behaviour.kind !== "stuck" && request.polls > 2;
    if (action === "/cancel") {
      if (req.method !== "PUT") return { status: 405, body: { detail: "Method Not Allowed" } };
      if (done && !request.canceled) return { status: 400, body: { status: "ALREADY_COMPLETED" } };
      request.canceled = true;
      return { status: 202, body: { status: "CANCELLATION_REQUESTED" } };
    }
    if (req.method !== "GET") return { status: 405, body: { detail: "Method Not Allowed" } };
    if (action === "/status") {
      request.polls++;
      if (request.canceled || (request.behaviour.kind !== "stuck" && request.polls > 2)) {
        return { status: 200, body: { status: "COMPLETED", response_url: `${origin}${req.path.replace(/\/status$/, "")}` } };
      }
      const inProgress = request.polls > 1 || request.behaviour.kind === "stuck";
      return { status: 202, body: inProgress ? { status: "IN_PROGRESS", logs: [] } : { status: "IN_QUEUE", queue_position: 0 } };
    }
    if (request.canceled) return { status: 400, body: { detail: "Request was cancelled" } };
    if (!(request.polls > 2)) return { status: 400, body: { detail: "Request is still in progress" } };
    return output(request);
  }

  async function output(request: Request): Promise<Reply> {
    const { behaviour, input, app } = request;
    if (behaviour.kind === "fail") return { status: behaviour.status, body: behaviour.body };
    const spec = APPS[app]!;
    const asked = typeof input.num_images === "number" ? input.num_images : 1;
    const count = behaviour.kind === "images" ? behaviour.count : behaviour.kind === "nsfw" ? behaviour.flagged.length : asked;
    const [width, height] = behaviour.kind === "size" ? [behaviour.width, behaviour.height] : madeSize(input);
    const images = [];
    for (let index = 0; index < count; index++) {
      const name = `/files/${request.id}-${index}.${spec.svg ? "svg" : "png"}`;
      const bytes = spec.svg ? svgBytes(width, height) : await imageBytes(width, height, "png");
      const contentType = spec.svg ? "image/svg+xml" : "image/png";
      files.set(name, behaviour.kind === "expired" ? { status: 410, body: { detail: "Gone" } } : { headers: { "content-type": contentType }, body: bytes });
      images.push({ url: `${filesOrigin()}${name}`, width, height, content_type: contentType, file_name: name.slice(7), file_size: bytes.length });
    }
    const body: Record<string, unknown> = { images, seed: typeof input.seed === "number" ? input.seed : 42 };
    if (spec.nsfw || behaviour.kind === "nsfw") {
      body.has_nsfw_concepts = behaviour.kind === "nsfw" ? behaviour.flagged : images.map(() => false);
    }
    return { body };
  }

  const close = server.close;
  return Object.assign(server, {
    key,
    cdn: cdn && { hostname: cdn.hostname, port: cdn.port, ca: cdn.ca },
    close: async () => {
      if (cdn) {
        cdn.server.closeAllConnections();
        await new Promise<void>((resolve) => cdn.server.close(() => resolve()));
      }
      await close();
    },
    env: { FAL_KEY: key, FAL_QUEUE_URL: origin },
    script: (...behaviours: FalBehaviour[]) => void scripted.push(...behaviours),
    submissions: () =>
      server.received
        .filter((r) => r.method === "POST")
        .map((r) => ({ app: r.path.slice(1), input: r.json as Record<string, unknown>, headers: r.headers })),
    cancels: () => server.received.filter((r) => r.method === "PUT"),
    issued: () => [...requests.keys()],
    reset: () => {
      server.received.length = 0;
      scripted.length = 0;
    },
  });
}

function validate(input: Record<string, unknown>, spec: App): void {
  for (const name of ["prompt", ...(spec.required ?? [])]) {
    if (input[name] === undefined) throw new FakeRejection(`${name}: field required`, 422);
  }
  for (const [name, value] of Object.entries(input)) {
    const check = name === "prompt" ? string : spec.fields[name];
    if (!check) throw new FakeRejection(`${name}: extra inputs are not permitted`, 422);
    const problem = check(value);
    if (problem) throw new FakeRejection(`${name}: ${problem}`, 422);
  }
}

/** The size an app makes for an input: its image_size, its aspect_ratio at ~1 MP, or square. */
function madeSize(input: Record<string, unknown>): [number, number] {
  const size = input.image_size;
  if (typeof size === "string") return PRESETS[size]!;
  if (size && typeof size === "object") return [(size as { width: number }).width, (size as { height: number }).height];
  if (typeof input.aspect_ratio === "string") return RATIO_PIXELS[input.aspect_ratio] ?? [1024, 1024];
  return [1024, 1024];
}
