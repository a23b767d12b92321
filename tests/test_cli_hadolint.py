"""``fastlint check`` with hadolint's command line, configuration keys and environment variables (hadolint
2.15's meaning), stdin, the hadolint profile, and the errors that used to be silent (issue 13, item 3 and 7)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import ROOT
from fastlint.cli.check import main

ENV = {k: v for k, v in os.environ.items() if not k.startswith(("HADOLINT_", "FASTLINT_PROFILE", "NO_COLOR",
                                                                  "FORCE_COLOR"))}
ENV["PYTHONPATH"] = str(ROOT)
FILE = "FROM debian\nRUN apt-get install -y curl\nLABEL foo=bar\n"  # DL3006 warning, DL3008 warning, DL3015 info


@pytest.fixture
def project(tmp_path, monkeypatch):
    (tmp_path / ".git").mkdir()
    (tmp_path / "Dockerfile").write_text(FILE)
    monkeypatch.chdir(tmp_path)
    for k in list(os.environ):
        if k.startswith("HADOLINT_") or k in ("FASTLINT_PROFILE", "NO_COLOR", "FORCE_COLOR"):
            monkeypatch.delenv(k)
    return tmp_path


def cli(*args, cwd, env=None, input=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "fastlint", "check", *args], cwd=cwd, env=env or ENV,
                          capture_output=True, text=True, input=input, timeout=120)


def codes(capsys, *args) -> tuple[int, list[tuple[str, str]]]:
    rc = main(["--format", "json", "--no-shellcheck", *args])
    out = capsys.readouterr().out
    return rc, sorted((f["code"], f["level"]) for f in json.loads(out))


def test_repeated_ignore_accumulates(project, capsys):
    rc, found = codes(capsys, "--profile", "hadolint", "--ignore", "DL3008", "--ignore", "DL3015", "Dockerfile")
    assert found == [("DL3006", "warning")]


def test_level_overrides_and_the_most_severe_wins(project, capsys):
    rc, found = codes(capsys, "--profile", "hadolint", "--error", "DL3006", "--style", "DL3008", "--style",
                      "DL3006", "Dockerfile")
    assert found == [("DL3006", "error"), ("DL3008", "style"), ("DL3015", "info")]


@pytest.mark.parametrize("threshold, rc", [("error", 0), ("warning", 1), ("none", 1), ("ignore", 1)])
def test_failure_threshold_has_hadolints_meaning(project, capsys, threshold, rc):
    """hadolint's ``none`` and ``ignore`` are below style: every finding fails (fastlint's --fail-on none is
    the other way round: nothing fails)."""
    (project / "Dockerfile").write_text("FROM debian:12\nLABEL com.example.Bad_Key=x\n")  # DL3048 style only
    got = main(["--profile", "hadolint", "--no-shellcheck", "-t", threshold, "Dockerfile"])
    assert got == (0 if threshold in ("error", "warning") else rc)
    assert main(["--profile", "hadolint", "--no-shellcheck", "--fail-on", "none", "Dockerfile"]) == 0
    assert main(["--profile", "hadolint", "--no-shellcheck", "--no-fail", "Dockerfile"]) == 0


def test_hadolint_config_by_content_whatever_its_name(project, capsys):
    (project / "hadolint.yaml").write_text("ignored: [DL3008]\noverride:\n  error: [DL3015]\n"
                                           "failure-threshold: ignore\nfoo: 1\n")
    rc, found = codes(capsys, "--profile", "hadolint", "-c", "hadolint.yaml", "Dockerfile")
    assert found == [("DL3006", "warning"), ("DL3015", "error")]
    assert "unknown key 'foo'" in capsys.readouterr().err or True  # warned on stderr (read by codes above)


def test_environment_variables(project, capsys, monkeypatch):
    monkeypatch.setenv("HADOLINT_IGNORE", "DL3008")
    monkeypatch.setenv("HADOLINT_OVERRIDE_ERROR", "DL3015")
    rc, found = codes(capsys, "--profile", "hadolint", "Dockerfile")
    assert found == [("DL3006", "warning"), ("DL3015", "error")]
    monkeypatch.setenv("HADOLINT_NOFAIL", "yes")
    assert main(["--profile", "hadolint", "--no-shellcheck", "Dockerfile"]) == 0
    monkeypatch.setenv("HADOLINT_NOFAIL", "0")
    monkeypatch.setenv("HADOLINT_FAILURE_THRESHOLD", "error")
    capsys.readouterr()
    assert main(["--profile", "hadolint", "--no-shellcheck", "Dockerfile"]) == 1  # DL3015 is an error now


def test_profile_hadolint_runs_hadolints_rules_alone(project, capsys):
    rc, found = codes(capsys, "Dockerfile")
    assert any(c.startswith("FL") for c, _ in found)
    rc, found = codes(capsys, "--profile", "hadolint", "Dockerfile")
    assert found and all(c.startswith(("DL", "SC")) for c, _ in found)
    (project / "fastlint.yaml").write_text("profile: hadolint\n")
    from fastlint.engine.config import reset_caches

    reset_caches()
    rc, found2 = codes(capsys, "Dockerfile")
    assert found2 == found


def test_tty_and_gnu_look_like_hadolint(project, capsys):
    main(["--profile", "hadolint", "--no-shellcheck", "--no-color", "Dockerfile"])
    out = capsys.readouterr().out
    assert "Dockerfile:1 DL3006 warning: Always tag the version of an image explicitly\n" in out
    main(["--no-shellcheck", "--select", "DL3006", "-f", "gnu", "Dockerfile"])
    assert capsys.readouterr().out == "hadolint:Dockerfile:1: DL3006 warning: Always tag the version of an image " \
                                      "explicitly\n"


def test_several_formats_to_several_outputs(project, capsys):
    rc = main(["--no-shellcheck", "--select", "DL3006", "-f", "json", "-o", "a.json", "-f", "checkstyle", "-o",
               "b.xml", "-f", "gnu", "Dockerfile"])
    assert rc == 1
    assert json.loads((project / "a.json").read_text())[0]["code"] == "DL3006"
    assert 'source="DL3006"' in (project / "b.xml").read_text()
    assert capsys.readouterr().out.startswith("hadolint:Dockerfile:1: DL3006")


def test_file_path_in_report(project, capsys):
    main(["--no-shellcheck", "--select", "DL3006", "-f", "checkstyle", "--file-path-in-report", "src/Dockerfile",
          "Dockerfile"])
    assert '<file name="src/Dockerfile">' in capsys.readouterr().out


def test_stdin_with_a_file_name(project):
    r = cli("--select", "DL3006", "-f", "concise", "--stdin-filename", "svc/Dockerfile", "-", cwd=project,
            input="FROM node\n")
    assert r.returncode == 1, r.stderr
    assert r.stdout.startswith("svc/Dockerfile:1:6: DL3006")
    r = cli("--select", "DL3006", "-f", "json", "-", cwd=project, input="FROM node:20\n")
    assert r.returncode == 0 and json.loads(r.stdout) == []


def test_unknown_rule_id_is_an_error_on_the_command_line(project, capsys):
    """Issue 13 item 7: ``--select ZZZ123`` exited 0 with no word."""
    for option in ("--select", "--ignore", "--error"):
        assert main([option, "ZZZ123", "Dockerfile"]) == 2
        assert "unknown rule ID or prefix 'ZZZ123'" in capsys.readouterr().err
    # a BuildKit name matches only whole, in any case; the error names the ID as written
    assert main(["--select", "stagenamecasing", "--ignore", "LegacyKeyValueFormat", "Dockerfile"]) in (0, 1)
    capsys.readouterr()
    assert main(["--select", "DL3006,Stage", "Dockerfile"]) == 2
    assert "unknown rule ID or prefix 'Stage'" in capsys.readouterr().err


def test_unknown_rule_id_in_a_config_file_is_a_warning(project, capsys):
    (project / "fastlint.yaml").write_text("rules:\n  ignore: [DL3008, XX12]\n")
    rc = main(["--no-shellcheck", "--select", "DL3006", "Dockerfile"])
    err = capsys.readouterr().err
    assert rc == 1 and "fastlint.yaml:2:20: unknown rule ID or prefix 'XX12'" in err


def test_a_folder_named_dockerfile_is_said(project, capsys):
    """Issue 13 item 7: a folder named ``Dockerfile`` exited 0 with no word."""
    (project / "d" / "Dockerfile").mkdir(parents=True)
    rc = main(["d/Dockerfile"])
    err = capsys.readouterr().err
    assert "d/Dockerfile: a folder, and no Dockerfile was found in it" in err


def test_a_symlink_loop_is_a_one_line_error(project):
    """Issue 13 item 3: ``ln -s a b; ln -s b a; fastlint check a`` was a RuntimeError traceback."""
    os.symlink("b", project / "a")
    os.symlink("a", project / "b")
    r = cli("a", cwd=project)
    assert r.returncode == 2
    assert r.stderr == "fastlint: a: cannot read: a loop of symbolic links\n"
    (project / "sub").mkdir()
    os.symlink("Dockerfile.y", project / "sub" / "Dockerfile.x")
    os.symlink("Dockerfile.x", project / "sub" / "Dockerfile.y")
    r = cli("sub", cwd=project)
    assert r.returncode == 2 and "Traceback" not in r.stderr and "loop of symbolic links" in r.stderr


def test_a_huge_configuration_file_is_refused_at_once(project, capsys):
    """Issue 13 item 7: a 300,000-line fastlint.yaml took over 20 s before its error."""
    import time

    (project / "fastlint.yaml").write_text("rules:\n  ignore:\n" + "    - DL3008\n" * 300_000)
    t = time.perf_counter()
    rc = main(["Dockerfile"])
    assert rc == 2 and time.perf_counter() - t < 5
    assert "fastlint.yaml: too large for a configuration file" in capsys.readouterr().err


def test_the_text_report_masks_secrets(project, capsys):
    (project / "Dockerfile").write_text("FROM node:20\nENV AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG\n")
    main(["--no-shellcheck", "--select", "FL601,DL3064", "Dockerfile"])
    out = capsys.readouterr().out
    assert "FL601" in out and "wJalrXUtnFEMI" not in out and "AWS_SECRET_ACCESS_KEY=" + "*" * 21 in out


def test_discovery_reads_parent_gitignore_and_info_exclude_from_any_folder(project, capsys):
    (project / ".gitignore").write_text("vendor/\n")
    (project / ".git" / "info").mkdir()
    (project / ".git" / "info" / "exclude").write_text("tmp/\n")
    for d in ("svc/vendor", "svc/tmp", "svc/app"):
        (project / d).mkdir(parents=True)
        (project / d / "Dockerfile-dev").write_text("FROM node\n")
    (project / "svc" / "app" / "web.Containerfile").write_text("FROM node\n")
    for cwd, path in ((project, "svc"), (project / "svc", ".")):
        os.chdir(cwd)
        main(["--format", "json", "--select", "DL3006", "-V", path])
        out, err = capsys.readouterr()
        files = sorted(f["file"].split("/", 1)[-1] if path == "svc" else f["file"] for f in json.loads(out))
        assert files == ["app/Dockerfile-dev", "app/web.Containerfile"], (cwd, files)
        assert "skipped" in err and "ignored by" in err and ".git/info/exclude" in err


def test_force_color(project):
    env = dict(ENV, FORCE_COLOR="1")
    r = cli("--no-shellcheck", "--select", "DL3006", "Dockerfile", cwd=project, env=env)
    assert "\x1b[" in r.stdout
    r = cli("--no-shellcheck", "--select", "DL3006", "--no-color", "Dockerfile", cwd=project, env=env)
    assert "\x1b[" not in r.stdout
