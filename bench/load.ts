// The two ways `npm run bench:api` loads a route: closed loop (autocannon, N connections each
// sending its next request when the last is answered: throughput), and open loop (requests sent
// on a fixed schedule whatever the answers, latency counted from the scheduled send time, so a
// stall is charged to every request it delays — no coordinated omission).
import http from "node:http";
import autocannon from "autocannon";

/**
 * `clients`: each connection is a client of its own, its requests carrying one of these, over
 * `headers` (connection i: the i-th, round the list; closed loop only).
 */
export type Target = { url: string; method?: "GET" | "POST"; headers?: Record<string, string>; body?: string; clients?: Array<Record<string, string>> };
export type Throughput = { rps: number; ok: number; failed: number };
export type Latency = { offered: number; achieved: number; p50: number; p90: number; p99: number; max: number; failed: number; failures: string };

export async function throughput(target: Target, connections: number, durationSeconds: number): Promise<Throughput> {
  let connection = 0;
  const clients = target.clients;
  const result = await autocannon({
    url: target.url,
    method: target.method ?? "GET",
    headers: target.headers,
    body: target.body,
    setupClient: clients ? (client) => client.setHeaders({ ...target.headers, ...clients[connection++ % clients.length] }) : undefined,
    connections,
    duration: durationSeconds,
  });
  return { rps: result.requests.average, ok: result["2xx"], failed: result.non2xx + result.errors + result.timeouts };
}

/** `rate` requests a second for `durationSeconds`, on a schedule; latencies in milliseconds. */
export async function openLoop(target: Target, rate: number, durationSeconds: number): Promise<Latency> {
  const url = new URL(target.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
  const total = Math.round(rate * durationSeconds);
  const interval = 1000 / rate;
  const latencies: number[] = [];
  let failed = 0;
  const failures = new Map<string, number>();
  const fail = (why: string) => {
    failed++;
    failures.set(why, (failures.get(why) ?? 0) + 1);
  };
  let sent = 0;
  const body = target.body === undefined ? undefined : Buffer.from(target.body);
  const headers = { ...target.headers, ...(body ? { "content-length": String(body.length) } : {}) };

  const send = (scheduled: number) =>
    new Promise<void>((resolve) => {
      const request = http.request(
        { host: url.hostname, port: url.port, path: url.pathname + url.search, method: target.method ?? "GET", headers, agent },
        (response) => {
          response.resume();
          response.on("end", () => {
            if ((response.statusCode ?? 0) >= 400) fail(`HTTP ${response.statusCode}`);
            latencies.push(performance.now() - scheduled);
            resolve();
          });
        },
      );
      request.on("error", (error: NodeJS.ErrnoException) => {
        fail(error.code ?? error.message);
        resolve();
      });
      request.end(body);
    });

  const pending: Promise<void>[] = [];
  const start = performance.now() + 20;
  await new Promise<void>((done) => {
    const tick = () => {
      const now = performance.now();
      // Everything that is due goes out now, stamped with when it was due.
      while (sent < total && start + sent * interval <= now) pending.push(send(start + sent++ * interval));
      if (sent < total) setTimeout(tick, Math.max(0, Math.min(interval, start + sent * interval - performance.now())));
      else done();
    };
    setTimeout(tick, 20);
  });
  await Promise.all(pending);
  const elapsed = (performance.now() - start) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return { offered: rate, achieved: latencies.length / elapsed, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: latencies.at(-1) ?? NaN, failed, failures: [...failures].map(([why, n]) => `${n} ${why}`).join(", ") };
}
