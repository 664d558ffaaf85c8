// The intake in front of Next.js, on a real HTTP server: what a client sends on the wire.
import http from "node:http";
import { connect, type AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { PEER_HEADER } from "@/lib/http/client-address";
import { installRequestIntake, isOriginForm } from "./request-intake";

let server: http.Server;
let port: number;
const reached: string[] = [];

beforeAll(async () => {
  installRequestIntake();
  server = http.createServer((req, res) => {
    reached.push(req.url ?? "");
    res.end(JSON.stringify({ peer: req.headers[PEER_HEADER] ?? null }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => server.close());

/** Sends raw bytes and returns the raw answer (the server closes or answers one request). */
function raw(request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.write(request));
    let answer = "";
    socket.on("data", (chunk) => {
      answer += chunk.toString("latin1");
      if (/\r\n\r\n[\s\S]*\}$/.test(answer)) socket.end();
    });
    socket.on("end", () => resolve(answer));
    socket.on("error", reject);
  });
}

describe("absolute URLs in the request line", () => {
  test.each(["http://evil.example/", "https://evil.example/sign-in", "http://evil.example//x", "HTTP://EVIL.EXAMPLE/"])(
    "%s → 400, and the app never sees it",
    async (target) => {
      reached.length = 0;
      const answer = await raw(`GET ${target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
      expect(answer).toMatch(/^HTTP\/1\.1 400 /);
      expect(answer).not.toMatch(/^location:/im);
      expect(answer).toContain('"code":"invalid_request_target"');
      expect(reached).toEqual([]);
    },
  );

  test("an ordinary path is let through", async () => {
    const answer = await raw(`GET /v1/models?x=1 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(reached).toContain("/v1/models?x=1");
  });

  test("origin-form and the asterisk only", () => {
    expect(isOriginForm("/")).toBe(true);
    expect(isOriginForm("*")).toBe(true);
    expect(isOriginForm("http://a/")).toBe(false);
    expect(isOriginForm(undefined)).toBe(false);
  });
});

describe("the peer address", () => {
  test("is the socket's, whatever the client claims", async () => {
    const answer = await raw(`GET / HTTP/1.1\r\nHost: localhost\r\n${PEER_HEADER}: 203.0.113.9\r\n${PEER_HEADER}: 203.0.113.10\r\nX-Forwarded-For: 203.0.113.11\r\nConnection: close\r\n\r\n`);
    expect(answer).toContain('{"peer":"127.0.0.1"}');
  });
});
