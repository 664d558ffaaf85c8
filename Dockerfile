# syntax=docker/dockerfile:1
# Easel's image, in three stages: dependencies, the build, and two small runtimes from one
# build — `app` (Next's standalone server) and `worker` (the queue worker, which runs the
# TypeScript sources with tsx). Migrations run as their own step: `npm run easel -- migrate`.

FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund

FROM deps AS build
COPY . .
ENV NEXT_TELEMETRY_DISABLED=1 NEXT_OUTPUT=standalone
RUN npm run build

# The web app: stateless; run as many as you like behind a load balancer.
FROM node:20-bookworm-slim AS app
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 PORT=3000 HOSTNAME=0.0.0.0 EASEL_WORKER=off
COPY --from=build /app/.next/standalone ./
COPY --from=build /app/.next/static ./.next/static
COPY --from=build /app/public ./public
COPY --from=build /app/db/migrations ./db/migrations
USER node
EXPOSE 3000
CMD ["node", "server.js"]

# The worker (and the admin CLI, migrations included): the sources and their dependencies.
FROM deps AS worker
WORKDIR /app
ENV NODE_ENV=production
COPY . .
USER node
CMD ["npm", "run", "worker"]
