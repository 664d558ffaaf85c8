import "server-only";
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import type { BlobStore, ListedBlob, OpenBlob, PresignOptions } from "./blob-store";

export type S3Settings = {
  bucket: string;
  /** An S3-compatible server (MinIO, R2, s3rver); unset for AWS itself. */
  endpoint?: string;
  region: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  /** `bucket.host/key` (AWS's default) or `host/bucket/key` (most self-hosted servers). */
  forcePathStyle: boolean;
};

/** The S3 settings from the environment, or null when `S3_BUCKET` is unset (files stay on disk). */
export function s3SettingsFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): S3Settings | null {
  const bucket = env.S3_BUCKET?.trim();
  if (!bucket) return null;
  return {
    bucket,
    endpoint: env.S3_ENDPOINT?.trim() || undefined,
    region: env.S3_REGION?.trim() || "us-east-1",
    accessKeyId: env.S3_ACCESS_KEY_ID || undefined,
    secretAccessKey: env.S3_SECRET_ACCESS_KEY || undefined,
    forcePathStyle: env.S3_FORCE_PATH_STYLE === "true" || env.S3_FORCE_PATH_STYLE === "1",
  };
}

/**
 * Blobs as objects of one bucket, so that every app instance and worker sees the same files.
 * S3 writes are atomic per object (a reader sees the old object or the new one, never half), so
 * `fresh` needs nothing special here.
 */
export class S3BlobStore implements BlobStore {
  readonly client: S3Client;

  constructor(readonly settings: S3Settings) {
    this.client = new S3Client({
      region: settings.region,
      endpoint: settings.endpoint,
      forcePathStyle: settings.forcePathStyle,
      credentials:
        settings.accessKeyId && settings.secretAccessKey
          ? { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey }
          : undefined,
    });
  }

  async put(key: string, bytes: Buffer, options: { fresh?: boolean; contentType?: string } = {}): Promise<void> {
    await this.client.send(
      new PutObjectCommand({ Bucket: this.settings.bucket, Key: key, Body: bytes, ContentLength: bytes.length, ContentType: options.contentType }),
    );
  }

  async get(key: string): Promise<Buffer | null> {
    const object = await this.getObject(key);
    return object?.Body ? Buffer.from(await object.Body.transformToByteArray()) : null;
  }

  async open(key: string): Promise<OpenBlob | null> {
    const object = await this.getObject(key);
    if (!object?.Body || object.ContentLength === undefined) return null;
    return { body: object.Body.transformToWebStream() as ReadableStream<Uint8Array>, size: object.ContentLength };
  }

  private async getObject(key: string) {
    try {
      return await this.client.send(new GetObjectCommand({ Bucket: this.settings.bucket, Key: key }));
    } catch (error) {
      if (error instanceof NoSuchKey || (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404)) return null;
      throw error;
    }
  }

  /**
   * A presigned GET that answers with our headers (type, disposition, caching). Signed as of
   * `signedAt`, so that every request within one expiry step gets the same URL and caches work.
   */
  async presign(key: string, options: PresignOptions): Promise<string> {
    const command = new GetObjectCommand({
      Bucket: this.settings.bucket,
      Key: key,
      ResponseContentType: options.contentType,
      ResponseContentDisposition: options.contentDisposition,
      ResponseCacheControl: options.cacheControl,
    });
    const expiresIn = Math.max(1, Math.round((options.expiresAt.getTime() - options.signedAt.getTime()) / 1000));
    return getSignedUrl(this.client, command, { expiresIn, signingDate: options.signedAt });
  }

  async delete(key: string): Promise<void> {
    // Deleting what is not there succeeds, as on disk.
    await this.client.send(new DeleteObjectCommand({ Bucket: this.settings.bucket, Key: key }));
  }

  async list(prefix: string, options: { after?: string; limit: number }): Promise<ListedBlob[]> {
    // S3 lists keys in UTF-8 byte order, which for our ASCII keys is the disk store's order.
    const page = await this.client.send(
      new ListObjectsV2Command({ Bucket: this.settings.bucket, Prefix: prefix, StartAfter: options.after, MaxKeys: options.limit }),
    );
    return (page.Contents ?? []).flatMap((object) => (object.Key && object.LastModified ? [{ key: object.Key, writtenAt: object.LastModified }] : []));
  }
}
