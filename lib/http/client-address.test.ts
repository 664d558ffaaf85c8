// Who a request came from, when a client can write any header it likes.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, test } from "vitest";
import { installRequestIntake } from "@/lib/server/request-intake";
import { clientAddress, PEER_HEADER, trustedProxyHops, UNKNOWN_ADDRESS } from "./client-address";

const headers = (peer: string | null, forwarded?: string) => {
  const h = new Headers();
  if (peer !== null) h.set(PEER_HEADER, peer);
  if (forwarded !== undefined) h.set("x-forwarded-for", forwarded);
  return h;
};

describe("clientAddress", () => {
  test("by default a client-sent X-Forwarded-For is not believed: the socket's peer is the client", () => {
    expect(clientAddress(headers("198.51.100.9", "1.2.3.4"), 0)).toBe("198.51.100.9");
    expect(clientAddress(headers("198.51.100.9", "1.2.3.4, 5.6.7.8"), 0)).toBe("198.51.100.9");
    expect(clientAddress(headers("198.51.100.9"), trustedProxyHops(undefined))).toBe("198.51.100.9");
  });

  test("without a recorded peer nothing is believed", () => {
    expect(clientAddress(headers(null, "1.2.3.4"), 0)).toBe(UNKNOWN_ADDRESS);
    expect(clientAddress(headers(null, "1.2.3.4"), 1)).toBe(UNKNOWN_ADDRESS);
  });

  test("behind one trusted proxy: the right-most entry, whatever the client put before it", () => {
    // The proxy appended the address it saw; "6.6.6.6" is what the client claimed.
    expect(clientAddress(headers("10.0.0.2", "6.6.6.6, 203.0.113.50"), 1)).toBe("203.0.113.50");
    expect(clientAddress(headers("10.0.0.2", "203.0.113.50"), 1)).toBe("203.0.113.50");
  });

  test("behind two trusted proxies: the second entry from the right", () => {
    expect(clientAddress(headers("10.0.0.2", "6.6.6.6, 7.7.7.7, 203.0.113.50, 10.0.0.3"), 2)).toBe("203.0.113.50");
  });

  test("a request that bypassed the proxy (no header) is the peer itself", () => {
    expect(clientAddress(headers("203.0.113.77"), 1)).toBe("203.0.113.77");
  });

  test("one spelling per address", () => {
    expect(clientAddress(headers("::ffff:127.0.0.1"), 0)).toBe("127.0.0.1");
    expect(clientAddress(headers("2001:db8:0:0:0:0:0:1"), 0)).toBe("2001:db8::1");
    expect(clientAddress(headers("10.0.0.2", "[2001:db8::7]:443"), 1)).toBe("2001:db8::7");
    expect(clientAddress(headers("10.0.0.2", "203.0.113.5:8080"), 1)).toBe("203.0.113.5");
    expect(clientAddress(headers("10.0.0.2", "garbage"), 1)).toBe(UNKNOWN_ADDRESS);
  });

  test("EASEL_TRUSTED_PROXIES must be a small whole number", () => {
    expect(trustedProxyHops("")).toBe(0);
    expect(trustedProxyHops("2")).toBe(2);
    expect(() => trustedProxyHops("yes")).toThrow(/EASEL_TRUSTED_PROXIES/);
    expect(() => trustedProxyHops("-1")).toThrow(/EASEL_TRUSTED_PROXIES/);
  });
});

describe("the socket's address is recorded before the app sees a request", () => {
  test("a client cannot set the peer header or pass off X-Forwarded-For as its address", async () => {
    installRequestIntake();
    const seen: Array<{ peer: string | undefined; forwarded: string | undefined }> = [];
    const server = http.createServer((req, res) => {
      seen.push({ peer: req.headers[PEER_HEADER] as string | undefined, forwarded: req.headers["x-forwarded-for"] as string | undefined });
      res.end("ok");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const response = await fetch(`http://127.0.0.1:${port}/`, {
        headers: { [PEER_HEADER]: "203.0.113.1", "x-forwarded-for": "203.0.113.2" },
      });
      expect(response.status).toBe(200);
    } finally {
      server.close();
    }
    expect(seen).toEqual([{ peer: "127.0.0.1", forwarded: "203.0.113.2" }]);
    const h = new Headers({ [PEER_HEADER]: seen[0]!.peer!, "x-forwarded-for": seen[0]!.forwarded! });
    expect(clientAddress(h, 0)).toBe("127.0.0.1");
  });
});
