// A real S3-protocol server for tests: s3rver on loopback, its objects in a temporary directory,
// with one bucket made. The S3 client talks to it exactly as it would to AWS (signed requests,
// path-style addressing).
import fs from "node:fs";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
// @ts-expect-error -- s3rver ships no types; it is used only here, as a test server.
import S3rver from "s3rver";
import type { S3Settings } from "@/lib/storage/s3-blob-store";

export type TestS3 = { settings: S3Settings; env: Record<string, string>; directory: string; close(): Promise<void> };

export async function startTestS3(bucket = "easel-test"): Promise<TestS3> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), "easel-s3-"));
  const server = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] });
  const { port } = (await server.run()) as AddressInfo;
  const settings: S3Settings = {
    bucket,
    endpoint: `http://127.0.0.1:${port}`,
    region: "us-east-1",
    accessKeyId: "S3RVER",
    secretAccessKey: "S3RVER",
    forcePathStyle: true,
  };
  const env = {
    S3_BUCKET: bucket,
    S3_ENDPOINT: settings.endpoint!,
    S3_REGION: settings.region,
    S3_ACCESS_KEY_ID: "S3RVER",
    S3_SECRET_ACCESS_KEY: "S3RVER",
    S3_FORCE_PATH_STYLE: "true",
  };
  return {
    settings,
    env,
    directory,
    close: async () => {
      await server.close();
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}
