// A fake of Google's OAuth token endpoint and of Vertex AI's Imagen predict endpoint, strict as
// the real ones. The token endpoint takes the JWT-bearer grant and verifies the assertion's RS256
// signature with the test service account's public key (a key pair made here with node:crypto),
// its issuer, audience, scope and lifetime. Predict wants one of the tokens it issued, the
// configured project, a known Imagen model and only documented fields; it draws real PNGs at
// Imagen's pixels for each aspect ratio. Each predict call takes the next behaviour from
// `script` (then "ok"); each token request the next from `tokenScript`.
import { generateKeyPairSync, randomBytes, verify, type KeyObject } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { imageBytes, startFakeServer, type FakeServer, type Received, type Reply } from "./fake-upstream";

export type VertexBehaviour =
  | "ok"
  | "unauthenticated"
  | "forbidden"
  | "invalid"
  | "rai_refusal"
  | "billing_disabled"
  | "quota"
  | "server_error"
  | "hang"
  /** 200 with `{}`: every image filtered, no reason given. */
  | "empty"
  /** Filter this many of the images asked, each carrying a raiFilteredReason. */
  | { filtered: number }
  | { size: { width: number; height: number } };

export type TokenBehaviour = "ok" | "server_error";

export type FakeVertex = FakeServer & {
  project: string;
  location: string;
  clientEmail: string;
  script: VertexBehaviour[];
  tokenScript: TokenBehaviour[];
  /** Seconds each issued token lives (Google's: 3599). */
  tokenLifetimeSeconds: number;
  /** Env for an adapter pointed at this fake, with its own copy of the key file. */
  env(options?: { keyFile?: string }): Record<string, string>;
  /** A fresh copy of the service-account key file (a new path: a new adapter and token cache). */
  newKeyFile(): string;
  /** A key file for the same account signed with another private key: refused at the token endpoint. */
  wrongKeyFile(): string;
  tokenRequests(): Received[];
  predictRequests(): Received[];
  reset(): void;
};

const GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer";
const AUDIENCE = "https://oauth2.googleapis.com/token";
const SCOPE = "https://www.googleapis.com/auth/cloud-platform";
const MODELS = new Set(["imagen-4.0-fast-generate-001", "imagen-4.0-generate-001", "imagen-4.0-ultra-generate-001"]);
/** Imagen 4's published pixels per aspect ratio (1K). */
export const IMAGEN_PIXELS: Readonly<Record<string, [number, number]>> = {
  "1:1": [1024, 1024],
  "3:4": [896, 1280],
  "4:3": [1280, 896],
  "9:16": [768, 1408],
  "16:9": [1408, 768],
};
const PARAMETERS = [
  "sampleCount", "aspectRatio", "seed", "addWatermark", "enhancePrompt", "personGeneration", "safetySetting", "includeRaiReason",
  "includeSafetyAttributes", "outputOptions", "sampleImageSize", "language", "storageUri", "negativePrompt",
];
const OUTPUT_OPTIONS = ["mimeType", "compressionQuality"];

function googleError(code: number, status: string, message: string): Reply {
  return { status: code, body: { error: { code, message, status } } };
}

class Invalid extends Error {}

function only(value: unknown, where: string, allowed: readonly string[]): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Invalid(`Invalid value at '${where}': expected an object.`);
  for (const name of Object.keys(value)) {
    if (!allowed.includes(name)) throw new Invalid(`Invalid JSON payload received. Unknown name "${name}" at '${where}': Cannot find field.`);
  }
  return value as Record<string, unknown>;
}

const base64url = (text: string) => Buffer.from(text, "base64url");

/** Why a JWT-bearer assertion is refused, or undefined when it is good. */
function checkAssertion(assertion: string, publicKey: KeyObject, clientEmail: string, keyId: string): string | undefined {
  const parts = assertion.split(".");
  if (parts.length !== 3) return "Invalid JWT: not a JWS compact serialisation.";
  const [head, body, signature] = parts as [string, string, string];
  let header: { alg?: string; typ?: string; kid?: string };
  let claims: { iss?: string; scope?: string; aud?: string; iat?: number; exp?: number };
  try {
    header = JSON.parse(base64url(head).toString("utf8"));
    claims = JSON.parse(base64url(body).toString("utf8"));
  } catch {
    return "Invalid JWT: undecodable header or claims.";
  }
  if (header.alg !== "RS256") return `Invalid JWT: alg ${header.alg} is not RS256.`;
  if (header.kid !== undefined && header.kid !== keyId) return "Invalid JWT Signature: unknown key id.";
  if (!verify("RSA-SHA256", Buffer.from(`${head}.${body}`), publicKey, base64url(signature))) return "Invalid JWT Signature.";
  if (claims.iss !== clientEmail) return "Invalid JWT: the issuer is not this service account.";
  if (claims.aud !== AUDIENCE) return `Invalid JWT: aud must be ${AUDIENCE}.`;
  if (!String(claims.scope ?? "").split(" ").includes(SCOPE)) return "Invalid JWT: the cloud-platform scope is missing.";
  const now = Math.floor(Date.now() / 1000);
  if (typeof claims.iat !== "number" || typeof claims.exp !== "number" || claims.exp - claims.iat > 3600 || claims.exp <= now || claims.iat > now + 300) {
    return "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.";
  }
  return undefined;
}

