"""What verify says when a build fails or a baseline cannot be built, without an engine: the first error lines
of the failing tool (real npm output, and the forms of yarn, pnpm, apk, apt, the shell, COPY), the failure
sentence, the reports, and a baseline whose base image is missing reported as unavailable while the new image is
still judged."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from fastlint.verifier import verify as verify_mod
from fastlint.verifier.engine import BuildFailed, MissingBaseImage, first_error_lines
from fastlint.verifier.report import to_json, to_markdown, to_text
from fastlint.verifier.verify import VerifyOptions, judge, verify_service


def builder_log(command: str, output: str) -> str:
    """``output`` as the classic builder's log shows a failing RUN step."""
    return (f"Step 1/4 : FROM node:20-alpine\n ---> c45aaac31ffa\nStep 2/4 : WORKDIR /app\n ---> Using cache\n"
            f" ---> 0123456789ab\nStep 3/4 : COPY . .\n ---> 89abcdef0123\nStep 4/4 : RUN {command}\n"
            f" ---> Running in 111111111111\n{output}")


@pytest.fixture(scope="module")
def npm_ci_without_lockfile(tmp_path_factory) -> str:
    """What npm really prints for `npm ci` in a folder with package.json and no lockfile."""
    npm = shutil.which("npm")
    if npm is None:
        pytest.fail("npm is needed to record its real error output")
    folder = tmp_path_factory.mktemp("nolock")
    (folder / "package.json").write_text(json.dumps({"name": "svc", "dependencies": {"ms": "^2.1.0"}}))
    out = subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=folder, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode != 0
    return out.stdout + out.stderr


def test_npm_ci_cause_comes_first(npm_ci_without_lockfile):
    log = builder_log("npm ci", npm_ci_without_lockfile)
    lines = first_error_lines(log)
    assert lines[0] == "npm error code EUSAGE"
    assert any("package-lock.json" in line for line in lines), lines
    assert not any("Clean install a project" in line or "Usage" in line for line in lines), lines
    err = BuildFailed("The command '/bin/sh -c npm ci' returned a non-zero code: 1", log[-3000:], lines)
    text = err.describe()
    assert text.splitlines()[0].startswith("The command '/bin/sh -c npm ci'")
    assert text.splitlines()[1] == "npm error code EUSAGE"
    assert text.index("npm error code EUSAGE") < text.index("--- end of the build log ---")


@pytest.mark.parametrize(("output", "first", "count"), [
    ("npm ERR! code ELIFECYCLE\nnpm ERR! errno 2\nnpm ERR! svc@1.0.0 build: `tsc`\nnpm ERR! Exit status 2\n"
     "npm ERR! \nnpm ERR! Failed at the svc@1.0.0 build script.\nnpm ERR! A complete log of this run can be found "
     "in:\n", "npm ERR! code ELIFECYCLE", 5),
    ("npm error Missing script: \"build\"\nnpm error\nnpm error To see a list of scripts, run:\n"
     "npm error   npm run\n", "npm error Missing script: \"build\"", 2),
    ("yarn install v1.22.22\n[1/4] Resolving packages...\nerror Your lockfile needs to be updated, but yarn was run "
     "with `--frozen-lockfile`.\ninfo Visit https://yarnpkg.com/en/docs/cli/install for documentation.\n",
     "error Your lockfile needs to be updated, but yarn was run with `--frozen-lockfile`.", 1),
    ("Lockfile is up to date\n ERR_PNPM_OUTDATED_LOCKFILE  Cannot install with \"frozen-lockfile\" because "
     "pnpm-lock.yaml is not up to date with package.json\n\n  Failure reason:\n",
     " ERR_PNPM_OUTDATED_LOCKFILE  Cannot install with \"frozen-lockfile\" because pnpm-lock.yaml is not up to date "
     "with package.json", 1),
    ("fetch https://dl-cdn.alpinelinux.org/alpine/v3.19/main/x86_64/APKINDEX.tar.gz\nERROR: unable to select "
     "packages:\n  nosuch (no such package):\n    required by: world[nosuch]\n",
     "ERROR: unable to select packages:", 3),
    ("Reading package lists...\nE: Unable to locate package nosuch\n", "E: Unable to locate package nosuch", 1),
    ("/bin/sh: tsc: not found\n", "/bin/sh: tsc: not found", 1),
    ("src/index.ts(3,7): error TS2322: Type 'string' is not assignable to type 'number'.\n",
     "src/index.ts(3,7): error TS2322: Type 'string' is not assignable to type 'number'.", 1),
])
def test_first_error_lines_of_other_tools(output, first, count):
    lines = first_error_lines(builder_log("x", output))
    assert lines[0] == first and len(lines) == count, lines


