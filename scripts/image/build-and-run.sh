#!/usr/bin/env bash
# Builds RawJournal's app and jobs images with podman and runs them against a
# local stack, from a clean clone, on a machine with no Docker engine and no
# image registry (issue 19 item 2). Exits non-zero on any failure.
#
#   scripts/image/build-and-run.sh            (as root, or with sudo for apt)
#
#   1. apt: podman, runc, debootstrap when missing
#   2. a containers.conf of its own (CONTAINERS_CONF; the system one is left alone):
#      no default ulimits (this kernel refuses raising them), cgroupfs, runc
#   3. npm ci on the host (the local stack and the checks run from node_modules)
#   4. the base image: a debootstrap bookworm minbase root + the pinned Node
#      (node_modules/node) + Node 22's npm from the npm registry; reused while
#      its tag (Node and npm versions) matches, REBUILD_BASE=1 forces it
#   5. the Dockerfile's targets app and jobs, BASE_IMAGE pointing at that base
#      (NO_CACHE=1: no layer from an earlier run)
#   6. scripts/image/run-against-local-stack.ts: embedded PostgreSQL + local
#      Supabase + Stripe stand-in on free ports, both containers on the host
#      network, then /healthz, /readyz, a signed-in page, the jobs container's
#      leader lock and both images' HEALTHCHECKs
#
# Only the npm registry and the Debian mirror are contacted.
set -euo pipefail

started=$(date +%s)
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo"
work="$repo/.data/image"
mkdir -p "$work"

say() { printf '[image] %s\n' "$*"; }
fail() { printf '[image] FAILED: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else fail "needs root for: $*"; fi
}

# 1. Tools -------------------------------------------------------------------
missing=()
for tool in podman runc debootstrap; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if [ "${#missing[@]}" -gt 0 ]; then
  say "installing ${missing[*]} (apt)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    podman runc debootstrap containernetworking-plugins >/dev/null
fi
[ "$(id -u)" = 0 ] || fail "podman runs rootful here: run this script as root"

# 2. Container configuration ---------------------------------------------------
export CONTAINERS_CONF="$work/containers.conf"
cat >"$CONTAINERS_CONF" <<'EOF'
# Written by scripts/image/build-and-run.sh. This machine's kernel refuses to
# raise rlimits (no CAP_SYS_RESOURCE) and has no systemd to manage cgroups.
[containers]
default_ulimits = []

