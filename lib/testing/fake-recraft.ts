// A fake of Recraft's image API (https://www.recraft.ai/docs/api-reference), strict as the real
// one: a Bearer token, the documented body fields only, a model name it knows, and a `size`
// from that model's own table (pixels for raster models, an aspect ratio for vector ones). It
// answers signed-looking URLs on its own origin that serve real WebP or SVG bytes. Each request
// takes the next behaviour from `script` ("ok" when it is empty).
import { randomUUID } from "node:crypto";
import { FakeRejection, imageBytes, jsonObject, startFakeServer, svgBytes, type FakeServer, type Received, type Reply } from "./fake-upstream";

export const RECRAFT_TEST_TOKEN = "recraft-test-token";

export type RecraftBehaviour =
  | "ok"
  | { images: number } // fewer images than asked
  | "unauthorized" // 401
  | "invalid" // 400 invalid_parameter
  | "moderated" // 400: the prompt was flagged as inappropriate
  | "out_of_credit" // 400 not_enough_credits
  | "rate_limited" // 429 with Retry-After: 1
  | "server_error" // 500
  | "hang" // never answered
  | "empty" // 200 with no images
  | "expired"; // the image URLs answer 404

const FIELDS = ["prompt", "model", "n", "size", "style", "substyle", "style_id", "negative_prompt", "response_format", "controls", "text_layout"];

const V4 = ["1024x1024", "1536x768", "768x1536", "1280x832", "832x1280", "1216x896", "896x1216", "1152x896", "896x1152", "832x1344", "1280x896", "896x1280", "1344x768", "768x1344"];
const V4_PRO = ["2048x2048", "3072x1536", "1536x3072", "2560x1664", "1664x2560", "2432x1792", "1792x2432", "2304x1792", "1792x2304", "1664x2688", "2560x1792", "1792x2560", "2688x1536", "1536x2688"];
const V3 = ["1024x1024", "2048x1024", "1024x2048", "1536x1024", "1024x1536", "1365x1024", "1024x1365", "1280x1024", "1024x1280", "1024x1707", "1434x1024", "1024x1434", "1820x1024", "1024x1820"];
const ASPECTS = ["1:1", "2:1", "1:2", "3:2", "2:3", "4:3", "3:4", "5:4", "4:5", "6:10", "14:10", "10:14", "16:9", "9:16"];

const SIZES: Record<string, { sizes: string[]; vector: boolean }> = {
  recraftv4: { sizes: V4, vector: false },
  recraftv4_pro: { sizes: V4_PRO, vector: false },
  recraftv4_vector: { sizes: ASPECTS, vector: true },
  recraftv4_pro_vector: { sizes: ASPECTS, vector: true },
  recraftv3: { sizes: V3, vector: false },
};

type Image = { width: number; height: number; vector: boolean; expired: boolean };

export type FakeRecraft = FakeServer & { env: Record<string, string>; script: RecraftBehaviour[]; generations(): Received[] };

const refuse = (code: string, message: string, status = 400) => ({ status, body: { code, message } });

export async function startFakeRecraft(): Promise<FakeRecraft> {
  const images = new Map<string, Image>();
  const script: RecraftBehaviour[] = [];
  let origin = "";

  const route = async (request: Received): Promise<Reply> => {
    if (request.method === "GET" && request.path.startsWith("/images/")) return serve(request.path.slice("/images/".length));
    if (request.headers.authorization !== `Bearer ${RECRAFT_TEST_TOKEN}`) return refuse("unauthorized", "Invalid or missing token", 401);
    if (request.method !== "POST" || request.path !== "/v1/images/generations") return refuse("not_found", "Not found", 404);
    if (!request.headers["content-type"]?.startsWith("application/json")) throw new FakeRejection("Expected application/json");
    const body = jsonObject(request);

    const behaviour = script.shift() ?? "ok";
    if (behaviour === "hang") return { hang: true };
    if (behaviour === "unauthorized") return refuse("unauthorized", "Invalid or missing token", 401);
    if (behaviour === "invalid") return refuse("invalid_parameter", "Parameter 'prompt' is invalid");
    if (behaviour === "moderated") return refuse("inappropriate_content", "The prompt contains inappropriate content");
    if (behaviour === "out_of_credit") return refuse("not_enough_credits", "Not enough credits to perform the operation");
    if (behaviour === "rate_limited") return { status: 429, headers: { "retry-after": "1" }, body: { code: "too_many_requests", message: "Rate limit exceeded" } };
    if (behaviour === "server_error") return refuse("internal_error", "Internal server error", 500);

    for (const name of Object.keys(body)) if (!FIELDS.includes(name)) return refuse("invalid_parameter", `Unknown parameter '${name}'`);
    if (typeof body.prompt !== "string" || !body.prompt) return refuse("invalid_parameter", "Parameter 'prompt' is required");
    const model = SIZES[String(body.model)];
    if (!model) return refuse("invalid_parameter", `Unknown model '${String(body.model)}'`);
    const n = body.n ?? 1;
    if (!Number.isInteger(n) || (n as number) < 1 || (n as number) > 6) return refuse("invalid_parameter", "Parameter 'n' must be between 1 and 6");
    if (body.size !== undefined && !model.sizes.includes(String(body.size))) return refuse("invalid_parameter", `Size '${String(body.size)}' is not supported by ${String(body.model)}`);
    if (body.response_format !== undefined && body.response_format !== "url" && body.response_format !== "b64_json") return refuse("invalid_parameter", "Bad response_format");
    if (behaviour === "empty") return { body: { created: 1, credits: 0, data: [] } };

    const count = typeof behaviour === "object" ? behaviour.images : (n as number);
    const [width, height] = model.vector ? [1024, 1024] : String(body.size ?? "1024x1024").split("x").map(Number);
    const data = Array.from({ length: count }, () => {
      const id = randomUUID();
      images.set(id, { width: width!, height: height!, vector: model.vector, expired: behaviour === "expired" });
      return { image_id: id, url: `${origin}/images/${id}` };
    });
    return { headers: { "x-request-id": `req-${randomUUID()}` }, body: { created: Math.floor(Date.now() / 1000), credits: 40 * count, data } };
  };

  async function serve(id: string): Promise<Reply> {
    const image = images.get(id);
    if (!image || image.expired) return { status: 404, body: "Not found" };
    if (image.vector) return { headers: { "content-type": "image/svg+xml" }, body: svgBytes(image.width, image.height) };
    return { headers: { "content-type": "image/webp" }, body: await imageBytes(image.width, image.height, "webp") };
  }

  const server = await startFakeServer(route);
  origin = server.origin;
  return Object.assign(server, {
    env: { RECRAFT_API_TOKEN: RECRAFT_TEST_TOKEN, RECRAFT_BASE_URL: server.origin },
    script,
    generations: () => server.requestsTo("/v1/images/generations", "POST"),
  });
}
