# syntax=docker/dockerfile:1
#
# RawJournal's two images, from one build:
#
#   docker build --target app  -t rawjournal-app .    # the web server (scripts/serve.ts on the Remix build)
#   docker build --target jobs -t rawjournal-jobs .   # the jobs process (sync engine, backups, emails)
#
# BASE_IMAGE is any Debian bookworm image whose `node` is the Node pinned in
# package.json (the npm `node` package) with an npm beside it: the official
# node slim image on a real Docker host, or the local one that
# scripts/image/build-and-run.sh builds where no registry is reachable. The
# deps stage refuses a base with another Node.

ARG BASE_IMAGE=node:22.23.3-bookworm-slim

# ---------------------------------------------------------------------------
# deps: every dependency, exactly as package-lock.json says
# ---------------------------------------------------------------------------
FROM ${BASE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: the `node` package's preinstall would download a second
# copy of the Node this base already is, embedded-postgres (tests only) needs
# none here, and esbuild finds its binary in its platform package without its
# own. The pinned Node's place in node_modules then points at the base's node.
# npm-ca is an optional build secret: a CA bundle for builders behind a
# TLS-intercepting proxy (never stored in a layer).
RUN --mount=type=cache,target=/root/.npm,sharing=locked \
    --mount=type=secret,id=npm-ca \
    set -eu; \
    pinned="$(node -p 'require("./package.json").dependencies.node')"; \
    if [ "$(node -p 'process.versions.node')" != "$pinned" ]; then \
      echo "BASE_IMAGE runs Node $(node -p 'process.versions.node'); package.json pins $pinned" >&2; exit 1; \
    fi; \
    if [ -s /run/secrets/npm-ca ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/npm-ca; fi; \
    npm ci --ignore-scripts --no-audit --no-fund; \
    mkdir -p node_modules/node/bin; \
    ln -sf "$(command -v node)" node_modules/node/bin/node

# ---------------------------------------------------------------------------
# build: the Remix server bundle (build/) and browser assets (public/build/)
# ---------------------------------------------------------------------------
FROM deps AS build
COPY . .
RUN npm run build

# ---------------------------------------------------------------------------
# prod-deps: the same lockfile without dev dependencies (from the npm cache
# the deps stage filled)
# ---------------------------------------------------------------------------
FROM ${BASE_IMAGE} AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm,sharing=locked \
    --mount=type=secret,id=npm-ca \
    set -eu; \
    if [ -s /run/secrets/npm-ca ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/npm-ca; fi; \
    npm ci --omit=dev --prefer-offline --ignore-scripts --no-audit --no-fund; \
    mkdir -p node_modules/node/bin; \
    ln -sf "$(command -v node)" node_modules/node/bin/node

# ---------------------------------------------------------------------------
# files: what both images run, root-owned so the node user cannot change it.
# Sources stay: the jobs run TypeScript through tsx, /metrics reads
# docs/metrics.md, /readyz lists supabase/migrations, deploy/ has the
# operator's scripts.
# ---------------------------------------------------------------------------
FROM ${BASE_IMAGE} AS files
WORKDIR /app
COPY --from=prod-deps /app/node_modules ./node_modules
COPY . .
COPY --from=build /app/build ./build
COPY --from=build /app/public/build ./public/build

# ---------------------------------------------------------------------------
# jobs: pg_dump/pg_restore for backups (bookworm's PostgreSQL 15 client, the
# Supabase database's major) and python3 for the MT5 bridge with the
# simulator; real terminals run in the MT5 worker image (deploy/).
# ---------------------------------------------------------------------------
FROM ${BASE_IMAGE} AS jobs
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql-client python3 \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false
COPY --from=files /app ./
# .data is the one writable place (simulator state, default backup folder);
# mount a volume there or point BACKUP_DIR at one.
RUN install -d -o node -g node /app/.data
USER node
# Healthy while this container's terminals write their heartbeat (every 10 s):
# it holds the leader lock and its loop turns (a standby reports unhealthy).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "deploy/jobs-heartbeat.mjs"]
# One process (no npm or tsx wrapper), so SIGTERM reaches the jobs' own handler.
CMD ["node", "--import", "tsx", "jobs/index.ts"]

# ---------------------------------------------------------------------------
# app (the default target): the web server on PORT (3000)
# ---------------------------------------------------------------------------
FROM ${BASE_IMAGE} AS app
WORKDIR /app
# MALLOC_MMAP_THRESHOLD_: a fixed threshold, so freed large buffers do not stay resident
# (scripts/process-env.ts, WEB_MEMORY_ENV, says why; a test keeps them equal).
ENV NODE_ENV=production \
    PORT=3000 \
    MALLOC_MMAP_THRESHOLD_=2097152 \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false
COPY --from=files /app ./
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# --initial-old-space-size, --min-semi-space-size: WEB_NODE_ARGS in scripts/process-env.ts says why (the same test keeps them equal).
CMD ["node", "--initial-old-space-size=128", "--min-semi-space-size=8", "scripts/serve.ts", "build/index.js"]
