# syntax=docker/dockerfile:1
#
# RawJournal web app (Remix classic compiler, served by remix-serve).
#
#   docker build -t rawjournal .
#   docker run --rm -p 3000:3000 --env-file .env rawjournal
#
# The base image's Node major matches the runtime pinned in package.json
# (the npm "node" package), which `npm run` puts first on PATH.

ARG NODE_IMAGE=node:22-bookworm-slim

# ---------------------------------------------------------------------------
# build: install all dependencies, build, then drop dev dependencies
# ---------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app

# Lockfile + the files the install lifecycle scripts need (postinstall runs
# scripts/check-runtime.mjs) first, so this layer is cached across code edits.
COPY package.json package-lock.json ./
COPY scripts/ ./scripts/
RUN --mount=type=cache,target=/root/.npm \
    npm ci --no-audit --no-fund

COPY . .
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund

# ---------------------------------------------------------------------------
# runtime: production dependencies, build output and sources, non-root
# ---------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
WORKDIR /app

ENV NODE_ENV=production \
    PORT=3000 \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false

# The whole tree (dev dependencies pruned): the same image serves the app
# (`npm run serve`), applies migrations (`npm run db:migrate`) and runs the
# jobs process (`npm run jobs`), which execute TypeScript through tsx. Live MT5
# sync needs terminals: run the jobs process in an image that adds Wine, a
# Windows Python with the MetaTrader5 package and an MT5 terminal per worker
# (MT5_PYTHON names that Python, RAWJOURNAL_MT5_MODULE=MetaTrader5). This
# slim image has no Python at all, so it cannot spawn the bridge by itself.
COPY --from=build /app ./

# The jobs process's nightly backup runs pg_dump (docs/operations/backups.md):
# Debian bookworm's postgresql-client is PostgreSQL 15, the Supabase
# database's major (pg_dump refuses a newer server than itself).
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql-client \
 && rm -rf /var/lib/apt/lists/*

# Files stay root-owned (read-only for the app); run as the image's
# unprivileged "node" user (uid 1000).
USER node

EXPOSE 3000

HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]

CMD ["npm", "run", "serve"]
