// A fake of MiniMax's image generation API (https://www.minimax.io/platform/document), strict
// as the real one: a Bearer key, the documented fields only (anything else is 2013 invalid
// params), image-01's aspect ratios, and — as MiniMax does — errors as HTTP 200 with a
// `base_resp.status_code`. Images are real JPEGs of the size MiniMax makes for each ratio.
// Each request takes the next behaviour from `script` ("ok" when it is empty).
import { randomUUID } from "node:crypto";
import { imageBytes, startFakeServer, type FakeServer, type Received, type Reply } from "./fake-upstream";

export const MINIMAX_TEST_KEY = "minimax-test-key";

export type MiniMaxBehaviour =
  | "ok"
  | { blocked: number } // this many of the n images withheld by the safety check (failed_count)
  | { code: number; message: string } // HTTP 200 with this base_resp
  | "http_500"
  | "hang";

const FIELDS = ["model", "prompt", "aspect_ratio", "width", "height", "response_format", "seed", "n", "prompt_optimizer", "subject_reference", "aigc_watermark"];
const SIZES: Record<string, [number, number]> = {
  "1:1": [1024, 1024],
  "16:9": [1280, 720],
  "4:3": [1152, 864],
  "3:2": [1248, 832],
  "2:3": [832, 1248],
  "3:4": [864, 1152],
  "9:16": [720, 1280],
  "21:9": [1344, 576],
};

export type FakeMiniMax = FakeServer & { env: Record<string, string>; script: MiniMaxBehaviour[]; generations(): Received[] };

/** MiniMax's error shape: HTTP 200, a trace id, and the code in base_resp. */
function failure(code: number, message: string): Reply {
  return { headers: { "trace-id": `trace-${randomUUID()}` }, body: { id: "", base_resp: { status_code: code, status_msg: message } } };
}

export async function startFakeMiniMax(): Promise<FakeMiniMax> {
  const script: MiniMaxBehaviour[] = [];

  const route = async (request: Received): Promise<Reply> => {
    if (request.method !== "POST" || request.path !== "/v1/image_generation") return { status: 404, body: "404 page not found" };
    if (request.headers.authorization !== `Bearer ${MINIMAX_TEST_KEY}`) return failure(1004, "login fail: Please carry the API secret key in the 'Authorization' field of the request header");
    if (!request.headers["content-type"]?.startsWith("application/json") || typeof request.json !== "object" || request.json === null) {
      return failure(2013, "invalid params, request body is not JSON");
    }
    const body = request.json as Record<string, unknown>;

    const behaviour = script.shift() ?? "ok";
    if (behaviour === "hang") return { hang: true };
    if (behaviour === "http_500") return { status: 500, body: "upstream connect error" };
    if (typeof behaviour === "object" && "code" in behaviour) return failure(behaviour.code, behaviour.message);

    for (const name of Object.keys(body)) if (!FIELDS.includes(name)) return failure(2013, `invalid params, unknown field ${name}`);
    if (body.model !== "image-01" && body.model !== "image-01-live") return failure(2013, "invalid params, model not supported");
    if (typeof body.prompt !== "string" || !body.prompt || body.prompt.length > 1500) return failure(2013, "invalid params, prompt");
    const aspect = String(body.aspect_ratio ?? "1:1");
    const size = SIZES[aspect];
    if (!size) return failure(2013, "invalid params, aspect_ratio");
    const n = body.n ?? 1;
    if (!Number.isInteger(n) || (n as number) < 1 || (n as number) > 9) return failure(2013, "invalid params, n");
    if (body.response_format !== undefined && body.response_format !== "url" && body.response_format !== "base64") return failure(2013, "invalid params, response_format");
    if (body.prompt_optimizer !== undefined && typeof body.prompt_optimizer !== "boolean") return failure(2013, "invalid params, prompt_optimizer");

    const blocked = typeof behaviour === "object" && "blocked" in behaviour ? behaviour.blocked : 0;
    const count = (n as number) - blocked;
    const bytes = await imageBytes(size[0], size[1], "jpeg");
    const encoded = Array.from({ length: count }, () => bytes.toString("base64"));
    const id = randomUUID().replaceAll("-", "");
    return {
      headers: { "trace-id": `trace-${id}` },
      body: {
        id,
        data: body.response_format === "base64" ? { image_base64: encoded } : { image_urls: encoded.map((_, i) => `https://minimax.example/${id}/${i}.jpeg`) },
        metadata: { success_count: String(count), failed_count: String(blocked) },
        base_resp: { status_code: 0, status_msg: "success" },
      },
    };
  };

  const server = await startFakeServer(route);
  return Object.assign(server, {
    env: { MINIMAX_API_KEY: MINIMAX_TEST_KEY, MINIMAX_BASE_URL: server.origin },
    script,
    generations: () => server.requestsTo("/v1/image_generation", "POST"),
  });
}
