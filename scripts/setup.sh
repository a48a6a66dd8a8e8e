#!/usr/bin/env bash
# Installs what a fresh machine lacks, so `npm start` and `npm test` work alone:
# the npm dependencies (when node_modules is missing or older than the lockfile)
# and redis-server (Debian package) when it is not on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "cascade setup: installing npm dependencies (npm ci)…"
  npm ci --no-audit --no-fund --loglevel=error
fi

if ! command -v redis-server >/dev/null 2>&1 && [ -z "${REDIS_URL:-}" ]; then
  echo "cascade setup: redis-server is not installed; installing it with apt-get…"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
      echo "cascade setup: run as root or install redis-server yourself (apt-get install redis-server), or set REDIS_URL." >&2
      exit 1
    fi
  fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq redis-server >/dev/null
fi
