#!/usr/bin/env bash
# The whole test suite, on a fresh machine: makes the virtualenv, installs fastlint with its test dependencies,
# starts the tests' own Docker engine (scripts/engine/own-engine.sh: a dockerd of their own under .ci-cache/engine,
# beside any other engine, installing Debian's docker.io if needed), runs pytest with DOCKER_HOST pointing at it,
# and stops that engine when pytest ends (if this run started it). The engine tests build their stand-in base images
# there (tests/standins/), never in a user's engine. FASTLINT_SKIP_ENGINE=1: no engine at all (the engine tests
# then skip, or fail under CI=true). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

venv="${FASTLINT_VENV:-.venv}"
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
"$venv/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null 2>&1 || true
"$venv/bin/python" -m pip install -q --disable-pip-version-check -e '.[test]' 2>&1 | grep -v '^WARNING: Location' || true
"$venv/bin/python" -c "import fastlint, pytest, docker" || { echo "test.sh: the install failed" >&2; exit 2; }

if [ "${FASTLINT_SKIP_ENGINE:-}" != "1" ]; then
    if ! bash scripts/engine/own-engine.sh status; then
        trap 'bash scripts/engine/own-engine.sh stop' EXIT  # started here: stopped when the run ends
    fi
    DOCKER_HOST="$(bash scripts/engine/own-engine.sh start)"
    export DOCKER_HOST
    echo "test.sh: the tests' own Docker engine: $DOCKER_HOST"
else
    export FASTLINT_NO_ENGINE_START=1  # nor do the engine fixtures start one: the engine tests skip (fail under CI)
fi

"$venv/bin/python" -m pytest -q -p no:cacheprovider --durations=25 "$@"  # the 25 slowest tests in the log: where the CI budget goes
