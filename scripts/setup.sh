#!/usr/bin/env bash
# Gets a fresh Debian/Ubuntu checkout ready: the Debian packages the sandbox needs (as root),
# Node 22 from the npm registry into .node/ when the machine's Node is older, the npm
# dependencies, and the build. Safe to run again: it skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v bwrap >/dev/null 2>&1 || need+=(bubblewrap)
[ -x /usr/bin/python3 ] || need+=(python3)
command -v pgrep >/dev/null 2>&1 || need+=(procps)
# The offline voice, and a sound server the audio tests can give null sinks to.
command -v espeak-ng >/dev/null 2>&1 || need+=(espeak-ng)
command -v pulseaudio >/dev/null 2>&1 || need+=(pulseaudio)
command -v parec >/dev/null 2>&1 || need+=(pulseaudio-utils)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq >/dev/null
    apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "setup: missing Debian packages: ${need[*]}; run: sudo apt-get install ${need[*]}" >&2
    exit 1
  fi
fi

major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$major" -lt 22 ] && [ ! -x .node/node_modules/.bin/node ]; then
  echo "setup: Node $major is older than 22; installing Node 22 into .node/" >&2
  npm install --prefix .node --no-save --no-audit --no-fund node@22 >/dev/null
fi
export PATH="$PWD/.node/node_modules/.bin:$PATH"

npm ci --no-audit --no-fund >/dev/null
npm run build >/dev/null
