// Uploads cost disk: what is stored is only the pixels, within a size and a per-account quota,
// and only for a day.
import "@/lib/testing/isolated-database";
import { randomBytes } from "node:crypto";
import { crc32 } from "node:zlib";
import { sql } from "drizzle-orm";
import sharp from "sharp";
import { describe, expect, test } from "vitest";
import { POST as generate } from "@/app/v1/images/generations/route";
import { POST as upload } from "@/app/v1/uploads/route";
import { getDb, selectRows } from "@/db/client";
import { findFile, insertFiles, readFileBytes, writeFileBytes } from "@/lib/storage/files";
import { apiRequest, call, createTestAccount } from "@/lib/testing/fixtures";
import { expireUploads } from "./upload-expiry";
import { MAX_UPLOAD_PIXELS, UPLOAD_QUOTA_BYTES } from "./uploads";

/** A PNG chunk: length, type, data, CRC of type and data. */
function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body) >>> 0);
  return Buffer.concat([length, body, crc]);
}

/** A real 8×8 PNG with `metadataBytes` of tEXt metadata before its pixels, and junk after its end. */
async function bloatedPng(metadataBytes: number): Promise<Buffer> {
  const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: "#3366cc" } }).png().toBuffer();
  const ihdrEnd = 8 + 25; // signature, then the IHDR chunk (13 bytes of data)
  const text = chunk("tEXt", Buffer.concat([Buffer.from("Comment\0", "latin1"), Buffer.alloc(metadataBytes, "A")]));
  return Buffer.concat([png.subarray(0, ihdrEnd), text, png.subarray(ihdrEnd), Buffer.alloc(4096, "Z")]);
}

/** A PNG whose header claims `width`×`height`: a decompression bomb is refused by its header. */
function claimedPng(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  return Buffer.concat([Buffer.from("89504e470d0a1a0a", "hex"), chunk("IHDR", ihdr), chunk("IDAT", Buffer.alloc(16)), chunk("IEND", Buffer.alloc(0))]);
}

function uploadRequest(key: string, bytes: Buffer) {
  const form = new FormData();
  form.set("file", new Blob([new Uint8Array(bytes)]), "ref.png");
  return new Request("http://localhost:3000/v1/uploads", { method: "POST", headers: { authorization: `Bearer ${key}` }, body: form });
}

describe("what an upload stores", () => {
  test("an 8×8 PNG with 19 MB of metadata is stored as a few hundred bytes of pixels", async () => {
    const { secret } = await createTestAccount();
    const bloated = await bloatedPng(19 * 1024 * 1024);
    const response = await call(upload, uploadRequest(secret, bloated));
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ width: 8, height: 8, content_type: "image/png" });
    expect(response.body.bytes).toBeLessThan(1024);
    const stored = (await readFileBytes((await findFile(response.body.id))!))!;
    expect(stored.length).toBe(response.body.bytes);
    expect(stored.includes(Buffer.from("tEXt"))).toBe(false);
    expect(stored.includes(Buffer.from("ZZZZ"))).toBe(false);
    const pixels = (image: Buffer) => sharp(image).raw().toBuffer();
    expect((await pixels(stored)).equals(await pixels(bloated))).toBe(true);
  });

  test("EXIF is dropped from a JPEG, and its orientation applied to the pixels", async () => {
    const { secret } = await createTestAccount();
    const jpeg = await sharp({ create: { width: 40, height: 20, channels: 3, background: "#aa5500" } })
      .jpeg()
      .withExif({ IFD0: { Artist: "someone@example.com", ImageDescription: "GPS and all" } })
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const response = await call(upload, uploadRequest(secret, jpeg));
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ width: 20, height: 40, content_type: "image/jpeg" });
    const stored = (await readFileBytes((await findFile(response.body.id))!))!;
    const meta = await sharp(stored).metadata();
    expect(meta.exif).toBeUndefined();
    expect(stored.includes(Buffer.from("someone@example.com"))).toBe(false);
  });

  test.each([
    [10_000, 10_000],
    [8_001, 8_000], // over the 64 MP that thumbnails decode: refused here rather than a 500 there
    [MAX_UPLOAD_PIXELS + 1, 1],
  ])("a %i×%i image is refused by its header", async (width, height) => {
    const { secret } = await createTestAccount();
    const response = await call(upload, uploadRequest(secret, claimedPng(width, height)));
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ code: "image_too_large", param: "file" });
  });

  test("an empty file is refused, not a 500", async () => {
    const { secret } = await createTestAccount();
    const response = await call(upload, uploadRequest(secret, Buffer.alloc(0)));
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe("unsupported_file_type");
  });

  test("a file that is an image only in its header is refused", async () => {
    const { secret } = await createTestAccount();
    const response = await call(upload, uploadRequest(secret, claimedPng(64, 64)));
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe("unsupported_file_type");
  });
});

