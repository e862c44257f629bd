#!/usr/bin/env bash
# Installs the Debian packages the test suite needs when they are missing:
# a PostgreSQL server (store tests run on it) and Chromium (page tests).
set -euo pipefail
need=()
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if ! command -v initdb >/dev/null 2>&1 && [ -z "$pg_bin" ]; then need+=(postgresql); fi
if ! command -v chromium >/dev/null 2>&1; then need+=(chromium); fi
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
echo "system-deps: installing ${need[*]} from Debian packages"
SUDO=""
if [ "$(id -u)" != "0" ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "system-deps: need root (or sudo) to install: ${need[*]}; install them and re-run" >&2; exit 1
  fi
fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" fonts-dejavu-core >/dev/null
