#!/usr/bin/env bash
# Start a Docker engine for `fastlint verify` and `fastlint build` by hand, if none answers. (The tests never use
# it: they run on an engine of their own, scripts/engine/own-engine.sh.)
#
# These machines have no Docker engine and no reachable image registry. When `docker info` already answers, this
# does nothing. Otherwise it installs Debian's docker.io (dockerd, containerd, runc) with apt-get, starts dockerd in
# the background without a bridge or iptables (the sandbox has no docker0; containers that need the network use
# network_mode=host), waits for it to answer (bounded), and prints the engine version.
#
# Idempotent and quiet on success (one line: the engine version). Fails with one clear line on stderr.
# Environment:
#   FASTLINT_ENGINE_LOG   dockerd's log file       (default /var/log/fastlint-dockerd.log)
#   FASTLINT_ENGINE_WAIT  seconds to wait for it   (default 60)
set -euo pipefail

log_file="${FASTLINT_ENGINE_LOG:-/var/log/fastlint-dockerd.log}"
wait_seconds="${FASTLINT_ENGINE_WAIT:-60}"

die() { echo "start-engine: $*" >&2; exit 1; }

engine_answers() { timeout 10 docker info >/dev/null 2>&1; }

print_version() { docker version --format 'docker engine {{.Server.Version}} (API {{.Server.APIVersion}})'; }

if command -v docker >/dev/null 2>&1 && engine_answers; then
    print_version
    exit 0
fi

[ "$(id -u)" = 0 ] || die "no Docker engine answers and installing one needs root (run as root or start dockerd yourself)"

bash "$(dirname "$0")/install-docker.sh"
command -v docker >/dev/null 2>&1 || die "docker.io is installed but the docker client is not on PATH"

# A dockerd that is starting (or was left half-dead) keeps its pid file; start only if it runs no more. (Another
# dockerd, such as the tests' own engine, has its own pid file and does not count.)
pid_file=/var/run/docker.pid
if ! { [ -s "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null; }; then
    mkdir -p "$(dirname "$log_file")"
    # setsid: the engine must outlive this script and the shell or test run that called it.
    setsid nohup dockerd --bridge=none --iptables=false --ip6tables=false >>"$log_file" 2>&1 </dev/null &
fi

deadline=$(( $(date +%s) + wait_seconds ))
until engine_answers; do
    if [ "$(date +%s)" -ge "$deadline" ]; then
        tail -15 "$log_file" >&2 2>/dev/null || true
        die "dockerd did not answer within ${wait_seconds}s (log: $log_file)"
    fi
    if ! pgrep -x dockerd >/dev/null 2>&1; then
        tail -15 "$log_file" >&2 2>/dev/null || true
        die "dockerd exited during start-up (log: $log_file)"
    fi
    sleep 1
done
print_version
