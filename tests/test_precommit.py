"""The pre-commit hooks (.pre-commit-hooks.yaml), run by the real ``pre-commit`` from PyPI.

``pre-commit try-repo`` clones this repository (uncommitted changes included), installs fastlint into a fresh
virtualenv from PyPI (that is why the test needs PyPI), and runs the hooks in a temporary git repository holding a
copy of a FAST service. ``try-repo`` uses a temporary store of its own, so each call installs the hook environment
again (30 to 40 s): the test makes two calls. PRE_COMMIT_HOME points to a temporary
folder all the same, so nothing is written to the user's cache.

The file patterns (which names each hook takes) are tested without pre-commit, with the same ``re.search`` that
pre-commit applies to ``files`` and ``exclude``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

SERVICE = "fast-validation-service"
FINDING = re.compile(r"^(\S+):(\d+):(\d+): ([A-Z]+\d+)\b", re.MULTILINE)


def _manifest() -> dict[str, dict]:
    from pre_commit.clientlib import load_manifest  # validates against pre-commit's own schema

    return {hook["id"]: hook for hook in load_manifest(str(ROOT / ".pre-commit-hooks.yaml"))}


def _takes(hook: dict, name: str) -> bool:
    """Whether pre-commit passes a file of that path to the hook (its ``files`` and ``exclude`` patterns)."""
    return bool(re.search(hook["files"], name)) and not re.search(hook["exclude"], name)


# -- the manifest -----------------------------------------------------------------------------------------------------
def test_manifest_is_valid_and_has_the_three_hooks():
    hooks = _manifest()
    assert set(hooks) == {"fastlint", "fastlint-fix", "fastlint-verify"}
    assert hooks["fastlint"]["entry"] == "fastlint check"
    assert hooks["fastlint-fix"]["entry"] == "fastlint fix"
    assert "--unsafe-fixes" not in hooks["fastlint-fix"]["args"]  # safe fixes only
    verify = hooks["fastlint-verify"]
    assert verify["entry"] == "fastlint verify"
    assert verify["stages"] == ["manual"]  # builds images: never on a plain commit
    assert verify["pass_filenames"] is False
    # the hook environment is `pip install .`: without the verify extra's docker SDK, `fastlint verify` exits 2
    assert any(dep.startswith("docker") for dep in verify["additional_dependencies"])


@pytest.mark.parametrize("name", [
    "Dockerfile", "services/fast-validation-service/Dockerfile", "Dockerfile.prod", "docker/Dockerfile.dev",
    "api.Dockerfile", "build/worker.dockerfile", "Containerfile", "dockerfile",
])
def test_dockerfile_names_go_to_both_hooks(name):
    hooks = _manifest()
    assert _takes(hooks["fastlint"], name)
    assert _takes(hooks["fastlint-fix"], name)


@pytest.mark.parametrize("name", [
    "services/fast-validation-service/Dockerfile.backup", "Dockerfile.bak", "Dockerfile.orig", "Dockerfile.rej",
    "Dockerfile~", "Dockerfile.swp", "Dockerfile.dockerignore", ".dockerignore", "README.md", "Dockerfiles/notes.txt",
    "package.json", "src/index.ts",
])
def test_backups_and_other_files_go_to_neither_hook(name):
    hooks = _manifest()
    assert not _takes(hooks["fastlint"], name)
    assert not _takes(hooks["fastlint-fix"], name)


@pytest.mark.parametrize("name", [
    "k8s/deployment.yaml", "services/fast-validation-service/deploy/deployment.yaml", ".gitlab-ci.yml",
    ".github/workflows/ci.yml", "settings.yml",
])
def test_yaml_goes_to_the_check_only(name):
    hooks = _manifest()
    assert _takes(hooks["fastlint"], name)
    assert not _takes(hooks["fastlint-fix"], name)


@pytest.mark.parametrize("name", ["chart/templates/deployment.yaml", "charts/api/templates/sub/svc.yml"])
def test_helm_templates_go_to_neither_hook(name):
    hooks = _manifest()
    assert not _takes(hooks["fastlint"], name)
    assert not _takes(hooks["fastlint-fix"], name)


# -- the hooks, run by pre-commit -------------------------------------------------------------------------------------
def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "init.defaultBranch=main", *args], cwd=repo, check=True, capture_output=True)


def _try_repo(repo: Path, home: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env["PRE_COMMIT_HOME"] = str(home)
    return subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), *args, "--color", "never"],
                          cwd=repo, env=env, capture_output=True, text=True, timeout=900)


def _cli_findings(repo: Path, files: list[str]) -> set[tuple[str, int, str]]:
    out = subprocess.run([sys.executable, "-m", "fastlint", "check", "--format", "json", *files], cwd=repo,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 1, out.stderr
    return {(f["file"], f["line"], f["code"]) for f in json.loads(out.stdout)}


@pytest.mark.slow
def test_hooks_fail_on_a_legacy_service_then_pass_after_fastlint_fix(tmp_path):
    if not (ROOT / ".git").exists():
        pytest.fail(f"{ROOT} is not a git repository: pre-commit try-repo needs one")
    repo = tmp_path / "repo"
    svc = repo / "services" / SERVICE
    shutil.copytree(ROOT / "fixtures" / "services" / SERVICE, svc)
    legacy = (svc / "Dockerfile").read_text(encoding="utf-8")
    # another service's legacy file kept as a backup: the check must leave it alone
    other = repo / "services" / "fast-orchestrator-service"
    other.mkdir(parents=True)
    shutil.copy(ROOT / "fixtures" / "services" / "fast-orchestrator-service" / "Dockerfile", other / "Dockerfile.backup")
    (repo / "settings.yaml").write_text("logging:\n  level: debug\nports: [3000, 3001]\n", encoding="utf-8")
    helm = repo / "chart" / "templates" / "deployment.yaml"
    helm.parent.mkdir(parents=True)
    helm.write_text("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n"
                    "{{- include \"labels\" . | nindent 2 }}\n", encoding="utf-8")
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")  # tracked, so that pre-commit sees what the fix hook modifies
    home = tmp_path / "pre-commit-home"

    dockerfile = f"services/{SERVICE}/Dockerfile"
    manifest = f"services/{SERVICE}/deploy/deployment.yaml"
    expected = _cli_findings(repo, [dockerfile, manifest])
    # every hook but the manual one; try-repo runs them in the order of their ids: fastlint, then fastlint-fix
    first = _try_repo(repo, home, "--files", dockerfile, manifest, "settings.yaml", "chart/templates/deployment.yaml")
    log = first.stdout + first.stderr
    assert first.returncode == 1, log
    check_part, _, fix_part = first.stdout.partition("fastlint fix (safe fixes")
    assert re.search(r"^fastlint \(Dockerfiles and Kubernetes manifests\)\.+Failed$", check_part, re.MULTILINE), log
    reported = {(m[0], int(m[1]), m[3]) for m in FINDING.findall(check_part)}
    # the check reports exactly what the CLI finds in the Dockerfile and the Kubernetes manifest (FL702 among them)
    assert reported == expected, log
    assert (dockerfile, 1, "FL101") in reported and (manifest, 34, "FL702") in reported
    assert "settings.yaml" not in log and "chart/templates" not in log and "Traceback" not in log
    # the fix rewrites the file, so pre-commit fails the hook ("files were modified"): normal for a fixer
    assert re.search(r"^, template migration\)\.+Failed$", fix_part, re.MULTILINE), log
    assert "- files were modified by this hook" in fix_part, log
    assert f"{dockerfile}: rewritten from the template" in fix_part, log
    assert "fastlint verify" not in first.stdout  # manual stage only
    migrated = (svc / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"^FROM \S+ AS production$", migrated, re.MULTILINE | re.IGNORECASE), migrated
    assert (svc / "Dockerfile.backup").read_text(encoding="utf-8") == legacy
    assert "node_modules" in (svc / ".dockerignore").read_text(encoding="utf-8")

    # the migrated file passes; the backups (this one's and another service's) and the Helm template are left out
    second = _try_repo(repo, home, "fastlint", "--files", dockerfile, f"services/{SERVICE}/Dockerfile.backup",
                       "services/fast-orchestrator-service/Dockerfile.backup", "settings.yaml",
                       "chart/templates/deployment.yaml")
    log = second.stdout + second.stderr
    assert second.returncode == 0, log
    assert re.search(r"^fastlint \(Dockerfiles and Kubernetes manifests\)\.+Passed$", second.stdout, re.MULTILINE), log


NAMES = ["Dockerfile", "dockerfile", "DOCKERFILE", "Containerfile", "containerfile", "Dockerfile.prod",
         "Dockerfile-dev", "Containerfile.arm64", "Containerfile-ci", "api.Dockerfile", "worker.dockerfile",
         "web.Containerfile", "web.containerfile", "dockerfile.prod", "dockerfile-dev", "Dockerfiles",
         "MyDockerfile", "Dockerfile.backup", "Dockerfile-dev.bak", "app.Dockerfile.orig", "Dockerfile~",
         "Dockerfile.dockerignore", "Containerfile.swp", "Dockerfile.", "notes.txt", "Dockerfile.d/x"]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("folder", ["", "services/web/"])
def test_the_hooks_take_exactly_the_files_a_folder_search_finds(name, folder):
    """What pre-commit passes to the hooks is what ``fastlint check FOLDER`` would lint (issue 12)."""
    from fastlint.engine.discovery import is_dockerfile_name

    hooks = _manifest()
    path = folder + name
    found = "/" not in name and is_dockerfile_name(name)
    assert _takes(hooks["fastlint"], path) == found, path
    assert _takes(hooks["fastlint-fix"], path) == found, path


@pytest.mark.parametrize("name", NAMES + ["Dockerfile.arm64.prod", "Containerfile", "ci/Containerfile.dev",
                                          "images/base.Containerfile", "a/b/Dockerfile"])
def test_every_file_hadolints_hook_takes_ours_takes_too(name):
    """hadolint's hook selects files with ``types: [dockerfile]`` (pre-commit's ``identify``: Dockerfile,
    Containerfile, Dockerfile.*, *.Dockerfile, ...); a repository moving from it to ours loses none of them (the
    backups and ignore files a folder search passes over aside), and ours also takes the lower-case and
    ``Dockerfile-*`` names a folder search finds."""
    from identify.identify import tags_from_filename

    from fastlint.engine.discovery import is_backup_name

    base = name.rsplit("/", 1)[-1]
    if "dockerfile" in tags_from_filename(base) and not is_backup_name(base) and not base.endswith((".swp", "~")):
        hooks = _manifest()
        assert _takes(hooks["fastlint"], name) and _takes(hooks["fastlint-fix"], name), name
