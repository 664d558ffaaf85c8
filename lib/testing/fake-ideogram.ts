// A fake of Ideogram's 3.0 generate endpoint (https://developer.ideogram.ai), strict as the real
// one: the `Api-Key` header, a multipart form (JSON is refused) with the documented fields only,
// aspect ratios written "16x9", resolutions from Ideogram's list, never both. It answers
// ephemeral URLs on its own origin serving real PNGs of the size Ideogram makes, each marked
// is_image_safe. Each request takes the next behaviour from `script` ("ok" when it is empty).
import { randomUUID } from "node:crypto";
import { imageBytes, startFakeServer, type FakeServer, type Received, type Reply } from "./fake-upstream";

export const IDEOGRAM_TEST_KEY = "ideogram-test-key";

export type IdeogramBehaviour =
  | "ok"
  | { images: number } // fewer images than asked
  | { unsafe: number } // this many of the images marked is_image_safe: false (and no URL)
  | "unauthorized" // 401
  | "invalid" // 400
  | "unsafe_prompt" // 422: the prompt failed the safety check
  | "rate_limited" // 429 with Retry-After: 1
  | "server_error" // 500
  | "hang"
  | "empty" // 200 with no images
  | "expired"; // the image URLs answer 404

const FIELDS = [
  "prompt", "seed", "resolution", "aspect_ratio", "rendering_speed", "magic_prompt", "negative_prompt", "num_images",
  "color_palette", "style_codes", "style_type", "style_preset", "style_reference_images", "character_reference_images",
];
/** Ideogram's aspect ratios, and the pixels it makes for them. */
const ASPECTS: Record<string, [number, number]> = {
  "1x1": [1024, 1024], "16x9": [1312, 736], "9x16": [736, 1312], "4x3": [1152, 864], "3x4": [864, 1152], "3x2": [1248, 832], "2x3": [832, 1248],
  "16x10": [1280, 800], "10x16": [800, 1280], "2x1": [1408, 704], "1x2": [704, 1408], "3x1": [1536, 512], "1x3": [512, 1536], "5x4": [1120, 896], "4x5": [896, 1120],
};
/** Part of Ideogram's resolution list: enough to refuse one it does not have. */
const RESOLUTIONS = new Set(["1024x1024", "1344x768", "768x1344", "1152x896", "896x1152", "1312x736", "736x1312", "1536x640", "640x1536", "1472x640", "1536x576", "1536x512"]);
const SPEEDS = new Set(["TURBO", "DEFAULT", "QUALITY"]);
const MAGIC = new Set(["AUTO", "ON", "OFF"]);

type Image = { width: number; height: number; expired: boolean };

export type FakeIdeogram = FakeServer & {
  env: Record<string, string>;
  script: IdeogramBehaviour[];
  generations(): Received[];
  /** A request's text fields as an object (each name once). */
  fieldsOf(request: Received): Record<string, string>;
};

const refuse = (status: number, message: string): Reply => ({ status, body: { detail: message } });

export async function startFakeIdeogram(): Promise<FakeIdeogram> {
  const images = new Map<string, Image>();
  const script: IdeogramBehaviour[] = [];
  let origin = "";

  const route = async (request: Received): Promise<Reply> => {
    if (request.method === "GET" && request.path.startsWith("/api/images/ephemeral/")) return serve(request.path.split("/").pop()!);
    if (request.headers["api-key"] !== IDEOGRAM_TEST_KEY) return refuse(401, "Not authorized");
    if (request.method !== "POST" || request.path !== "/v1/ideogram-v3/generate") return refuse(404, "Not Found");
    if (!request.fields) return refuse(400, "Expected multipart/form-data");

    const behaviour = script.shift() ?? "ok";
    if (behaviour === "hang") return { hang: true };
    if (behaviour === "unauthorized") return refuse(401, "Not authorized");
    if (behaviour === "invalid") return refuse(400, "Invalid input: prompt is too long");
    if (behaviour === "unsafe_prompt") return refuse(422, "Prompt failed the safety check");
    if (behaviour === "rate_limited") return { status: 429, headers: { "retry-after": "1" }, body: { detail: "Too many requests" } };
    if (behaviour === "server_error") return refuse(500, "Internal Server Error");

    const form: Record<string, string> = {};
    for (const { name, value } of request.fields) {
      if (!FIELDS.includes(name)) return refuse(400, `Unknown field: ${name}`);
      if (name in form) return refuse(400, `Field given twice: ${name}`);
      form[name] = value;
    }
    if (request.files?.length) return refuse(400, "No image files are expected here");
    if (!form.prompt) return refuse(400, "prompt: field required");
    if (form.aspect_ratio !== undefined && form.resolution !== undefined) return refuse(400, "aspect_ratio and resolution cannot both be given");
    if (form.aspect_ratio !== undefined && !ASPECTS[form.aspect_ratio]) return refuse(400, `aspect_ratio: unknown value ${form.aspect_ratio}`);
    if (form.resolution !== undefined && !RESOLUTIONS.has(form.resolution)) return refuse(400, `resolution: unknown value ${form.resolution}`);
    if (form.rendering_speed !== undefined && !SPEEDS.has(form.rendering_speed)) return refuse(400, "rendering_speed: unknown value");
    if (form.magic_prompt !== undefined && !MAGIC.has(form.magic_prompt)) return refuse(400, "magic_prompt: unknown value");
    const n = Number(form.num_images ?? "1");
    if (!Number.isInteger(n) || n < 1 || n > 8) return refuse(400, "num_images must be between 1 and 8");
    if (form.seed !== undefined && !/^\d+$/.test(form.seed)) return refuse(400, "seed must be an integer");
    if (behaviour === "empty") return { body: { created: new Date().toISOString(), data: [] } };

    const [width, height] = form.resolution ? form.resolution.split("x").map(Number) : ASPECTS[form.aspect_ratio ?? "1x1"]!;
    const count = typeof behaviour === "object" && "images" in behaviour ? behaviour.images : n;
    const unsafe = typeof behaviour === "object" && "unsafe" in behaviour ? behaviour.unsafe : 0;
    const data = Array.from({ length: count }, (_, index) => {
      const seed = Number(form.seed ?? 12345) + index;
      if (index < unsafe) return { is_image_safe: false, prompt: form.prompt, resolution: `${width}x${height}`, seed };
      const id = randomUUID();
      images.set(id, { width: width!, height: height!, expired: behaviour === "expired" });
      return { url: `${origin}/api/images/ephemeral/${id}`, is_image_safe: true, prompt: form.prompt, resolution: `${width}x${height}`, seed, style_type: "GENERAL" };
    });
    return { headers: { "x-request-id": `ideo-${randomUUID()}` }, body: { created: new Date().toISOString(), data } };
  };

  async function serve(id: string): Promise<Reply> {
    const image = images.get(id);
    if (!image || image.expired) return { status: 404, body: "Not found" };
    return { headers: { "content-type": "image/png" }, body: await imageBytes(image.width, image.height, "png") };
  }

  const server = await startFakeServer(route);
  origin = server.origin;
  return Object.assign(server, {
    env: { IDEOGRAM_API_KEY: IDEOGRAM_TEST_KEY, IDEOGRAM_BASE_URL: server.origin },
    script,
    generations: () => server.requestsTo("/v1/ideogram-v3/generate", "POST"),
    fieldsOf: (request: Received) => Object.fromEntries((request.fields ?? []).map(({ name, value }) => [name, value])),
  });
}
