// The harness every fake upstream server is built on: a real HTTP server on loopback that
// records what it received (headers, raw body, parsed JSON or multipart) and answers through
// the fake's own routes. Each fake (fake-fal.ts, fake-openai.ts, ...) speaks one upstream's
// documented protocol on top of it, strictly: a request it does not recognise is a 400 or 404
// with a message saying why, so a misspelt field fails the test that sent it.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import sharp from "sharp";

export type ReceivedFile = { field: string; filename: string; contentType: string; bytes: Buffer };

export type Received = {
  method: string;
  /** Path and query, as sent. */
  url: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  raw: Buffer;
  /** The body parsed as JSON when it was JSON, else undefined. */
  json?: unknown;
  /** Text fields and files when the body was multipart/form-data. */
  fields?: Array<{ name: string; value: string }>;
  files?: ReceivedFile[];
};

export type Reply = {
  status?: number;
  headers?: Record<string, string>;
  /** An object is sent as JSON; a Buffer or string as it is. */
  body?: unknown;
  /** Never answer (a hang past the caller's timeout). */
  hang?: boolean;
};

export type Route = (request: Received) => Reply | Promise<Reply>;

export type FakeServer = {
  /** `http://127.0.0.1:PORT`, without a trailing slash. */
  origin: string;
  received: Received[];
  /** Requests received on paths that start with `prefix` (and of `method`, when given). */
  requestsTo(prefix: string, method?: string): Received[];
  close(): Promise<void>;
};

/**
 * Starts a server answering with `route`. `route` throws a `FakeRejection` (or any error) to
 * answer 400 with the error's message: that is how a fake refuses a request that breaks the
 * protocol.
 */
export async function startFakeServer(route: Route): Promise<FakeServer> {
  const received: Received[] = [];
  const hanging = new Set<ServerResponse>();

  const server: Server = createServer((req, res) => {
    void handle(req, res);
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    let reply: Reply;
    try {
      const request = await receive(req);
      received.push(request);
      reply = await route(request);
    } catch (error) {
      const status = error instanceof FakeRejection ? error.status : 400;
      reply = { status, body: { error: { message: error instanceof Error ? error.message : String(error) } } };
    }
    if (reply.hang) {
      hanging.add(res);
      res.on("close", () => hanging.delete(res));
      return;
    }
    const headers: Record<string, string> = { ...reply.headers };
    let body: Buffer | string = "";
    if (Buffer.isBuffer(reply.body) || typeof reply.body === "string") {
      body = reply.body;
    } else if (reply.body !== undefined) {
      body = JSON.stringify(reply.body);
      headers["content-type"] ??= "application/json";
    }
    res.writeHead(reply.status ?? 200, headers);
    res.end(body);
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  return {
    origin,
    received,
    requestsTo: (prefix, method) => received.filter((r) => r.path.startsWith(prefix) && (!method || r.method === method)),
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Thrown by a fake's route to refuse a request: answered with `status` and the message. */
export class FakeRejection extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

async function receive(req: IncomingMessage): Promise<Received> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const url = new URL(req.url ?? "/", "http://fake");
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  const request: Received = { method: req.method ?? "GET", url: req.url ?? "/", path: url.pathname, query: url.searchParams, headers, raw };

  const contentType = headers["content-type"] ?? "";
  if (contentType.startsWith("application/json")) {
    try {
      request.json = JSON.parse(raw.toString("utf8"));
    } catch {
      throw new FakeRejection("The body is not valid JSON.");
    }
  } else if (contentType.startsWith("multipart/form-data")) {
    // The platform's own multipart parser, so the fake reads what a real server would.
    const form = await new Response(raw, { headers: { "content-type": contentType } }).formData();
    request.fields = [];
    request.files = [];
    for (const [name, value] of form.entries()) {
      if (typeof value === "string") request.fields.push({ name, value });
      else request.files.push({ field: name, filename: value.name, contentType: value.type, bytes: Buffer.from(await value.arrayBuffer()) });
    }
  }
  return request;
}

/** The JSON body of a request as an object, or a rejection saying it is not one. */
export function jsonObject(request: Received): Record<string, unknown> {
  if (typeof request.json !== "object" || request.json === null || Array.isArray(request.json)) {
    throw new FakeRejection("Expected a JSON object body with Content-Type: application/json.");
  }
  return request.json as Record<string, unknown>;
}

/**
 * Refuses a body with a field outside `allowed` (a misspelt or invented parameter) or without
 * one of `required` — what a strict upstream's validation does.
 */
export function checkFields(body: Record<string, unknown>, spec: { required?: readonly string[]; allowed: readonly string[] }, status = 422): void {
  for (const name of spec.required ?? []) {
    if (body[name] === undefined) throw new FakeRejection(`Missing required field "${name}".`, status);
  }
  const allowed = new Set([...(spec.required ?? []), ...spec.allowed]);
  for (const name of Object.keys(body)) {
    if (!allowed.has(name)) throw new FakeRejection(`Unknown field "${name}".`, status);
  }
}

/** A real PNG (or JPEG, WebP) of the given size: what an upstream answers. */
export async function imageBytes(width: number, height: number, format: "png" | "jpeg" | "webp" = "png", color = { r: 40, g: 120, b: 200 }): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: color } })[format]().toBuffer();
}

/** A real, small SVG document of the given size. */
export function svgBytes(width: number, height: number): Buffer {
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
      `<rect width="${width}" height="${height}" fill="#1e3a8a"/><circle cx="${width / 2}" cy="${height / 2}" r="${Math.min(width, height) / 3}" fill="#fbbf24"/></svg>`,
  );
}
