// A mistyped key is refused by its checksum alone, without a database query. This file points
// the app at a database that does not answer: any query would fail with a 500, so a 401 shows
// none was made. The control case, a well-formed key, does reach for the database.
import { describe, expect, test } from "vitest";

process.env.DATABASE_URL = "postgres://nobody@127.0.0.1:9/unreachable";
process.env.EASEL_TEST_ALLOW_REMOTE_DB = "1";

const { GET: getBalance } = await import("@/app/v1/balance/route");
const { generateApiKey } = await import("@/lib/auth/api-key-format");
const { apiRequest, call } = await import("@/lib/testing/fixtures");

describe("a key with a broken checksum", () => {
  test("is refused with 401 before any query", async () => {
    const { secret } = generateApiKey();
    const broken = `${secret.slice(0, -1)}${secret.endsWith("A") ? "B" : "A"}`;
    const response = await call(getBalance, apiRequest("/v1/balance", { key: broken }));
    expect(response.status).toBe(401);
    expect(response.body.error).toMatchObject({ code: "invalid_api_key", message: expect.stringMatching(/malformed/) });
  });

  test("while a well-formed key does go to the database (here: one that cannot answer)", async () => {
    const response = await call(getBalance, apiRequest("/v1/balance", { key: generateApiKey().secret }));
    expect(response.status).toBe(500);
  });
});
