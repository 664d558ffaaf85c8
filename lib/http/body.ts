import { ApiError, invalidRequest } from "./errors";

/** Bodies above this are refused with 413 before they are parsed (docs/product-rules.md, "Limits"). */
export const MAX_JSON_BODY_BYTES = 1024 * 1024;

const tooLarge = (limit: number) =>
  new ApiError(413, "payload_too_large", `The request body is larger than ${limit} bytes.`);

/**
 * Reads a body, refusing more than `limit` bytes without buffering them: a declared
 * Content-Length over the limit is refused at once, and a streamed body is cut off as soon as
 * it passes the limit.
 */
export async function readBytes(request: Request, limit: number): Promise<Buffer> {
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);

  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel().catch(() => {});
        throw tooLarge(limit);
      }
      chunks.push(value);
    }
  }
  return Buffer.concat(chunks);
}

/** Reads a JSON body of at most `limit` bytes. */
export async function readJson(request: Request, limit = MAX_JSON_BODY_BYTES): Promise<unknown> {
  const text = (await readBytes(request, limit)).toString("utf8");
  if (text.trim() === "") throw invalidRequest("invalid_json", "The request body is empty; send a JSON object.");
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw invalidRequest("invalid_json", "The request body is not valid JSON.");
  }
}
