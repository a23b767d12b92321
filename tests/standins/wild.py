"""The wild set's engine runs, shared by tests/test_wild_legacy.py and tests/test_wild_migration.py: each original
Dockerfile is built once per test session (the legacy baseline, ``wild_legacy``), and its results are reused.

Images are kept under stable tags (``fastlint-wild-legacy/<service>:latest``, ``fastlint-wild/<service>:latest``),
with the classic builder's step images, so that the next run finds its cache (a warm engine: unchanged steps are
not run again). ``docker images 'fastlint-wild*'`` lists them; ``docker rmi`` of those tags removes them."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import build as standins_build  # noqa: E402  (tests/standins/build.py)
import legacy  # noqa: E402  (tests/standins/legacy.py)

WILD = HERE.parents[1] / "fixtures" / "wild"
SERVICES = sorted(p.name for p in WILD.iterdir() if p.is_dir())
LEGACY_REPORT = standins_build.CACHE.parent / "wild-legacy.json"
_RESULTS: dict[str, dict] = {}  # the legacy builds of this test process (two modules import the fixture)


def build_legacy(client, tmp_root: Path) -> dict[str, dict]:
    """Build every service's original Dockerfile on the stand-ins of its bases: {service: outcome}."""
    from fastlint.verifier.engine import BuildFailed, Session, base_images

    results: dict[str, dict] = {}
    session = Session(client, timeout=1200, network="host", keep_images=True)
    try:
        for name in SERVICES:
            dockerfile = WILD / name / "Dockerfile"
            bases = base_images(dockerfile.read_text())
            unavailable = [b for b in bases if b in legacy.NOT_STOOD_IN or session.missing_images([b])]
            if unavailable:
                results[name] = {"outcome": "no stand-in", "bases": bases,
                                 "reason": "; ".join(f"{b}: {legacy.NOT_STOOD_IN.get(b, 'no stand-in image')}"
                                                     for b in unavailable)}
                continue
            context = tmp_root / name
            shutil.copytree(WILD / name, context)
            try:
                built = session.build(context, "Dockerfile", f"fastlint-wild-legacy/{name}:latest", label="wild")
                info = session.inspect(built.image_id)
                results[name] = {"outcome": "builds", "bases": bases, "seconds": round(built.seconds, 1),
                                 "size_bytes": int(info.get("Size") or 0),
                                 "layers": len((info.get("RootFS") or {}).get("Layers") or [])}
            except BuildFailed as err:
                results[name] = {"outcome": "fails", "bases": bases, "reason": str(err),
                                 "first_errors": err.first_errors, "log_tail": err.log_tail[-1500:]}
    finally:
        problems = session.close()
    LEGACY_REPORT.parent.mkdir(parents=True, exist_ok=True)
    LEGACY_REPORT.write_text(json.dumps(results, indent=2) + "\n")
    for name, r in results.items():
        why = r.get("reason", "") + (" | " + " / ".join(r.get("first_errors") or []) if r.get("first_errors") else "")
        print(f"[wild-legacy] {name}: {r['outcome']} {why[:300]}", file=sys.stderr)
    assert not problems, problems
    return results


@pytest.fixture(scope="session")
def wild_legacy(docker_client, standin_images, tmp_path_factory):
    """The legacy builds of the wild set, once per session: {service: {"outcome", "size_bytes", ...}}."""
    if _RESULTS:
        return _RESULTS
    try:
        legacy.ensure_legacy(docker_client)
    except Exception as err:
        pytest.fail(f"building the legacy stand-ins failed: {err}")
    _RESULTS.update(build_legacy(docker_client, tmp_path_factory.mktemp("wild-legacy")))
    return _RESULTS