describe("the upload quota", () => {
  test("uploads stop at the tier's quota, and what is refused is not stored", async () => {
    const { secret, account } = await createTestAccount();
    // The account already holds uploads up to 1 KB short of its tier 0 quota.
    const filler = await writeFileBytes({ accountId: account.id, purpose: "upload", bytes: Buffer.from("x"), contentType: "image/png", width: 1, height: 1 });
    await insertFiles(await getDb(), [{ ...filler, byteSize: UPLOAD_QUOTA_BYTES[0]! - 1024 }]);
    const small = await sharp({ create: { width: 4, height: 4, channels: 3, background: "#000" } }).png().toBuffer();
    expect((await call(upload, uploadRequest(secret, small))).status).toBe(201);
    const noise = await sharp(randomBytes(64 * 64 * 3), { raw: { width: 64, height: 64, channels: 3 } }).png().toBuffer();
    const refused = await call(upload, uploadRequest(secret, noise));
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: "upload_quota_exceeded", message: expect.stringMatching(/100 MB at once on tier 0/) });
    const rows = await selectRows<{ n: number }>(await getDb(), sql`select count(*)::int as n from files where account_id = ${account.id}`);
    expect(rows[0]?.n).toBe(2);
  });

  test("five 19 MB uploads in a row are five tiny files, not 95 MB", async () => {
    const { secret, account } = await createTestAccount({ creditUsd: "1" });
    const bloated = await bloatedPng(19 * 1024 * 1024);
    let total = 0;
    for (let i = 0; i < 5; i++) {
      const response = await call(upload, uploadRequest(secret, bloated));
      expect(response.status).toBe(201);
      total += response.body.bytes;
    }
    expect(total).toBeLessThan(5 * 1024);
    const [used] = await selectRows<{ bytes: number }>(await getDb(), sql`select sum(byte_size)::int as bytes from files where account_id = ${account.id}`);
    expect(used?.bytes).toBe(total);
  });
});

describe("uploads expire", () => {
  async function age(fileId: string, hours: number) {
    const db = await getDb();
    await db.execute(sql`update files set created_at = now() - make_interval(hours => ${hours}) where id = ${fileId}`);
  }

  test("a day-old upload is deleted, bytes too; a fresh one is kept", async () => {
    const { secret } = await createTestAccount();
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: "#123456" } }).png().toBuffer();
    const old = (await call(upload, uploadRequest(secret, png))).body;
    const fresh = (await call(upload, uploadRequest(secret, png))).body;
    await age(old.id, 25);
    const oldRecord = (await findFile(old.id))!;
    expect(await expireUploads()).toBeGreaterThanOrEqual(1);
    expect(await findFile(old.id)).toBeNull();
    expect(await readFileBytes(oldRecord)).toBeNull();
    expect(await findFile(fresh.id)).not.toBeNull();
  });

  test("an old upload that a queued job still refers to is kept until the job is done", async () => {
    const { secret } = await createTestAccount({ creditUsd: "1" });
    const png = await sharp({ create: { width: 64, height: 64, channels: 3, background: "#654321" } }).png().toBuffer();
    const uploaded = (await call(upload, uploadRequest(secret, png))).body;
    // No worker runs in this file: the job stays queued.
    const job = await call(
      generate,
      apiRequest("/v1/images/generations", { key: secret, body: { model: "flux-kontext-pro", prompt: "keep my reference", image_url: uploaded.url } }),
    );
    expect(job.status).toBe(202);
    await age(uploaded.id, 30);
    await expireUploads();
    expect(await findFile(uploaded.id)).not.toBeNull();
  });
});
