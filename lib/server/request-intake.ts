import http from "node:http";
import https from "node:https";
import { PEER_HEADER } from "@/lib/http/client-address";

// What every request goes through before Next.js sees it, installed once per process by
// instrumentation.ts. Two things Next.js cannot be configured to do, and that nothing after its
// router (not even proxy.ts) could still do:
//
// - Record who connected. Route handlers, server actions and proxy.ts get a Web Request without
//   the socket, and `next start` keeps a client-sent X-Forwarded-For as it is (it fills the
//   header in from the socket only when it is absent). PEER_HEADER is set from the socket's
//   remote address on every request, replacing whatever a client sent under that name;
//   lib/http/client-address.ts reads it.
// - Refuse a request line with an absolute URL (`GET http://evil.example/ HTTP/1.1`). Next's
//   router sees the "//" in it as repeated slashes and answers a 308 to the "normalised" URL —
//   which is the foreign host. Browsers never send this form to an origin server; it is answered
//   400 here.

type Emit = (this: unknown, event: string | symbol, ...args: unknown[]) => boolean;
const state = globalThis as unknown as { __easelRequestIntake?: boolean };
const REQUEST_EVENTS = new Set<string | symbol>(["request", "checkContinue", "checkExpectation"]);

export function installRequestIntake(): void {
  if (state.__easelRequestIntake) return;
  state.__easelRequestIntake = true;
  for (const Server of [http.Server, https.Server]) {
    const original = Server.prototype.emit as Emit;
    Server.prototype.emit = function emit(this: unknown, event: string | symbol, ...args: unknown[]) {
      if (REQUEST_EVENTS.has(event) || event === "upgrade") {
        const request = args[0] as http.IncomingMessage;
        stampPeer(request);
        if (REQUEST_EVENTS.has(event) && !isOriginForm(request.url)) {
          refuse(args[1] as http.ServerResponse);
          return true;
        }
      }
      return original.call(this, event, ...args);
    } as http.Server["emit"];
  }
}

/** A request target an origin server should route: a path ("/…"), or "*" for OPTIONS. */
export function isOriginForm(target: string | undefined): boolean {
  return target !== undefined && (target.startsWith("/") || target === "*");
}

/** Sets PEER_HEADER on a request from its socket, dropping any copy the client sent. */
export function stampPeer(request: http.IncomingMessage): void {
  const address = request.socket?.remoteAddress;
  if (address) request.headers[PEER_HEADER] = address;
  else delete request.headers[PEER_HEADER];
  // The raw header list too, so that nothing that rebuilds headers from it sees the client's copy.
  const raw = request.rawHeaders;
  for (let i = raw.length - 2; i >= 0; i -= 2) {
    if (raw[i]!.toLowerCase() === PEER_HEADER) raw.splice(i, 2);
  }
  if (address) raw.push(PEER_HEADER, address);
}

function refuse(response: http.ServerResponse): void {
  const body = JSON.stringify({
    error: { type: "invalid_request_error", code: "invalid_request_target", message: "The request line must name a path, not a URL." },
  });
  response.writeHead(400, { "content-type": "application/json", "content-length": Buffer.byteLength(body), connection: "close" });
  response.end(body);
}
