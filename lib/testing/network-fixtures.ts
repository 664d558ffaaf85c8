// Local servers for network tests: a self-signed TLS certificate (made with the openssl CLI) and
// "trap" TCP servers that count the connections made to them — to prove some never happened.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

/** A certificate and key for `hostname`, valid for a day. */
export function selfSignedCertificate(hostname: string): { cert: string; key: string } {
  const dir = mkdtempSync(path.join(tmpdir(), "easel-cert-"));
  try {
    execFileSync("/usr/bin/openssl", [
      "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
      "-subj", `/CN=${hostname}`, "-addext", `subjectAltName=DNS:${hostname}`,
      "-keyout", path.join(dir, "key.pem"), "-out", path.join(dir, "cert.pem"),
    ], { stdio: "ignore" });
    return { cert: readFileSync(path.join(dir, "cert.pem"), "utf8"), key: readFileSync(path.join(dir, "key.pem"), "utf8") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export type Trap = { server: TcpServer; port: number; connections: number };

/** A TCP server on `host` that counts connections and closes each at once. */
export async function startTrap(host: string): Promise<Trap> {
  const state: Trap = { server: createTcpServer(), port: 0, connections: 0 };
  state.server.on("connection", (socket) => {
    state.connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => state.server.listen(0, host, resolve));
  state.port = (state.server.address() as AddressInfo).port;
  return state;
}
