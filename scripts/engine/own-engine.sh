#!/usr/bin/env bash
# The tests' own Docker engine: a dockerd of their own beside any other, so that the stand-in base images they
# tag node:20-alpine, alpine:3.19, node:20, node:18 and node:latest never replace a user's real images.
#
#   bash scripts/engine/own-engine.sh start    start it unless it runs (idempotent); prints its DOCKER_HOST
#   bash scripts/engine/own-engine.sh stop     stop it (its containers stop with it; the network namespace mount
#                                              it leaves is removed); its images stay for next time
#   bash scripts/engine/own-engine.sh status   exit 0 when it answers
#   bash scripts/engine/own-engine.sh host     print its DOCKER_HOST (unix://.../docker.sock)
#
# Everything it has is under the repository's cache folder, .ci-cache/engine/ (FASTLINT_ENGINE_DIR moves it):
# data/ (--data-root: images, containers, volumes), exec/ (--exec-root: its own containerd, started by dockerd,
# with its socket and state there), dockerd.pid (--pidfile), docker.sock (its API), daemon.json (--config-file:
# empty, so /etc/docker/daemon.json is not read) and dockerd.log. No bridge and no iptables rules
# (--bridge=none --iptables=false --ip6tables=false): builds use the host network, containers none. So it does
# not clash with a system dockerd (/var/lib/docker, /var/run/docker, /var/run/docker.sock, /var/run/docker.pid)
# nor with another checkout's own engine. When the socket path would be too long for a unix socket (108 bytes),
# exec/ and the socket go to /tmp/fastlint-engine-<hash of the folder>/ instead.
#
# Needs root (dockerd does); installs Debian's docker.io when dockerd is missing (scripts/engine/install-docker.sh).
# Environment: FASTLINT_ENGINE_DIR (default <repo>/.ci-cache/engine), FASTLINT_ENGINE_WAIT (seconds, default 60).
set -euo pipefail

repo="$(cd "$(dirname "$0")/../.." && pwd)"
dir="${FASTLINT_ENGINE_DIR:-$repo/.ci-cache/engine}"
wait_seconds="${FASTLINT_ENGINE_WAIT:-60}"
run="$dir"
if [ "${#dir}" -gt 60 ]; then  # exec/containerd/containerd.sock and the API socket must stay under 108 bytes
    run="/tmp/fastlint-engine-$(printf '%s' "$dir" | sha256sum | cut -c1-12)"
fi
sock="$run/docker.sock"
pidfile="$dir/dockerd.pid"
log="$dir/dockerd.log"
host="unix://$sock"

die() { echo "own-engine: $*" >&2; exit 1; }

answers() { DOCKER_HOST="$host" timeout 10 docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

running_pid() {  # the pid in the pidfile, when that process is a dockerd
    local pid
    pid="$(cat "$pidfile" 2>/dev/null || true)"
    [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q dockerd \
        && echo "$pid"
}

start() {
    if answers; then
        echo "$host"
        return 0
    fi
    [ "$(id -u)" = 0 ] || die "the tests' own Docker engine needs root (dockerd); run the tests as root"
    command -v dockerd >/dev/null 2>&1 || bash "$repo/scripts/engine/install-docker.sh"
    command -v docker >/dev/null 2>&1 || die "docker.io is installed but the docker client is not on PATH"
    if [ -z "$(running_pid)" ]; then
        mkdir -p "$dir/data" "$run/exec"
        [ -f "$dir/daemon.json" ] || echo '{}' >"$dir/daemon.json"
        rm -f "$sock"
        # setsid: the engine outlives this script; `stop` (or the test command's exit trap) ends it
        setsid nohup dockerd --config-file "$dir/daemon.json" --data-root "$dir/data" --exec-root "$run/exec" \
            --pidfile "$pidfile" -H "$host" --bridge=none --iptables=false --ip6tables=false \
            >>"$log" 2>&1 </dev/null &
    fi
    local deadline=$(( $(date +%s) + wait_seconds ))
    until answers; do
        if [ "$(date +%s)" -ge "$deadline" ]; then
            tail -15 "$log" >&2 2>/dev/null || true
            die "its dockerd did not answer within ${wait_seconds}s (log: $log)"
        fi
        sleep 0.5
    done
    echo "$host"
}

unmount_netns() {  # dockerd leaves its default network namespace mounted under --exec-root when it stops
    local ns="$run/exec/netns/default"
    if mountpoint -q "$ns" 2>/dev/null; then
        umount "$ns" 2>/dev/null || true
    fi
}

stop() {
    local pid
    pid="$(running_pid || true)"
    if [ -z "$pid" ]; then
        unmount_netns
        return 0
    fi
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do
        if ! kill -0 "$pid" 2>/dev/null; then
            unmount_netns
            return 0
        fi
        sleep 0.5
    done
    echo "own-engine: dockerd $pid did not stop within 30 s; killed" >&2
    kill -KILL "$pid" 2>/dev/null || true
    sleep 1
    unmount_netns
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) answers ;;
    host) echo "$host" ;;
    *) die "usage: own-engine.sh start|stop|status|host" ;;
esac
