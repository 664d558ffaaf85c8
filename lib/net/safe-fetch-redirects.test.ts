// A public image URL that redirects inward — the classic way past an SSRF check made only on the
// first URL. A local HTTPS server (its self-signed certificate is the fetcher's only trusted
// CA) plays the public host; every hop it redirects to must be refused before any connection,
// which a listening loopback "trap" proves by counting none.
import { createServer as createHttpsServer, type Server as HttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { selfSignedCertificate, startTrap, type Trap } from "@/lib/testing/network-fixtures";
import { isForbiddenAddress } from "./ip-policy";
import { createImageFetcher, ImageFetchError, type ResolvedAddress } from "./safe-fetch";

const PNG = Buffer.concat([Buffer.from("89504e470d0a1a0a", "hex"), Buffer.alloc(64, 1)]);
const REFUSED = "The image URL redirects to a URL that points to";

let server: HttpsServer;
let cert: string;
let port: number;
let trap: Trap; // a real listener on a loopback address the policy forbids
const firstHops: string[] = [];

// The public host is the only thing that may be reached; "metadata.test" and "inside.test"
// are names an attacker controls, pointing inward.
const DNS: Record<string, ResolvedAddress[]> = {
  "public.test": [{ address: "127.0.0.1", family: 4 }],
  "inside.test": [{ address: "127.0.0.3", family: 4 }],
  "metadata.test": [{ address: "169.254.169.254", family: 4 }],
  "office.test": [{ address: "192.168.1.20", family: 4 }],
};
const lookup = async (hostname: string) => {
  const found = DNS[hostname];
  if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" });
  return found;
};
const fetcher = () =>
  createImageFetcher({ lookup, isForbidden: (address) => address !== "127.0.0.1" && isForbiddenAddress(address), ca: cert, timeoutMs: 3000 });

beforeAll(async () => {
  trap = await startTrap("127.0.0.3");
  const tls = selfSignedCertificate("public.test");
  cert = tls.cert;
  server = createHttpsServer(tls, (req, res) => {
    const url = new URL(req.url ?? "/", "https://public.test");
    firstHops.push(url.pathname);
    if (url.pathname === "/image.png") return res.writeHead(200, { "content-type": "image/png" }).end(PNG);
    const target = url.searchParams.get("to") ?? "/image.png";
    res.writeHead(Number(url.searchParams.get("status") ?? 302), { location: target }).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(() => {
  server.closeAllConnections();
  server.close();
  trap.server.close();
});

beforeEach(() => {
  trap.connections = 0;
  firstHops.length = 0;
});

const via = (to: string, status = 302) => `https://public.test:${port}/go?status=${status}&to=${encodeURIComponent(to)}`;

async function refused(url: string): Promise<ImageFetchError> {
  const error = await fetcher()(url).then(
    () => new Error("the fetch succeeded"),
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof ImageFetchError)) throw error;
  return error;
}

describe("redirects inward are refused and never connected to", () => {
  test("control: a redirect to the public host itself is followed", async () => {
    const image = await fetcher()(via("/image.png"));
    expect(image.bytes.equals(PNG)).toBe(true);
  });

  test("control: the trap counts a connection when something does connect", async () => {
    await createImageFetcher({ isForbidden: () => false, ca: cert, timeoutMs: 1000 })(`https://127.0.0.3:${trap.port}/`).catch(() => {});
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(trap.connections).toBe(1);
  });

  test.each([
    ["loopback, as an IP literal", () => `https://127.0.0.3:${trap.port}/image.png`, "127.0.0.3"],
    ["loopback, through a name", () => `https://inside.test:${trap.port}/image.png`, "inside.test"],
    ["loopback, protocol-relative", () => `//127.0.0.3:${trap.port}/image.png`, "127.0.0.3"],
    ["loopback, spelt as a decimal number", () => `https://2130706435:${trap.port}/`, "127.0.0.3"],
    ["the cloud metadata address", () => "https://169.254.169.254/latest/meta-data/iam/security-credentials/", "169.254.169.254"],
    ["the cloud metadata address, through a name", () => `https://metadata.test:${trap.port}/latest/meta-data/`, "metadata.test"],
    ["a private address", () => "https://10.0.0.7/image.png", "10.0.0.7"],
    ["a private address, through a name", () => `https://office.test:${trap.port}/`, "office.test"],
    ["a private IPv6 address", () => "https://[fd00::7]/image.png", "[fd00::7]"],
  ])("to %s", async (_name, target, shownHost) => {
    for (const status of [301, 302, 303, 307, 308]) {
      const error = await refused(via(target(), status));
      expect(error.code).toBe("invalid_image_url");
      expect(error.message).toBe(`${REFUSED} "${shownHost}", which is not a reachable public address.`);
    }
    expect(firstHops).toEqual(Array(5).fill("/go")); // the public hop was made each time…
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(trap.connections).toBe(0); // …and the inward one never
  });

  test("a chain that turns inward on its second redirect", async () => {
    const error = await refused(via(via(`https://127.0.0.3:${trap.port}/`)));
    expect(error.message).toMatch(/not a reachable public address/);
    expect(firstHops).toEqual(["/go", "/go"]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(trap.connections).toBe(0);
  });
});