[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
runtime = "runc"
EOF
podman=(podman --runtime runc)

# 3. Host dependencies ---------------------------------------------------------
if [ ! -x node_modules/.bin/tsx ] || [ ! -e node_modules/node/bin/node ]; then
  say "npm ci (host)"
  npm ci --no-audit --no-fund >/dev/null
fi
node_bin="$(readlink -f node_modules/node/bin/node)"
node_version="$("$node_bin" -p process.versions.node)"
pinned="$(node -p 'require("./package.json").dependencies.node')"
[ "$node_version" = "$pinned" ] || fail "node_modules/node is Node $node_version, package.json pins $pinned"

# 4. Base image ----------------------------------------------------------------
# Node 22 ships npm 10 (the official node:22 images carry it); the lockfile
# works with npm 10 and 11 alike.
npm_version="${NPM_VERSION:-10.9.9}"
base_image="localhost/rawjournal-node-base:${node_version}-npm${npm_version}-bookworm"
rootfs_image="localhost/rawjournal-bookworm-minbase:latest"
if [ "${REBUILD_BASE:-0}" = 1 ] || ! "${podman[@]}" image exists "$base_image"; then
  rootfs="$work/bookworm-minbase"
  if [ "${REBUILD_BASE:-0}" = 1 ] || [ ! -f "$rootfs/.complete" ]; then
    say "debootstrap --variant=minbase bookworm"
    rm -rf "$rootfs" "$rootfs.tmp"
    debootstrap --variant=minbase bookworm "$rootfs.tmp" http://deb.debian.org/debian >"$work/debootstrap.log" 2>&1 ||
      { tail -20 "$work/debootstrap.log" >&2; fail "debootstrap (log: $work/debootstrap.log)"; }
    mv "$rootfs.tmp" "$rootfs"
    touch "$rootfs/.complete"
  fi
  say "importing the root as $rootfs_image (slimmed as debian:bookworm-slim is)"
  cat >"$rootfs/etc/apt/sources.list" <<'EOF'
deb http://deb.debian.org/debian bookworm main
deb http://deb.debian.org/debian bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
EOF
  # Later apt installs skip docs, man pages and translations, as in the slim image.
  cat >"$rootfs/etc/dpkg/dpkg.cfg.d/slim" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
path-exclude /usr/share/lintian/*
EOF
  cat >"$rootfs/etc/apt/apt.conf.d/docker-clean" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache ""; Dir::Cache::srcpkgcache "";
EOF
  find "$rootfs/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete 2>/dev/null || true
  rm -rf "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/var/cache/apt/* "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/log/*.log
  find "$rootfs/usr/share/locale" -mindepth 1 -maxdepth 1 -not -name locale.alias -exec rm -rf {} + 2>/dev/null || true
  tar --exclude=./.complete -C "$rootfs" -c . | "${podman[@]}" import - "$rootfs_image" >/dev/null

  say "building $base_image"
  ctx="$work/base-context"
  rm -rf "$ctx"
  mkdir -p "$ctx"
  cp "$node_bin" "$ctx/node"
  (cd "$ctx" && npm pack "npm@$npm_version" --silent >/dev/null && mkdir npm && tar -xzf "npm-$npm_version.tgz" -C npm --strip-components=1 && rm "npm-$npm_version.tgz")
  "${podman[@]}" build --format docker --network host --build-arg "ROOTFS_IMAGE=$rootfs_image" \
    -f scripts/image/node-base.Containerfile -t "$base_image" "$ctx"
  rm -rf "$ctx"
else
  say "base image $base_image exists (REBUILD_BASE=1 rebuilds it)"
fi

# 5. App and jobs images ----------------------------------------------------------
# Behind a TLS-intercepting proxy npm needs this machine's CA bundle: handed in
# as a build secret, so it is in no layer.
secret=()
[ -s /etc/ssl/certs/ca-certificates.crt ] && secret=(--secret id=npm-ca,src=/etc/ssl/certs/ca-certificates.crt)
tag="${IMAGE_TAG:-local}"
no_cache=()
[ "${NO_CACHE:-0}" = 1 ] && no_cache=(--no-cache)
for target in app jobs; do
  say "building rawjournal-$target:$tag (Dockerfile target $target)"
  "${podman[@]}" build --format docker --network host --build-arg "BASE_IMAGE=$base_image" "${secret[@]}" "${no_cache[@]}" \
    --target "$target" -t "localhost/rawjournal-$target:$tag" . >"$work/build-$target.log" 2>&1 ||
    { tail -40 "$work/build-$target.log" >&2; fail "podman build --target $target (log: $work/build-$target.log)"; }
  # The jobs build reuses the stages the app build just made, as it would on a fresh machine.
  no_cache=()
done
built=$(date +%s)

# 6. Run against the local stack and check -----------------------------------------
say "running both images against a local stack"
# node_modules/.bin first: tsx and the local stack run on the pinned Node.
PATH="$repo/node_modules/.bin:$PATH" tsx scripts/image/run-against-local-stack.ts \
  --app-image "localhost/rawjournal-app:$tag" --jobs-image "localhost/rawjournal-jobs:$tag" ||
  fail "the images did not pass their checks"

finished=$(date +%s)
size_of() { "${podman[@]}" image inspect --format '{{.Size}}' "$1"; }
app_size=$(size_of "localhost/rawjournal-app:$tag")
jobs_size=$(size_of "localhost/rawjournal-jobs:$tag")
base_size=$(size_of "$base_image")
summary="total $((finished - started)) s (images built in $((built - started)) s, run and checks $((finished - built)) s); \
app $((app_size / 1000000)) MB, jobs $((jobs_size / 1000000)) MB, base $((base_size / 1000000)) MB"
printf '{"totalSeconds":%d,"buildSeconds":%d,"runSeconds":%d,"appBytes":%d,"jobsBytes":%d,"baseBytes":%d}\n' \
  $((finished - started)) $((built - started)) $((finished - built)) "$app_size" "$jobs_size" "$base_size" >"$work/last-run.json"
say "passed: $summary"
