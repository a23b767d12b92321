#!/usr/bin/env bash
# Install Debian's docker.io (dockerd, containerd, runc, the docker client) with apt-get when dockerd is missing.
# Quiet on success; one clear line on stderr when it fails. Needs root. Used by start-engine.sh (a system engine
# for `fastlint verify` by hand) and own-engine.sh (the tests' own engine).
set -euo pipefail

die() { echo "install-docker: $*" >&2; exit 1; }

command -v dockerd >/dev/null 2>&1 && exit 0
[ "$(id -u)" = 0 ] || die "dockerd is missing and installing docker.io needs root"
export DEBIAN_FRONTEND=noninteractive
apt_log="$(mktemp)"
if ! timeout 300 apt-get update -qq >"$apt_log" 2>&1; then
    tail -5 "$apt_log" >&2; die "apt-get update failed (log above)"
fi
if ! timeout 600 apt-get install -y -qq --no-install-recommends docker.io >>"$apt_log" 2>&1; then
    tail -5 "$apt_log" >&2; die "apt-get install docker.io failed (log above)"
fi
rm -f "$apt_log"
