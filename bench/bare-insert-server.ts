// The bench's baseline: a bare Node HTTP server that does one INSERT per request into the same
// Postgres database, with the same pool size as the app. What the app is compared against.
import http from "node:http";
import { randomUUID } from "node:crypto";
import postgres from "postgres";

const sql = postgres(process.env.DATABASE_URL!, { max: Number(process.env.DATABASE_POOL_SIZE ?? 10), onnotice: () => {} });
const port = Number(process.env.PORT ?? 3901);

const server = http.createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on("data", (chunk: Buffer) => chunks.push(chunk));
  request.on("end", async () => {
    try {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { prompt?: string };
      const id = randomUUID();
      await sql`insert into bench_bare_requests (id, prompt) values (${id}, ${body.prompt ?? ""})`;
      response.writeHead(202, { "content-type": "application/json" }).end(JSON.stringify({ id, status: "queued" }));
    } catch (error) {
      response.writeHead(500).end(String(error));
    }
  });
});

server.listen(port, "127.0.0.1", () => console.log(`bare insert server on ${port}`));
process.on("SIGTERM", () => server.close(() => sql.end().then(() => process.exit(0))));