def test_the_builders_colour_codes_are_read_through():
    """The classic builder wraps a step's stderr in colour codes, which can split `npm` from ` ERR!` (a legacy
    build of fixtures/wild/ts-express-default on node:14.14.0-alpine3.12 printed this)."""
    output = ("\x1b[0m\x1b[91mnpm WARN typescript-express-starter@0.0.0 No repository field.\n\x1b[0m\x1b[91m\n"
              "\x1b[0m\x1b[91mnpm\x1b[0m\x1b[91m ERR! code ELIFECYCLE\nnpm ERR! errno 1\n\x1b[0m\x1b[91mnpm\x1b[0m"
              "\x1b[91m ERR! bcrypt@5.1.1 install: `node-pre-gyp install --fallback-to-build`\nnpm ERR! Exit status 1\n"
              "npm ERR! \nnpm ERR! Failed at the bcrypt@5.1.1 install script.\n")
    assert first_error_lines(builder_log("npm install", output)) == [
        "npm ERR! code ELIFECYCLE", "npm ERR! errno 1",
        "npm ERR! bcrypt@5.1.1 install: `node-pre-gyp install --fallback-to-build`", "npm ERR! Exit status 1",
        "npm ERR! Failed at the bcrypt@5.1.1 install script."]


def test_download_failures():
    lines = first_error_lines(builder_log("curl -fSL https://github.com/x -o /y", "+ curl -fSL https://github.com/x\n"
                                          "curl: (6) Could not resolve host: github.com\n"))
    assert lines == ["curl: (6) Could not resolve host: github.com"]


def test_copy_failed_and_no_error():
    log = "Step 3/4 : COPY dist ./dist\nCOPY failed: file not found in build context or excluded by .dockerignore: " \
          "stat dist: file does not exist\n"
    assert first_error_lines(log) == [log.splitlines()[1]]
    assert first_error_lines("Step 1/1 : FROM x\nSuccessfully built 0123\n") == []


def test_unknown_error_forms_give_the_failing_steps_last_lines():
    log = builder_log("./configure && make", "checking for gcc... no\nconfigure: error: no acceptable C compiler\n"
                      "Removing intermediate container 111111111111\n"
                      "The command '/bin/sh -c ./configure && make' returned a non-zero code: 77\n")
    assert first_error_lines(log) == ["checking for gcc... no", "configure: error: no acceptable C compiler"]


def test_the_failure_names_the_cause():
    figures = {"build_error": "The command '/bin/sh -c npm ci' returned a non-zero code: 1\nnpm error code EUSAGE",
               "build_error_lines": ["npm error code EUSAGE", "npm error The `npm ci` command can only install with "
                                                               "an existing package-lock.json"],
               "size_bytes": None}
    (failure,) = judge(figures, {"max_size_mb": 200, "max_layers": 12})
    assert failure.startswith("build failed: The command '/bin/sh -c npm ci' returned a non-zero code: 1 (")
    assert "npm error code EUSAGE; npm error The `npm ci` command can only install" in failure


# -- a baseline whose base image is missing ------------------------------------------------------------------------

def _figures(**kw):
    base = {"size_bytes": 150e6, "layers": 10, "wasted_bytes": 0, "build_seconds": 20.0, "rebuild_seconds": 5.0,
            "seconds_to_healthy": 2.0, "user": "nodejs", "uid": 1001, "exposed_ports": ["3000/tcp"],
            "healthcheck": ["CMD", "node", "h.js"], "healthy": True, "dev_dependencies_found": [],
            "run_status": "healthy", "build_error": None}
    return {**base, **kw}


def test_missing_legacy_base_leaves_the_new_image_verified(tmp_path, monkeypatch):
    (tmp_path / "Dockerfile").write_text("FROM node:20-alpine\n")
    (tmp_path / "Dockerfile.backup").write_text("FROM node:8-slim\n")
    (tmp_path / "package.json").write_text("{}")
    calls = []

    def fake_measure(session, service_dir, dockerfile, tag, dev_deps, options):
        calls.append(dockerfile)
        if dockerfile == "Dockerfile.backup":
            raise MissingBaseImage(f"{service_dir / dockerfile}: base image node:8-slim not present in the engine, "
                                   "and fastlint never pulls")
        return {"dockerfile": str(service_dir / dockerfile), "image": tag, **_figures()}

    monkeypatch.setattr(verify_mod, "measure", fake_measure)
    options = VerifyOptions(baseline_dockerfile="Dockerfile.backup")
    report = verify_service(None, tmp_path, options, "run1", {"max_size_mb": 200, "max_layers": 12})
    assert calls == ["Dockerfile", "Dockerfile.backup"]
    assert report["passed"] is True and report["size_bytes"] == 150e6
    assert report["change"] is None
    assert "node:8-slim not present in the engine" in report["baseline"]["unavailable"]
    assert report["baseline"]["size_bytes"] is None
    full = {"services": [{**report, "service": "svc"}]}
    text = to_text(full)
    assert "baseline  unavailable" in text
    assert "svc: baseline unavailable: " in text and "1 passed, 0 failed" in text
    assert "| | baseline | unavailable |" in to_markdown(full)
    assert json.loads(to_json(full))["services"][0]["baseline"]["unavailable"]


def test_missing_base_of_the_new_image_is_still_an_engine_error(tmp_path, monkeypatch):
    (tmp_path / "Dockerfile").write_text("FROM node:99\n")

    def fake_measure(session, service_dir, dockerfile, tag, dev_deps, options):
        raise MissingBaseImage("base image node:99 not present in the engine")

    monkeypatch.setattr(verify_mod, "measure", fake_measure)
    with pytest.raises(MissingBaseImage):
        verify_service(None, tmp_path, VerifyOptions(), "run1", {"max_size_mb": 200, "max_layers": 12})
