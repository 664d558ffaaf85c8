// The SSRF-safe fetcher against local servers only: a self-signed HTTPS server that an injected
// DNS map calls `public.test` (and that the test policy lets count as public), plus plain TCP
// "trap" servers that count connections, to prove refused URLs are never connected to.
import { createServer as createHttpsServer, type Server as HttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { selfSignedCertificate, startTrap, type Trap } from "@/lib/testing/network-fixtures";
import { isForbiddenAddress } from "./ip-policy";
import { createImageFetcher, fetchImage, ImageFetchError, type ImageFetcherOptions, type ResolvedAddress } from "./safe-fetch";

const PNG = Buffer.concat([Buffer.from("89504e470d0a1a0a", "hex"), Buffer.alloc(200, 7)]);

let cert: string;
let server: HttpsServer;
let port: number;
let trap: Trap; // on 127.0.0.2, forbidden even under the test policy
const hits = new Map<string, number>();
let lookups: string[] = [];

const DNS: Record<string, ResolvedAddress[]> = {
  "public.test": [{ address: "127.0.0.1", family: 4 }],
  "wrong-name.test": [{ address: "127.0.0.1", family: 4 }], // not in the certificate
  "internal.test": [{ address: "127.0.0.2", family: 4 }],
  "intranet.test": [{ address: "10.0.0.5", family: 4 }],
  "mixed.test": [
    { address: "8.8.8.8", family: 4 },
    { address: "fd00::5", family: 6 },
  ],
};

async function lookup(hostname: string): Promise<ResolvedAddress[]> {
  lookups.push(hostname);
  const found = DNS[hostname];
  if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" });
  return found;
}

/** The test server's own address counts as public; every other address gets the real policy. */
const testPolicy = (address: string) => address !== "127.0.0.1" && isForbiddenAddress(address);

const fetcher = (options: ImageFetcherOptions = {}) =>
  createImageFetcher({ lookup, isForbidden: testPolicy, ca: cert, timeoutMs: 2000, ...options });

const at = (pathname: string, host = "public.test") => `https://${host}:${port}${pathname}`;

/** The ImageFetchError a fetch fails with; fails the test if it succeeds or fails otherwise. */
async function refusal(promise: Promise<unknown>): Promise<ImageFetchError> {
  const error = await promise.then(
    () => new Error("the fetch succeeded"),
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof ImageFetchError)) throw error;
  expect(error.code).toBe("invalid_image_url");
  return error;
}

