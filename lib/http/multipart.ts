import { readBytes } from "./body";
import { ApiError, invalidRequest } from "./errors";

/** Room for the multipart envelope around a maximal file. */
const ENVELOPE_BYTES = 64 * 1024;

/**
 * Reads one file field of a multipart/form-data body, of at most `maxFileBytes`, without
 * buffering more than that (and its envelope). Its bytes only: what it is, the caller judges.
 */
export async function readFormFile(request: Request, options: { field: string; maxFileBytes: number }): Promise<Buffer> {
  const type = request.headers.get("content-type") ?? "";
  if (!type.toLowerCase().startsWith("multipart/form-data")) {
    throw new ApiError(415, "unsupported_media_type", `Send the image as multipart/form-data with a \`${options.field}\` field.`);
  }
  const body = await readBytes(request, options.maxFileBytes + ENVELOPE_BYTES);

  let form: FormData;
  try {
    form = await new Response(new Uint8Array(body), { headers: { "content-type": type } }).formData();
  } catch {
    throw invalidRequest("invalid_multipart", "The multipart body could not be read.");
  }
  const file = form.get(options.field);
  if (!(file instanceof Blob)) throw invalidRequest("file_required", `Send the image in a form field named \`${options.field}\`.`, options.field);
  if (file.size > options.maxFileBytes) {
    throw new ApiError(413, "payload_too_large", `The image is larger than ${options.maxFileBytes / 1024 / 1024} MB.`);
  }
  return Buffer.from(await file.arrayBuffer());
}

export type FormFile = { field: string; bytes: Buffer; contentType: string; filename: string };

/**
 * Reads a whole multipart/form-data body of at most `maxBytes`: its text fields (the last value
 * of each name wins) and its files, in order. What the files are, the caller judges.
 */
export async function readMultipartForm(request: Request, options: { maxBytes: number }): Promise<{ fields: Record<string, string>; files: FormFile[] }> {
  const type = request.headers.get("content-type") ?? "";
  if (!type.toLowerCase().startsWith("multipart/form-data")) {
    throw new ApiError(415, "unsupported_media_type", "Send the request as multipart/form-data.");
  }
  const body = await readBytes(request, options.maxBytes + ENVELOPE_BYTES);
  let form: FormData;
  try {
    form = await new Response(new Uint8Array(body), { headers: { "content-type": type } }).formData();
  } catch {
    throw invalidRequest("invalid_multipart", "The multipart body could not be read.");
  }
  const fields: Record<string, string> = {};
  const files: FormFile[] = [];
  for (const [field, value] of form.entries()) {
    if (typeof value === "string") fields[field] = value;
    else files.push({ field, bytes: Buffer.from(await value.arrayBuffer()), contentType: value.type, filename: value.name });
  }
  return { fields, files };
}
