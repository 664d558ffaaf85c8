import "server-only";
import { invalidInput } from "@/lib/errors";
import { checkGenerationRequest, type GenerationRequest } from "@/lib/jobs/generation-check";
import { signFileUrl } from "@/lib/storage/signed-urls";
import { MAX_UPLOAD_BYTES, storeUpload } from "@/lib/storage/uploads";
import { readOpenAiImageBody, type OpenAiImageRequest } from "./openai-images";

/** The OpenAI API takes up to 16 input images in one edit. */
export const MAX_EDIT_IMAGES = 16;
/** The body of an edit: up to 16 images and a mask, each at most the upload limit. */
export const MAX_EDIT_BODY_BYTES = (MAX_EDIT_IMAGES + 1) * MAX_UPLOAD_BYTES;

export type OpenAiJob = { request: GenerationRequest; answer: Pick<OpenAiImageRequest, "responseFormat" | "quality"> };

/** POST /openai/v1/images/generations: a JSON body, as Easel's generation request. */
export function openAiGeneration(body: unknown, idempotencyKey: string | null): OpenAiJob {
  const read = readOpenAiImageBody(body, "generation");
  const request = checkGenerationRequest({ ...read.input, idempotency_key: idempotencyKey }, "generation");
  return { request, answer: read };
}

type EditFile = { field: string; bytes: Buffer };

/**
 * POST /openai/v1/images/edits: multipart fields (numbers as strings) and files — `image` or
 * `image[]` (up to 16), and `mask`. The images are stored as the account's uploads and given
 * to the job as references, like any other reference image.
 */
export async function openAiEdit(input: {
  accountId: string;
  fields: Record<string, string>;
  files: EditFile[];
  origin: string;
  idempotencyKey: string | null;
}): Promise<OpenAiJob> {
  const images = input.files.filter((file) => file.field === "image" || file.field === "image[]");
  const others = input.files.filter((file) => file.field !== "image" && file.field !== "image[]" && file.field !== "mask");
  if (others.length > 0) throw invalidInput("unknown_parameter", `Unknown file field '${others[0]!.field}'.`, others[0]!.field);
  if (images.length === 0) throw invalidInput("image_url_required", "An edit needs an image: send it as `image` (or several as `image[]`).", "image");
  if (images.length > MAX_EDIT_IMAGES) {
    throw invalidInput("too_many_references", `At most ${MAX_EDIT_IMAGES} images may be sent; got ${images.length}.`, "image");
  }
  // The fields are checked (and the job priced) before anything is stored.
  const read = readOpenAiImageBody(input.fields, "edit");
  const placeholders = images.map((_, index) => `https://uploads.invalid/${index}`);
  checkGenerationRequest({ ...read.input, image_urls: placeholders, idempotency_key: input.idempotencyKey }, "edit");

  // A mask is accepted and not applied: no model of Easel's takes one; the whole image is edited.
  const stored = await Promise.all(images.map((image) => storeUpload({ accountId: input.accountId, bytes: image.bytes })));
  const imageUrls = stored.map((file) => signFileUrl(file.id, input.origin, { ttlSeconds: 24 * 60 * 60 }).url);
  const request = checkGenerationRequest({ ...read.input, image_urls: imageUrls, idempotency_key: input.idempotencyKey }, "edit");
  return { request, answer: read };
}
