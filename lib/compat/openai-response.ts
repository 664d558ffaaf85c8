import "server-only";
import type { Job } from "@/db/schema";
import { toUsd } from "@/lib/money";
import { jobOutputs } from "./job-outputs";
import type { OpenAiImageRequest, OpenAiImagesResponse } from "./openai-images";

const FORMATS: Record<string, OpenAiImagesResponse["output_format"]> = {
  "image/png": "png",
  "image/jpeg": "jpeg",
  "image/webp": "webp",
  "image/svg+xml": "svg",
};

/** A succeeded job as the OpenAI Images API answers: its images inline (base64) or as URLs. */
export async function openAiImagesResponse(job: Job, request: Pick<OpenAiImageRequest, "responseFormat" | "quality">, origin: string): Promise<OpenAiImagesResponse> {
  const inline = request.responseFormat === "b64_json";
  const outputs = await jobOutputs(job, origin, { withBytes: inline });
  const first = outputs[0];
  return {
    created: Math.floor(job.createdAt.getTime() / 1000),
    data: outputs.map((output) => (inline ? { b64_json: output.bytes!.toString("base64") } : { url: output.url })),
    size: first ? `${first.width}x${first.height}` : `${job.params.width}x${job.params.height}`,
    quality: request.quality,
    output_format: (first && FORMATS[first.contentType]) || "png",
    easel: { job_id: job.id, model: job.model, charged_amount: toUsd(job.chargedMicros ?? 0n), provider: job.provider },
  };
}
