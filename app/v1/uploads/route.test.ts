import "@/lib/testing/isolated-database";
import sharp from "sharp";
import { afterEach, describe, expect, test } from "vitest";
import { GET as getFile } from "@/app/v1/files/[id]/route";
import { POST as generate } from "@/app/v1/images/generations/route";
import { assertLedgerInvariants } from "@/lib/billing/invariants";
import { JobWorker } from "@/lib/jobs/worker";
import { getBalance } from "@/lib/billing/balance";
import { apiRequest, call, createTestAccount } from "@/lib/testing/fixtures";
import { waitForTerminal } from "@/lib/testing/jobs";
import { assertDocumented } from "@/lib/testing/openapi-check";
import { POST as upload } from "./route";

const png = (color: string, width = 64, height = 48) =>
  sharp({ create: { width, height, channels: 3, background: color } }).png().toBuffer();

function uploadRequest(key: string, file: Blob | string | null, name = "ref.png") {
  const form = new FormData();
  if (file !== null) form.set("file", typeof file === "string" ? new Blob([file]) : file, name);
  return new Request("http://localhost:3000/v1/uploads", { method: "POST", headers: { authorization: `Bearer ${key}` }, body: form });
}

const fetchFile = (url: string) => call(getFile, new Request(url), { id: new URL(url).pathname.split("/").pop()! });

let worker: JobWorker | undefined;
afterEach(async () => {
  await worker?.stop(0);
  worker = undefined;
  await assertLedgerInvariants();
});

describe("POST /v1/uploads", () => {
  test("stores a PNG and returns a signed URL that serves it", async () => {
    const { secret } = await createTestAccount();
    const bytes = await png("#ff0000");
    const response = await call(upload, uploadRequest(secret, new Blob([new Uint8Array(bytes)])));
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ object: "file", purpose: "upload", content_type: "image/png", width: 64, height: 48 });
    const served = await getFile(new Request(response.body.url), { params: Promise.resolve({ id: response.body.id }) });
    expect(served.status).toBe(200);
    assertDocumented(new Request(response.body.url), served, null);
    // Stored re-encoded (lib/storage/uploads.ts): the same pixels, not necessarily the same bytes.
    const stored = Buffer.from(await served.arrayBuffer());
    expect(stored.length).toBe(response.body.bytes);
    const pixels = (image: Buffer) => sharp(image).raw().toBuffer();
    expect((await pixels(stored)).equals(await pixels(bytes))).toBe(true);
  });

  test("judges the type by content, not by name", async () => {
    const { secret } = await createTestAccount();
    const fake = await call(upload, uploadRequest(secret, "<html>not an image</html>", "innocent.png"));
    expect(fake.status).toBe(400);
    expect(fake.body.error.code).toBe("unsupported_file_type");
    const gif = Buffer.from("R0lGODlhAQABAAAAACw=", "base64"); // a real GIF: decodable, but not accepted
    expect((await call(upload, uploadRequest(secret, new Blob([new Uint8Array(gif)]), "x.png"))).body.error.code).toBe(
      "unsupported_file_type",
    );
  });

  test("refuses a missing file, a non-multipart body and more than 20 MB", async () => {
    const { secret } = await createTestAccount();
    expect((await call(upload, uploadRequest(secret, null))).body.error.code).toBe("file_required");
    const json = await call(upload, apiRequest("/v1/uploads", { key: secret, body: { file: "x" } }));
    expect([json.status, json.body.error.code]).toEqual([415, "unsupported_media_type"]);
    const huge = new Blob([new Uint8Array(21 * 1024 * 1024)]);
    const tooBig = await call(upload, uploadRequest(secret, huge));
    expect([tooBig.status, tooBig.body.error.code]).toEqual([413, "payload_too_large"]);
  });

  test("an uploaded image works as image_url for an edit model", async () => {
    const { secret, account, principal } = await createTestAccount({ creditUsd: "1" });
    const uploaded = await call(upload, uploadRequest(secret, new Blob([new Uint8Array(await png("#ff0000", 512, 512))])));
    worker = new JobWorker();
    await worker.start();
    const submitted = await call(
      generate,
      apiRequest("/v1/images/generations", {
        key: secret,
        body: { model: "flux-kontext-pro", prompt: "make it moody", image_url: uploaded.body.url },
      }),
    );
    expect(submitted.status).toBe(202);
    const done = await waitForTerminal(principal, submitted.body.id);
    expect(done.status).toBe("succeeded");
    expect((await getBalance({ accountId: account.id }))!.balanceMicros).toBe(946_000n);
  });

  test("a reference URL on a private address fails the job, refunded, without fetching it", async () => {
    const { account, principal, secret } = await createTestAccount({ creditUsd: "1" });
    worker = new JobWorker();
    await worker.start();
    const submitted = await call(
      generate,
      apiRequest("/v1/images/generations", {
        key: secret,
        body: { model: "flux-kontext-pro", prompt: "steal metadata", image_url: "https://169.254.169.254/latest/meta-data" },
      }),
    );
    const done = await waitForTerminal(principal, submitted.body.id);
    expect(done).toMatchObject({ status: "failed", errorCode: "invalid_image_url", chargedMicros: 0n });
    expect(done.errorMessage).toMatch(/Reference image 1/);
    expect((await getBalance({ accountId: account.id }))!).toMatchObject({ balanceMicros: 1_000_000n, heldMicros: 0n });
  });
});

describe("GET /v1/files/{id}", () => {
  test("refuses a tampered or expired signature, and serves SVG so that it cannot run script", async () => {
    const { secret } = await createTestAccount();
    const uploaded = await call(upload, uploadRequest(secret, new Blob([new Uint8Array(await png("#00ff00"))])));
    const url = new URL(uploaded.body.url);

    const tampered = new URL(url);
    tampered.searchParams.set("sig", `${url.searchParams.get("sig")!.slice(0, -2)}AA`);
    expect(await fetchFile(tampered.toString())).toMatchObject({ status: 403, body: { error: { code: "invalid_signature" } } });

    const extended = new URL(url);
    extended.searchParams.set("expires", String(Number(url.searchParams.get("expires")) + 3600));
    expect((await fetchFile(extended.toString())).status).toBe(403);

    const served = await getFile(new Request(url), { params: Promise.resolve({ id: uploaded.body.id }) });
    expect(served.headers.get("content-security-policy")).toContain("sandbox");
    expect(served.headers.get("x-content-type-options")).toBe("nosniff");
    expect(served.headers.get("cache-control")).toMatch(/^private, max-age=\d+/);

    const download = new URL(url);
    download.searchParams.set("download", "1");
    const attachment = await getFile(new Request(download), { params: Promise.resolve({ id: uploaded.body.id }) });
    expect(attachment.headers.get("content-disposition")).toMatch(/^attachment; filename="file_[0-9a-z]+\.png"$/);
  });

  test("an unknown file is a 404", async () => {
    const response = await call(getFile, new Request("http://localhost:3000/v1/files/nope"), { id: "nope" });
    expect(response.status).toBe(404);
  });
});