/** Lets a connection that was (wrongly) started reach the server before counting. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

beforeAll(async () => {
  const tls = selfSignedCertificate("public.test");
  cert = tls.cert;
  server = createHttpsServer(tls, route);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
  trap = await startTrap("127.0.0.2");
});

afterAll(() => {
  server.closeAllConnections();
  server.close();
  trap.server.close();
});

beforeEach(() => {
  hits.clear();
  lookups = [];
  trap.connections = 0;
});

function route(req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse) {
  const url = new URL(req.url ?? "/", "https://public.test");
  hits.set(url.pathname, (hits.get(url.pathname) ?? 0) + 1);
  const redirect = (location: string) => res.writeHead(302, { location }).end();
  const countdown = /^\/redirect\/(\d+)$/.exec(url.pathname);

  if (url.pathname === "/image.png") res.writeHead(200, { "content-type": "image/png; charset=binary" }).end(PNG);
  else if (countdown) redirect(Number(countdown[1]) === 0 ? "/image.png" : `/redirect/${Number(countdown[1]) - 1}`);
  else if (url.pathname === "/loop") redirect("/loop");
  else if (url.pathname === "/to-forbidden-ip") redirect(`https://127.0.0.2:${trap.port}/image.png`);
  else if (url.pathname === "/to-forbidden-host") redirect(`https://internal.test:${trap.port}/image.png`);
  else if (url.pathname === "/to-http") redirect(`http://public.test:${port}/image.png`);
  else if (url.pathname === "/page") res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end("<p>hi</p>");
  else if (url.pathname === "/big") {
    res.writeHead(200, { "content-type": "image/png" }); // chunked: no Content-Length to go by
    for (let i = 0; i < 5; i++) res.write(Buffer.alloc(1000));
    res.end();
  } else if (url.pathname === "/big-declared") {
    // Declares 5000 bytes and never sends them: only an early refusal avoids the timeout.
    res.writeHead(200, { "content-type": "image/png", "content-length": "5000" }).flushHeaders();
  } else if (url.pathname === "/stalled-body") {
    res.writeHead(200, { "content-type": "image/png", "content-length": "5000" }).write(Buffer.alloc(100));
  } else if (url.pathname === "/truncated") {
    res.writeHead(200, { "content-type": "image/png", "content-length": "5000" }).write(Buffer.alloc(100), () => res.destroy());
  } else if (url.pathname === "/hang") {
    // Never answers.
  } else res.writeHead(404, { "content-type": "text/plain" }).end("not found");
}

describe("URLs refused before any connection", () => {
  test.each(["http://public.test/image.png", "ftp://public.test/image.png", "file:///etc/passwd", "data:image/png;base64,iVBORw0KGgo="])(
    "%s is not https",
    async (url) => {
      expect((await refusal(fetcher()(url))).message).toBe("The image URL is not https.");
      expect(lookups).toEqual([]);
    },
  );

  test.each(["user:secret@", "user@", ":secret@"])("credentials are refused: %s", async (userinfo) => {
    const error = await refusal(fetcher()(at("/image.png", `${userinfo}public.test`)));
    expect(error.message).toBe("The image URL contains a user name or password.");
    expect(hits.size).toBe(0);
  });

  test("a string that is not a URL", async () => {
    expect((await refusal(fetcher()("not a url"))).message).toBe("The image URL is not a valid URL.");
  });

  test("a hostname that resolves to a private address", async () => {
    const error = await refusal(fetcher()("https://intranet.test/cat.png"));
    expect(error.message).toBe('The image URL points to "intranet.test", which is not a reachable public address.');
    expect(String((error.cause as Error).message)).toBe("resolves to a private address"); // for our logs only
    expect(error.message).not.toContain("10.0.0.5"); // never reveal what our DNS said
  });

  test("a hostname with one public and one private address", async () => {
    const error = await refusal(fetcher()("https://mixed.test/cat.png"));
    expect(error.message).toContain("which is not a reachable public address.");
  });

  test("a hostname that does not resolve", async () => {
    const error = await refusal(fetcher()("https://nowhere.test/cat.png"));
    expect(error.message).toBe('The image URL points to "nowhere.test", which is not a reachable public address.');
  });

  test("every refusal about where a host is reads the same: nothing says which internal names exist", async () => {
    const messages = await Promise.all(
      ["nowhere.test", "intranet.test", "internal.test", "mixed.test", "10.0.0.5", "127.0.0.2"].map(async (host) =>
        (await refusal(fetcher()(`https://${host}/cat.png`))).message.replace(`"${host}"`, '"HOST"'),
      ),
    );
    expect(new Set(messages)).toEqual(new Set([`The image URL points to "HOST", which is not a reachable public address.`]));
  });

  // The WHATWG parser canonicalises these; the policy must see the canonical literal, and a
  // literal must never go to DNS (where `2130706433` could be made to mean anything).
  test.each([
    ["https://2130706433/", "127.0.0.1", "loopback"],
    ["https://0x7f.1/", "127.0.0.1", "loopback"],
    ["https://0177.0.0.1/", "127.0.0.1", "loopback"],
    ["https://127.1/", "127.0.0.1", "loopback"],
    ["https://[::ffff:127.0.0.1]/", "[::ffff:7f00:1]", "loopback"],
    ["https://[::ffff:7f00:1]/", "[::ffff:7f00:1]", "loopback"],
    ["https://[0:0:0:0:0:0:0:1]/", "[::1]", "loopback"],
    ["https://[::]/", "[::]", "unspecified"],
    ["https://0.0.0.0/", "0.0.0.0", "unspecified"],
    ["https://169.254.169.254/latest/meta-data/", "169.254.169.254", "link-local"],
    ["https://[64:ff9b::a9fe:a9fe]/", "[64:ff9b::a9fe:a9fe]", "link-local"],
    ["https://[2002:a00:1::]/", "[2002:a00:1::]", "private"],
  ])("the IP literal in %s", async (url, host, kind) => {
    const error = await refusal(createImageFetcher({ lookup })(url));
    expect(error.message).toBe(`The image URL points to "${host}", which is not a reachable public address.`);
    expect((error.cause as Error).message).toMatch(new RegExp(`^is an? ${kind} address$`));
    expect(lookups).toEqual([]);
  });
});

describe("no connection is ever made to a refused address", () => {
  let loopback: Trap;
  beforeAll(async () => {
    loopback = await startTrap("127.0.0.1");
  });
  afterAll(() => loopback.server.close());
  beforeEach(() => {
    loopback.connections = 0;
  });

  test("the production fetcher refuses a loopback IP literal", async () => {
    const error = await refusal(fetchImage(`https://127.0.0.1:${loopback.port}/cat.png`));
    expect(error.message).toContain("which is not a reachable public address.");
    await settle();
    expect(loopback.connections).toBe(0);
  });

  test("a hostname that resolves to loopback is refused", async () => {
    const resolveToLoopback = async () => [{ address: "127.0.0.1", family: 4 as const }];
    const error = await refusal(createImageFetcher({ lookup: resolveToLoopback })(`https://localhost:${loopback.port}/`));
    expect(error.message).toContain("which is not a reachable public address.");
    await settle();
    expect(loopback.connections).toBe(0);
  });

  test("control: the trap does count a connection the policy lets through", async () => {
    await refusal(createImageFetcher({ isForbidden: () => false })(`https://127.0.0.1:${loopback.port}/`));
    await settle();
    expect(loopback.connections).toBe(1);
  });
});

describe("fetching from the local HTTPS server", () => {
  test("a PNG, with DNS asked exactly once", async () => {
    const image = await fetcher()(at("/image.png"));
    expect(image.bytes.equals(PNG)).toBe(true);
    expect(image.contentType).toBe("image/png");
    expect(image.finalUrl).toBe(at("/image.png"));
    expect(lookups).toEqual(["public.test"]);
  });

  test("three redirects are followed, each hop resolved once", async () => {
    const image = await fetcher()(at("/redirect/2"));
    expect(image.finalUrl).toBe(at("/image.png"));
    expect(lookups).toEqual(Array(4).fill("public.test"));
  });

  test("a fourth redirect is refused", async () => {
    const error = await refusal(fetcher()(at("/loop")));
    expect(error.message).toBe("The image URL redirects more than 3 times.");
    expect(hits.get("/loop")).toBe(4);
  });

  test.each([
    ["/to-forbidden-ip", 'points to "127.0.0.2", which is not a reachable public address.'],
    ["/to-forbidden-host", 'points to "internal.test", which is not a reachable public address.'],
  ])("a redirect (%s) to a forbidden address is refused before connecting to it", async (pathname, problem) => {
    const error = await refusal(fetcher()(at(pathname)));
    expect(error.message).toBe(`The image URL redirects to a URL that ${problem}`);
    await settle();
    expect(trap.connections).toBe(0);
  });

  test("a redirect to http is refused", async () => {
    const error = await refusal(fetcher()(at("/to-http")));
    expect(error.message).toBe("The image URL redirects to a URL that is not https.");
  });

  test("a page that is not an image", async () => {
    const error = await refusal(fetcher()(at("/page")));
    expect(error.message).toBe('The image at "public.test" is not a PNG, JPEG or WebP image (text/html).');
  });

  test("a body that grows past the size limit (and one exactly at it)", async () => {
    const error = await refusal(fetcher({ maxBytes: 4999 })(at("/big")));
    expect(error.message).toBe('The image at "public.test" is larger than 4999 bytes.');
    expect((await fetcher({ maxBytes: 5000 })(at("/big"))).bytes.length).toBe(5000);
  });

  test("a declared Content-Length over the limit is refused without reading", async () => {
    const error = await refusal(fetcher({ maxBytes: 1000, timeoutMs: 1000 })(at("/big-declared")));
    expect(error.message).toBe('The image at "public.test" is larger than 1000 bytes.');
  });

  test("a body cut short is an error, not a truncated image", async () => {
    const error = await refusal(fetcher()(at("/truncated")));
    expect(error.message).toBe('The image server "public.test" closed the connection before sending the whole image.');
  });

  test("a server that never answers", async () => {
    const started = Date.now();
    const error = await refusal(fetcher({ timeoutMs: 200 })(at("/hang")));
    expect(error.message).toBe('The image server "public.test" did not answer within 200 ms.');
    expect(Date.now() - started).toBeLessThan(1500);
  });

  test("the time limit covers the body too", async () => {
    const error = await refusal(fetcher({ timeoutMs: 200 })(at("/stalled-body")));
    expect(error.message).toContain("did not answer within 200 ms");
  });

  test("the caller's signal aborts the fetch with the caller's reason", async () => {
    const controller = new AbortController();
    const reason = new Error("worker shutting down");
    setTimeout(() => controller.abort(reason), 50);
    await expect(fetcher()(at("/hang"), { signal: controller.signal })).rejects.toBe(reason);
  });

  test("a non-2xx status", async () => {
    const error = await refusal(fetcher()(at("/missing.png")));
    expect(error.message).toBe('The image server "public.test" answered with HTTP status 404.');
  });

  test("the certificate is checked against the hostname", async () => {
    const error = await refusal(fetcher()(at("/image.png", "wrong-name.test")));
    expect(error.message).toBe('The image server "wrong-name.test" did not present a valid TLS certificate.');
  });

  test("a self-signed certificate is refused without the test CA", async () => {
    const error = await refusal(fetcher({ ca: undefined })(at("/image.png")));
    expect(error.message).toContain("did not present a valid TLS certificate");
  });
});
