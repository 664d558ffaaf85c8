// The webhook POST over TLS to a pinned address: the name's certificate is still verified, the
// connection goes only where the checked lookup said, and a rebinding answer is refused.
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { selfSignedCertificate, startTrap } from "@/lib/testing/network-fixtures";
import { createSafePoster } from "./safe-post";

const HOST = "hooks.example.test";
const { cert, key } = selfSignedCertificate(HOST);
let server: Server;
let port = 0;
const bodies: string[] = [];

beforeAll(async () => {
  server = createServer({ cert, key }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      bodies.push(Buffer.concat(chunks).toString());
      res.writeHead(202, { "content-type": "text/plain" }).end(`got ${req.headers["webhook-id"]}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

// Tests let the loopback server count as public; the policy itself is tested elsewhere.
const pinned = (address: string, ca: string | null = cert) =>
  createSafePoster({ lookup: async () => [{ address, family: 4 }], isForbidden: (a) => a === "10.9.9.9", ca: ca ?? undefined, timeoutMs: 3_000 });

describe("the SSRF-safe POST", () => {
  test("posts over TLS to the pinned address, verifying the certificate against the name", async () => {
    const answer = await pinned("127.0.0.1")(`https://${HOST}:${port}/hook`, { headers: { "webhook-id": "evt_1" }, body: '{"a":1}' });
    expect(answer).toMatchObject({ status: 202, body: "got evt_1" });
    expect(bodies.at(-1)).toBe('{"a":1}');
  });

  test("a certificate that does not verify is a network error, not an answer", async () => {
    await expect(pinned("127.0.0.1", null)(`https://${HOST}:${port}/hook`, { headers: {}, body: "{}" })).rejects.toThrow(
      `"${HOST}" did not present a valid TLS certificate.`,
    );
  });

  test("a forbidden answer from DNS is refused before any connection", async () => {
    const trap = await startTrap("127.0.0.1");
    try {
      const post = createSafePoster({ lookup: async () => [{ address: "127.0.0.1", family: 4 }], timeoutMs: 3_000 });
      await expect(post(`https://${HOST}:${trap.port}/`, { headers: {}, body: "{}" })).rejects.toThrow("resolves to a loopback address");
      expect(trap.connections).toBe(0);
    } finally {
      trap.server.close();
    }
  });
});
