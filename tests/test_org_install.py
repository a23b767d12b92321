"""The example rule package as an organisation ships it: fastlint and fastlint-acme-rules built as wheels
(``pip wheel``), installed with ``pip install`` into a new virtualenv, then that environment's own ``fastlint`` and
``pytest`` over the shared corpus (with examples/datarules' rules too) and over the package's own cases. On the
corpus, the org's rules are checked against rules they restate (fastlint's DL3006/DL3007/DL3026, each other) and
against BuildKit's parser.

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


@pytest.fixture(scope="module")
def corpus(org) -> dict:
    """``fastlint check`` over the corpus with ACME's policy as an org writes it (examples/datarules' custom_rules,
    and DL3026 set to ACME's registry), by the new environment (the rule package installed) and by the test
    environment (no rule package on its path)."""
    files = corpus_files()
    assert len(files) > 300
    config = org["work"] / "fastlint.yaml"
    config.write_text((ROOT / "examples" / "datarules" / "fastlint.yaml").read_text(encoding="utf-8")
                      + "trusted_registries: [registry.acme.io]\n")
    check = ["check", "--config", config, "--format", "json", *files]
    installed = findings(call([org["bin"] / "fastlint", *check], org["work"], **org["env"]))
    plain_env = {**org["env"], "FASTLINT_CACHE_DIR": str(org["work"] / "plain-cache")}
    plain = findings(call([sys.executable, "-m", "fastlint", *check], org["work"], **plain_env))
    return {"installed": installed, "plain": plain, "files": files}


def spots(found: list[dict], *codes: str) -> set[tuple[str, int, int]]:
    return {(f["file"], f["line"], f["column"]) for f in found if f["code"] in codes}


def test_check_over_the_corpus_adds_the_package_rules_and_changes_no_other(corpus):
    installed, plain = corpus["installed"], corpus["plain"]
    assert not [f for f in plain if f["code"].startswith("ACME")]
    ours = [f for f in installed if not f["code"].startswith("ACME")]
    assert ours == plain  # fastlint's own findings and the data rules', in the same order
    acme = Counter(f["code"] for f in installed if f["code"].startswith("ACME"))
    assert set(acme) == {"ACME001", "ACME002", "ACME003", "ACME004"}, acme


def test_the_package_rules_agree_with_fastlint_own_rules_on_the_corpus(corpus):
    found = corpus["installed"]
    # ACME004 (no latest, no missing tag, in any stage) reports exactly where DL3006 (no tag) or DL3007 (latest) do
    assert spots(found, "ACME004") == spots(found, "DL3006", "DL3007")
    # ACME001 (FROM, COPY --from and RUN --mount images from registry.acme.io only) exactly where DL3026 is
    assert spots(found, "ACME001") == spots(found, "DL3026") and len(spots(found, "DL3026")) > 300
    # ACME002 (no team label on the image): at most once a file, on the FROM of the stage that becomes the image
    team = [f for f in found if f["code"] == "ACME002"]
    assert len(team) == len({f["file"] for f in team}) > 300
    for f in team:
        line = Path(f["file"]).read_text(encoding="utf-8").splitlines()[f["line"] - 1]
        assert line.lstrip().upper().startswith("FROM"), f


def test_the_data_rules_agree_with_buildkit_and_the_package_on_the_corpus(corpus):
    """examples/datarules' rules over the corpus, against BuildKit's parser (the ``dockerfile`` package) and the
    ACME package's rules that check the same policy in Python."""
    import dockerfile

    found = corpus["installed"]
    starts, keywords, unparsed = {}, {}, set()  # (file, line): the instruction starting there / holding it
    for path in map(str, corpus["files"]):
        try:
            commands = dockerfile.parse_file(path)
        except dockerfile.GoParseError:
            unparsed.add(path)
            continue
        for c in commands:
            word = (c.sub_cmd or c.cmd).upper()  # ONBUILD ADD counts as ADD
            starts[path, c.start_line] = word
            keywords.update(((path, line), word) for line in range(c.start_line, c.end_line + 1))
    assert len(unparsed) < 10

    def lines(*codes):
        return {(file, line) for file, line, _ in spots(found, *codes) if file not in unparsed}

    # ORG006 (forbidden ADD and MAINTAINER): exactly the instructions BuildKit reads as ADD or MAINTAINER
    assert lines("ORG006") == {spot for spot, word in starts.items() if word in ("ADD", "MAINTAINER")} != set()
    # ORG004 (only registry.acme.io/base/* images; the corpus has none): ACME001's findings on FROM lines
    assert lines("ORG004") == {spot for spot in lines("ACME001") if keywords.get(spot) == "FROM"}
    # ORG007 (forbidden `npm install`, `npm i`, `sudo`) on every line ACME003 (npm ci, never npm install) reports
    assert lines("ACME003") <= lines("ORG007") and lines("ACME003")
    # ORG005 (forbidden *:latest, *:edge, *:nightly): where ACME004 (latest or no tag) is, and on edge or nightly
    moving = lines("ORG005") - lines("ACME004")
    assert lines("ACME004") <= lines("ORG005")
    for file, line in moving:
        assert any(tag in Path(file).read_text(encoding="utf-8").splitlines()[line - 1]
                   for tag in (":edge", ":nightly")), (file, line)


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