export async function startFakeVertex(options: { project?: string; location?: string } = {}): Promise<FakeVertex> {
  const project = options.project ?? "easel-test-project";
  const location = options.location ?? "us-central1";
  const clientEmail = `easel-images@${project}.iam.gserviceaccount.com`;
  const keyId = randomBytes(20).toString("hex");
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const dir = mkdtempSync(path.join(tmpdir(), "easel-fake-vertex-"));
  const script: VertexBehaviour[] = [];
  const tokenScript: TokenBehaviour[] = [];
  const issued = new Map<string, number>(); // token → expiry (ms)
  let files = 0;
  const state = { tokenLifetimeSeconds: 3599 };

  function writeKey(pem: string): string {
    const file = path.join(dir, `service-account-${++files}.json`);
    const key = {
      type: "service_account",
      project_id: project,
      private_key_id: keyId,
      private_key: pem,
      client_email: clientEmail,
      client_id: "100000000000000000001",
      auth_uri: "https://accounts.google.com/o/oauth2/auth",
      token_uri: AUDIENCE,
      universe_domain: "googleapis.com",
    };
    writeFileSync(file, JSON.stringify(key, null, 2));
    return file;
  }

  function token(request: Received): Reply {
    if (request.method !== "POST") return { status: 405, body: { error: "invalid_request", error_description: "POST only." } };
    if (!(request.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded")) {
      return { status: 400, body: { error: "invalid_request", error_description: "Expected application/x-www-form-urlencoded." } };
    }
    const form = new URLSearchParams(request.raw.toString("utf8"));
    for (const name of form.keys()) {
      if (name !== "grant_type" && name !== "assertion") return { status: 400, body: { error: "invalid_request", error_description: `Unexpected parameter ${name}.` } };
    }
    if (form.get("grant_type") !== GRANT_TYPE) return { status: 400, body: { error: "unsupported_grant_type", error_description: "Invalid grant_type." } };
    if ((tokenScript.shift() ?? "ok") === "server_error") return { status: 503, body: { error: "internal_failure", error_description: "Backend error." } };
    const refused = checkAssertion(form.get("assertion") ?? "", publicKey, clientEmail, keyId);
    if (refused) return { status: 400, body: { error: "invalid_grant", error_description: refused } };
    const accessToken = `ya29.fake-${randomBytes(12).toString("hex")}`;
    issued.set(accessToken, Date.now() + state.tokenLifetimeSeconds * 1000);
    return { body: { access_token: accessToken, expires_in: state.tokenLifetimeSeconds, token_type: "Bearer" } };
  }

  async function predict(request: Received, inProject: string, inLocation: string, model: string): Promise<Reply> {
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1];
    const expiry = bearer ? issued.get(bearer) : undefined;
    if (!expiry || expiry < Date.now()) {
      return googleError(401, "UNAUTHENTICATED", "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.");
    }
    if (inProject !== project) return googleError(403, "PERMISSION_DENIED", `Permission denied on project ${inProject}.`);
    if (inLocation !== location) return googleError(400, "INVALID_ARGUMENT", `Location ${inLocation} does not match the endpoint's ${location}.`);
    if (!MODELS.has(model)) return googleError(404, "NOT_FOUND", `Publisher Model \`projects/${project}/locations/${location}/publishers/google/models/${model}\` not found.`);
    let sampleCount: number;
    let aspectRatio: string;
    try {
      if (!(request.headers["content-type"] ?? "").startsWith("application/json")) throw new Invalid("Expected a JSON body.");
      const body = only(request.json, "", ["instances", "parameters"]);
      if (!Array.isArray(body.instances) || body.instances.length !== 1) throw new Invalid("Exactly one instance is required.");
      const instance = only(body.instances[0], "instances[0]", ["prompt"]);
      if (typeof instance.prompt !== "string" || instance.prompt.trim() === "") throw new Invalid("The prompt is empty.");
      const parameters = only(body.parameters ?? {}, "parameters", PARAMETERS);
      sampleCount = parameters.sampleCount === undefined ? 4 : (parameters.sampleCount as number);
      if (!Number.isInteger(sampleCount) || sampleCount < 1 || sampleCount > 4) throw new Invalid("sampleCount must be between 1 and 4.");
      aspectRatio = (parameters.aspectRatio ?? "1:1") as string;
      if (!IMAGEN_PIXELS[aspectRatio]) throw new Invalid(`Unsupported aspect ratio: ${aspectRatio}.`);
      if (parameters.seed !== undefined && parameters.addWatermark !== false) throw new Invalid("Seed is not supported when watermark is enabled.");
      if (parameters.seed !== undefined && (!Number.isInteger(parameters.seed) || (parameters.seed as number) < 1 || (parameters.seed as number) > 2 ** 31 - 1)) {
        throw new Invalid("seed must be an integer from 1 to 2147483647.");
      }
      if (parameters.outputOptions !== undefined) {
        const output = only(parameters.outputOptions, "parameters.outputOptions", OUTPUT_OPTIONS);
        if (output.mimeType !== undefined && output.mimeType !== "image/png" && output.mimeType !== "image/jpeg") throw new Invalid(`Unsupported mimeType ${String(output.mimeType)}.`);
      }
      if (parameters.includeRaiReason !== undefined && typeof parameters.includeRaiReason !== "boolean") throw new Invalid("includeRaiReason must be a boolean.");
    } catch (error) {
      if (error instanceof Invalid) return googleError(400, "INVALID_ARGUMENT", error.message);
      throw error;
    }

    const behaviour = script.shift() ?? "ok";
    switch (behaviour) {
      case "unauthenticated":
        return googleError(401, "UNAUTHENTICATED", "Request had invalid authentication credentials.");
      case "forbidden":
        return googleError(403, "PERMISSION_DENIED", `Permission 'aiplatform.endpoints.predict' denied on resource '//aiplatform.googleapis.com/projects/${project}/locations/${location}/publishers/google/models/${model}'.`);
      case "invalid":
        return googleError(400, "INVALID_ARGUMENT", "Request contains an invalid argument.");
      case "rai_refusal":
        return googleError(400, "INVALID_ARGUMENT", "Image generation failed with the following error: The prompt could not be submitted. This prompt contains sensitive words that violate Google's Responsible AI practices. Try rephrasing the prompt. If you think this was an error, send feedback. Support codes: 42876398");
      case "billing_disabled":
        return googleError(403, "FAILED_PRECONDITION", `This API method requires billing to be enabled. Please enable billing on project #${project} by visiting https://console.developers.google.com/billing/enable?project=${project} then retry.`);
      case "quota":
        return googleError(429, "RESOURCE_EXHAUSTED", `Quota exceeded for aiplatform.googleapis.com/online_prediction_requests_per_base_model with base model: ${model}. Please submit a quota increase request.`);
      case "server_error":
        return googleError(500, "INTERNAL", "Internal error encountered.");
      case "hang":
        return { hang: true };
      case "empty":
        return { body: {} };
      default:
        break;
    }
    const filtered = typeof behaviour === "object" && "filtered" in behaviour ? Math.min(behaviour.filtered, sampleCount) : 0;
    const [width, height] = typeof behaviour === "object" && "size" in behaviour ? [behaviour.size.width, behaviour.size.height] : IMAGEN_PIXELS[aspectRatio]!;
    const bytes = (await imageBytes(width, height, "png")).toString("base64");
    const predictions = [
      ...Array.from({ length: sampleCount - filtered }, () => ({ mimeType: "image/png", bytesBase64Encoded: bytes })),
      ...Array.from({ length: filtered }, () => ({ raiFilteredReason: "Your current safety filter threshold filtered out the generated image. Support codes: 58061214" })),
    ];
    return { body: { predictions } };
  }

  const server = await startFakeServer(async (request) => {
    if (request.path === "/token") return token(request);
    const match = /^\/v1\/projects\/([^/]+)\/locations\/([^/]+)\/publishers\/google\/models\/([^/:]+):predict$/.exec(request.path);
    if (request.method !== "POST" || !match) return googleError(404, "NOT_FOUND", `Unknown path ${request.method} ${request.path}.`);
    return predict(request, decodeURIComponent(match[1]!), decodeURIComponent(match[2]!), match[3]!);
  });

  const firstKey = writeKey(privateKey.export({ type: "pkcs8", format: "pem" }).toString());
  const fake: FakeVertex = {
    ...server,
    project,
    location,
    clientEmail,
    script,
    tokenScript,
    get tokenLifetimeSeconds() {
      return state.tokenLifetimeSeconds;
    },
    set tokenLifetimeSeconds(value: number) {
      state.tokenLifetimeSeconds = value;
    },
    env: ({ keyFile } = {}) => ({
      GOOGLE_VERTEX_PROJECT: project,
      GOOGLE_VERTEX_LOCATION: location,
      GOOGLE_APPLICATION_CREDENTIALS: keyFile ?? firstKey,
      VERTEX_BASE_URL: server.origin,
      GOOGLE_TOKEN_URL: `${server.origin}/token`,
    }),
    newKeyFile: () => writeKey(privateKey.export({ type: "pkcs8", format: "pem" }).toString()),
    wrongKeyFile: () => writeKey(generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString()),
    tokenRequests: () => server.requestsTo("/token", "POST"),
    predictRequests: () => server.requestsTo("/v1/projects/", "POST"),
    reset: () => {
      script.length = 0;
      tokenScript.length = 0;
      server.received.length = 0;
      state.tokenLifetimeSeconds = 3599;
    },
    close: async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return fake;
}
