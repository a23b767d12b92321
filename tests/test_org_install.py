"""The example rule package as an organisation ships it: fastlint and fastlint-acme-rules built as wheels
(``pip wheel``), installed with ``pip install`` into a new virtualenv, then that environment's own ``fastlint`` and
``pytest`` over the shared corpus and over the package's own cases.

No network: the wheels are built with the test extras' hatchling (``--no-build-isolation``) and installed with
``--no-deps``; fastlint's third-party dependencies (typer, tree-sitter, ...) and pytest are the test environment's,
named by a ``.pth`` file in the new environment. fastlint and the rule package themselves are the wheels' copies
(checked: nothing is imported from the checkout)."""

from __future__ import annotations

import json
import os
import site
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from conftest import ROOT, corpus_files

EXAMPLE = ROOT / "examples" / "fastlint-acme-rules"
TIMEOUT = 600


def call(args, cwd, **env) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT,
                          env=env or None)


@pytest.fixture(scope="module")
def org(tmp_path_factory) -> dict:
    """A new virtualenv with the two wheels installed; returns its ``bin`` folder and the environment to run it in."""
    root = tmp_path_factory.mktemp("org")
    wheels = root / "wheels"
    r = call([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "--no-index",
              "--wheel-dir", wheels, ROOT, EXAMPLE], root)
    assert r.returncode == 0, r.stderr
    built = sorted(p.name for p in wheels.glob("*.whl"))
    assert built == ["fastlint-0.1.0-py3-none-any.whl", "fastlint_acme_rules-0.1.0-py3-none-any.whl"], built
    venv = root / "venv"
    r = call([sys.executable, "-m", "venv", venv], root)
    assert r.returncode == 0, r.stderr
    bin_ = venv / ("Scripts" if os.name == "nt" else "bin")
    purelib = call([bin_ / "python", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                   root).stdout.strip()
    (Path(purelib) / "zz_test_dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    r = call([bin_ / "python", "-m", "pip", "install", "--quiet", "--no-deps", "--no-index",
              "--disable-pip-version-check", *sorted(wheels.glob("*.whl"))], root)
    assert r.returncode == 0, r.stderr
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "NO_COLOR", "VIRTUAL_ENV")}
    env.update(FASTLINT_NO_CACHE="1", FASTLINT_CACHE_DIR=str(root / "cache"),
               DOCKER_HOST=f"unix://{root / 'no-engine.sock'}")  # base-image lookups: no engine, same answers
    work = root / "work"
    work.mkdir()
    where = call([bin_ / "python", "-c", "import fastlint, fastlint_acme_rules\n"
                  "print(fastlint.__file__); print(fastlint_acme_rules.__file__)"], work, **env).stdout.split()
    assert [Path(p).is_relative_to(purelib) for p in where] == [True, True], where
    return {"bin": bin_, "env": env, "work": work}


def findings(r: subprocess.CompletedProcess) -> list[dict]:
    assert r.returncode == 1, r.stderr
    return json.loads(r.stdout)


def test_check_over_the_corpus_adds_the_package_rules_and_changes_no_other(org):
    files = corpus_files()
    assert len(files) > 300
    config = org["work"] / "fastlint.yaml"
    config.write_text("trusted_registries: [registry.acme.io]\n")  # DL3026: ACME's registry only, as ACME001
    check = ["check", "--config", config, "--format", "json", *files]
    installed = findings(call([org["bin"] / "fastlint", *check], org["work"], **org["env"]))
    plain_env = {**org["env"], "FASTLINT_CACHE_DIR": str(org["work"] / "plain-cache")}
    plain = findings(call([sys.executable, "-m", "fastlint", *check], org["work"], **plain_env))  # no package
    assert not [f for f in plain if f["code"].startswith("ACME")]
    ours = [f for f in installed if not f["code"].startswith("ACME")]
    assert ours == plain  # fastlint's own findings, in the same order
    acme = Counter(f["code"] for f in installed if f["code"].startswith("ACME"))
    assert set(acme) == {"ACME001", "ACME002", "ACME003", "ACME004"}, acme
    # ACME004 (no latest, no missing tag, in any stage) reports exactly where DL3006 (no tag) or DL3007 (latest) do
    spots = {code: {(f["file"], f["line"], f["column"]) for f in installed if f["code"] in code}
             for code in (("ACME004",), ("DL3006", "DL3007"), ("ACME001",), ("DL3026",))}
    assert spots[("ACME004",)] == spots[("DL3006", "DL3007")]
    # ACME001 (FROM, COPY --from and RUN --mount images from registry.acme.io only) exactly where DL3026 is
    assert spots[("ACME001",)] == spots[("DL3026",)] and len(spots[("DL3026",)]) > 300
    # ACME002 (no team label on the image): at most once a file, on the FROM of the stage that becomes the image
    team = [f for f in installed if f["code"] == "ACME002"]
    assert len(team) == len({f["file"] for f in team}) > 300
    for f in team:
        line = Path(f["file"]).read_text(encoding="utf-8").splitlines()[f["line"] - 1]
        assert line.lstrip().upper().startswith("FROM"), f


def test_rules_lists_the_package(org):
    r = call([org["bin"] / "fastlint", "rules", "--format", "json"], org["work"], **org["env"])
    rows = {row["code"]: row["source"] for row in json.loads(r.stdout)}
    assert {code: rows[code] for code in rows if code.startswith("ACME")} == dict.fromkeys(
        ["ACME001", "ACME002", "ACME003", "ACME004"], "fastlint-acme-rules 0.1.0")


def test_test_rules_and_the_pytest_plugin_run_the_installed_cases(org):
    pages = sorted((EXAMPLE / "src" / "fastlint_acme_rules" / "catalogue").glob("*.md"))
    checks = len(pages) + sum(p.read_text().count("\n### ") for p in pages)
    r = call([org["bin"] / "fastlint", "test-rules", "fastlint-acme-rules"], org["work"], **org["env"])
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.splitlines()[-1] == f"{checks} checks passed."
    r = call([org["bin"] / "python", "-m", "pytest", "-p", "no:cacheprovider", "-q", "--fastlint-rules",
              "fastlint-acme-rules"], org["work"], **org["env"])
    assert r.returncode == 0, r.stdout + r.stderr
    assert f"{checks} passed" in r.stdout
