#!/usr/bin/env bash
# The whole test suite, on a fresh machine: makes the virtualenv, installs fastlint with its test dependencies,
# starts a Docker engine when none answers (scripts/engine/start-engine.sh installs Debian's docker.io), then runs
# pytest. The engine tests build their own stand-in base images (tests/standins/). Extra arguments go to pytest.
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
    bash scripts/engine/start-engine.sh
fi

exec "$venv/bin/python" -m pytest -q -p no:cacheprovider "$@"
