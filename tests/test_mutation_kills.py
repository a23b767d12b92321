"""Behaviours a full mutation run (scripts/mutation.py, docs/mutation.md) found that no test pinned: each test
here fails on the mutant named in its docstring. Through public entry points: the command line, ``migrate``."""

from __future__ import annotations

import json

import pytest

from fastlint.cli.check import main as check_main
from fastlint.engine.config import builtin_policy, reset_caches
from fastlint.fixer.migrate import migrate

PACKAGE = {"name": "svc", "main": "dist/index.js", "scripts": {"build": "tsc", "start": "node dist/index.js"},
           "dependencies": {"@grpc/grpc-js": "^1"}}


@pytest.fixture
def project(tmp_path, monkeypatch):
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def check(capsys, *args) -> str:
    reset_caches()
    capsys.readouterr()
    check_main(list(args))
    return capsys.readouterr().out


def migrated(root, folder: str, dockerfile: str):
    d = root / folder
    d.mkdir(parents=True, exist_ok=True)
    (d / "Dockerfile").write_text(dockerfile)
    (d / "package.json").write_text(json.dumps(PACKAGE))
    reset_caches()
    return migrate(dockerfile, str(d / "Dockerfile"), builtin_policy())


# -- fixer/migrate --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("env_port", "warns"), [("3000", True), ("50052", False)])
def test_migration_warns_when_env_port_differs_from_the_matrix(tmp_path, env_port, warns):
    """Mutant: ``int(env_port) != port`` -> ``int(env_port) is port`` (no warning for a different port)."""
    m = migrated(tmp_path, "fast-validation-service", f"FROM node:18\nENV PORT={env_port}\nCMD node dist/index.js\n")
    said = [(line, msg) for line, msg in m.warnings if "ENV PORT" in msg]
    if warns:
        assert said == [(2, f"ENV PORT={env_port} differs from the service matrix's port 50052: check which port "
                            "the service listens on")]
    else:
        assert said == []


# -- report/sarif ---------------------------------------------------------------------------------------------------
def test_sarif_fix_description_is_the_rules_own(project, capsys):
    """Mutant: ``f.fix.description or "apply fastlint's fix"`` -> ``and`` (every fix described generically)."""
    (project / "Dockerfile").write_text("FROM node:20-alpine\nCMD node dist/index.js\n")
    doc = json.loads(check(capsys, "--format", "sarif", "--select", "DL3025", "Dockerfile"))
    (result,) = doc["runs"][0]["results"]
    assert [f["description"]["text"] for f in result["fixes"]] == ["rewrite in exec form (unsafe fix)"]


def production_lines(text: str, keyword: str) -> list[str]:
    final = text.split(" AS production\n", 1)[1]
    return [line for line in final.splitlines() if line.startswith(keyword + " ")]


def test_migration_resolves_env_variables_in_workdir_and_keeps_single_quoted_values(tmp_path):
    """Mutants: the ENV substitution loop of WORKDIR made empty (the workdir becomes /app/$APP_HOME), and
    ``raw[0] == raw[-1]`` -> ``raw[-2]`` in the quoted-value test (a single-quoted `$HOME` rewritten in double
    quotes, where the shell would expand it)."""
    m = migrated(tmp_path, "svc", "FROM node:18\nENV APP_HOME=/srv/app GREETING='$HOME says hi'\n"
                                  "WORKDIR $APP_HOME\nLABEL note='a $b c'\nEXPOSE 3000\nCMD node dist/index.js\n")
    assert production_lines(m.text, "WORKDIR") == ["WORKDIR /srv/app"]
    assert "ENV APP_HOME=/srv/app GREETING='$HOME says hi'" in production_lines(m.text, "ENV")
    assert production_lines(m.text, "LABEL") == ["LABEL note='a $b c'"]


# -- report: fingerprints, SARIF rule metadata, the text window -----------------------------------------------------
def test_fingerprints_of_two_rules_on_one_line_differ(project, capsys):
    """Mutant: the key string built from (path, path, text, occurrence) instead of (path, code, text, occurrence)."""
    (project / "Dockerfile").write_text("FROM debian:12.5\nRUN apt-get install curl\n")
    sarif = json.loads(check(capsys, "--format", "sarif", "--select", "DL3008,DL3015", "Dockerfile"))
    results = sarif["runs"][0]["results"]
    assert sorted(r["ruleId"] for r in results) == ["DL3008", "DL3015"]
    assert len({json.dumps(r["partialFingerprints"]) for r in results}) == 2
    gitlab = json.loads(check(capsys, "--format", "gitlab", "--select", "DL3008,DL3015", "Dockerfile"))
    assert len({i["fingerprint"] for i in gitlab}) == 2


def test_sarif_describes_the_parse_error_rule(project, capsys):
    """Mutant: ``code == DL1000[0]`` -> ``<``: DL1000 described as an unknown rule (named by its code)."""
    (project / "Dockerfile").write_text("FROM alpine:3.19\nRUN <<EOT\n")
    sarif = json.loads(check(capsys, "--format", "sarif", "Dockerfile"))
    rules = {r["id"]: r for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["DL1000"]["name"] == "parse-error"
    assert rules["DL1000"]["defaultConfiguration"]["level"] == "error"


def test_text_report_shows_a_window_around_a_finding_at_the_end_of_a_long_line(project, capsys):
    """Mutants: ``len(src) - MAX_SNIPPET`` -> ``len(src) % MAX_SNIPPET`` (the window does not reach the finding),
    the closing dots shown when the window reaches the end, and the caret's start shifted by ``^`` for ``+``."""
    packages = " ".join(f"pkg{i:03d}=1.0" for i in range(40))  # 400 characters of pinned packages
    line = f"RUN apt-get install -y {packages} git"
    (project / "Dockerfile").write_text(f"FROM debian:12.5\n{line}\n")
    out = check(capsys, "--format", "text", "--color", "never", "--select", "DL3008", "Dockerfile").split("\n")
    at = next(i for i, text in enumerate(out) if text.startswith("Dockerfile:2:"))
    shown, caret = out[at + 2], out[at + 3]
    assert shown.startswith("2 | ...") and shown.endswith(" git")
    assert len(shown) == len("2 | ...") + 120  # a window of MAX_SNIPPET columns, the dots outside it
    assert caret.endswith(" ^^^") and len(caret) == len(shown)


def test_migration_refuses_a_custom_template_whose_output_does_not_parse(tmp_path):
    """Mutant: ``df.error is not None or not df.stages`` -> ``and`` (COPY lines inserted into a broken file)."""
    from fastlint.fixer.migrate import MigrationError
    from fastlint.policy.template import TEMPLATE_PATH

    d = tmp_path / "svc"
    d.mkdir()
    (d / "package.json").write_text(json.dumps(PACKAGE))
    text = "FROM node:18\nWORKDIR /app\nCOPY config /etc/app/config\nEXPOSE 3000\nCMD node dist/index.js\n"
    broken = TEMPLATE_PATH.read_text(encoding="utf-8") + "RUN <<EOT\n"  # an unterminated heredoc at the end
    with pytest.raises(MigrationError, match="the template's output does not parse"):
        migrate(text, str(d / "Dockerfile"), builtin_policy(), broken)


# -- engine/manifests -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("indent", ["- {}", "-  {}"])
def test_a_finding_on_an_empty_container_is_placed_at_it(project, capsys, indent):
    """Mutant: the fallback position's end column ``col + 1`` -> ``col | 1`` (before the start on an odd column)."""
    (project / "deploy").mkdir()
    (project / "deploy" / "d.yaml").write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: fast-validation-service\nspec:\n  template:\n"
        f"    spec:\n      containers:\n      {indent}\n")
    found = json.loads(check(capsys, "--format", "json", "--select", "FL701", "deploy/d.yaml"))
    column = 6 + len(indent) - 1  # the `{`, 1-based
    assert [(f["line"], f["column"], f["end_line"], f["end_column"]) for f in found] == [(9, column, 9, column)]


def test_migration_warns_at_the_second_exposed_port(tmp_path):
    """Mutant: the warning placed at ``exposed[2]`` instead of ``exposed[1]`` (an IndexError with two ports)."""
    m = migrated(tmp_path, "svc", "FROM node:18\nEXPOSE 3000\nEXPOSE 9229\nCMD node dist/index.js\n")
    assert (3, "several ports exposed; the template exposes 3000 only") in m.warnings


# -- report/github, report/summary ----------------------------------------------------------------------------------
def test_github_annotations_report_a_path_that_cannot_be_read(project, capsys):
    """Mutant: the loop over the run's errors made empty (an unreadable path vanished from the annotations)."""
    (project / "Dockerfile").write_text("FROM alpine:3.19\n")
    out = check(capsys, "--format", "github", "--select", "DL3006", "Dockerfile", "missing.Dockerfile")
    errors = [line for line in out.splitlines() if line.startswith("::error title=fastlint::")]
    assert len(errors) == 1 and "missing.Dockerfile" in errors[0]


def test_summary_counts_the_findings_that_fail_the_check(tmp_path, capsys):
    """Mutants: ``sum(1 for ...)`` -> ``sum(0 for ...)``, and the closing ``+ "\\n"`` -> ``| "\\n"``."""
    from fastlint.report.summary import main as summary_main

    findings = [
        {"code": "DL3006", "level": "warning", "file": "a/Dockerfile", "line": 1, "column": 6, "end_line": 1,
         "end_column": 10, "message": "Always tag the version of an image explicitly", "fixable": False},
        {"code": "DL3025", "level": "warning", "file": "a/Dockerfile", "line": 2, "column": 1, "end_line": 2,
         "end_column": 5, "message": "Use arguments JSON notation", "fixable": True},
        {"code": "DL3059", "level": "info", "file": "b/Dockerfile", "line": 3, "column": 1, "end_line": 3,
         "end_column": 5, "message": "Multiple consecutive RUN", "fixable": False},
    ]
    (tmp_path / "findings.json").write_text(json.dumps(findings))
    capsys.readouterr()
    assert summary_main(["--findings", str(tmp_path / "findings.json"), "--fail-on", "warning"]) == 0
    out = capsys.readouterr().out
    assert "**3 findings** in 2 files; 1 fixable with `fastlint fix`.\n" in out
    assert "2 at `warning` or above (`--fail-on warning`): the check fails.\n" in out
    assert out.endswith("| `b/Dockerfile` | 0 | 0 | 1 | 0 |\n")


def test_migration_keeps_a_cmd_with_an_assignment_in_shell_form(tmp_path):
    """Mutant: ``... or sh.commands[0].assignments`` -> ``and`` (exec form without the assignment)."""
    m = migrated(tmp_path, "svc", "FROM node:18\nEXPOSE 3000\nCMD NODE_OPTIONS=--max-old-space-size=512 node dist/index.js\n")
    assert production_lines(m.text, "CMD") == [
        'CMD ["/bin/sh", "-c", "NODE_OPTIONS=--max-old-space-size=512 node dist/index.js"]']


def test_text_report_window_in_the_middle_of_a_long_line(project, capsys):
    """Mutant: ``end - left`` -> ``end << left`` (the caret runs to the end of the window)."""
    before = " ".join(f"pkg{i:03d}=1.0" for i in range(20))
    after = " ".join(f"lib{i:03d}=2.0" for i in range(20))
    (project / "Dockerfile").write_text(f"FROM debian:12.5\nRUN apt-get install -y {before} git {after}\n")
    out = check(capsys, "--format", "text", "--color", "never", "--select", "DL3008", "Dockerfile").split("\n")
    at = next(i for i, text in enumerate(out) if text.startswith("Dockerfile:2:"))
    shown, caret = out[at + 2], out[at + 3]
    assert shown.startswith("2 | ...") and shown.endswith("...")
    assert shown[caret.index("^") - 1: caret.index("^") + 4] == " git "
    assert caret.endswith(" ^^^")


# -- fixer: another file that cannot be read ------------------------------------------------------------------------
def test_a_dockerignore_that_is_not_utf8_is_left_alone_with_a_warning(project):
    """Mutant: UnicodeDecodeError left out of the errors the other-file fix catches (a traceback)."""
    from cli_runner import CliRunner

    from fastlint.cli import main as app

    (project / "Dockerfile").write_text("FROM node:20-alpine\n")
    (project / ".dockerignore").write_bytes(b"node_modules\n# caf\xe9\n")
    reset_caches()
    r = CliRunner().invoke(app, ["fix", "--unsafe-fixes", "--no-template", "--select", "FL404", "Dockerfile"])
    assert r.exit_code == 1, r.stdout + r.stderr
    assert (project / ".dockerignore").read_bytes() == b"node_modules\n# caf\xe9\n"
    assert "FL404: fix of" in r.stdout + r.stderr and "not applied" in r.stdout + r.stderr


# -- parser/shell: positions in a heredoc ---------------------------------------------------------------------------
def test_findings_in_a_heredoc_are_placed_in_its_body(project, capsys):
    """Mutant: the body's offset ``h.body_start + start`` -> ``h.body_start << start`` (the rules that point at a
    command or a word of a heredoc script)."""
    (project / "Dockerfile").write_text("FROM debian:12.5\nRUN <<EOF\necho hi\napt-get install -y curl\nEOF\n")
    found = json.loads(check(capsys, "--format", "json", "--select", "DL3008,SC", "Dockerfile"))
    assert [(f["code"], f["line"], f["column"], f["end_line"], f["end_column"]) for f in found] == [
        ("DL3008", 4, 20, 4, 24)]


# -- engine/config --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("gid", "ok"), [(2**31, True), (2**31 + 1, False)])
def test_the_policys_gid_is_at_most_2_to_the_31(project, capsys, gid, ok):
    """Mutant: the upper bound ``2**31`` -> ``2<<31``."""
    (project / "fastlint.yaml").write_text(f"policy:\n  user: {{name: app, uid: 1001, gid: {gid}}}\n")
    (project / "Dockerfile").write_text("FROM node:20-alpine\n")
    reset_caches()
    capsys.readouterr()
    rc = check_main(["--select", "DL3006", "Dockerfile"])
    err = capsys.readouterr().err
    assert (rc, err == "") == ((0, True) if ok else (2, False)), err


def test_migration_keeps_an_arg_default(tmp_path):
    """Mutant: ``p.key if p.value is None else _pair_text(p)`` inverted (ARG NAME=default kept as ARG NAME)."""
    m = migrated(tmp_path, "svc", "FROM node:18\nARG APP_VERSION=1.2.3\nARG BUILD_ID\nEXPOSE 3000\nCMD node dist/index.js\n")
    kept = [line for line in m.text.splitlines() if line.startswith("ARG ")]
    assert "ARG APP_VERSION=1.2.3" in kept and "ARG BUILD_ID" in kept, kept


def test_migration_says_which_file_runs_without_a_cmd_or_start_script(tmp_path):
    """Mutant: the warning given line 1 instead of 0 (a warning about the file, not a line)."""
    d = tmp_path / "svc"
    d.mkdir()
    (d / "package.json").write_text(json.dumps({"name": "svc", "main": "server.js", "scripts": {"build": "tsc"},
                                                "dependencies": {"express": "^4"}}))
    reset_caches()
    m = migrate("FROM node:18\nEXPOSE 3000\n", str(d / "Dockerfile"), builtin_policy())
    assert (0, "no CMD and no start script: the image runs `node server.js`") in m.warnings


def test_sarif_rule_tags_and_help_for_a_policy_rule(project, capsys):
    """Mutants: the FL group tag looked up by ``code[:4]``, and the help text's title left out."""
    (project / "Dockerfile").write_text("FROM node:20-alpine\n")
    doc = json.loads(check(capsys, "--format", "sarif", "--select", "FL501", "Dockerfile"))
    (rule,) = [r for r in doc["runs"][0]["tool"]["driver"]["rules"] if r["id"] == "FL501"]
    assert rule["properties"]["tags"][:3] == ["dockerfile", "fast-policy", "healthcheck"]
    assert rule["help"]["text"].startswith("No HEALTHCHECK in the production stage\n\nWhat it does:\n")


@pytest.mark.parametrize("fail_on", ["error", "info"])
def test_summary_says_what_fails_at_every_threshold(tmp_path, capsys, fail_on):
    """Mutant: ``fail_on != "none"`` -> ``>`` (no verdict line for --fail-on error or info)."""
    from fastlint.report.summary import main as summary_main

    (tmp_path / "f.json").write_text(json.dumps([
        {"code": "DL3006", "level": "warning", "file": "Dockerfile", "line": 1, "column": 1, "end_line": 1,
         "end_column": 2, "message": "m", "fixable": False}]))
    capsys.readouterr()
    summary_main(["--findings", str(tmp_path / "f.json"), "--fail-on", fail_on])
    out = capsys.readouterr().out
    verdict = "0 at `error` or above (`--fail-on error`): the check passes." if fail_on == "error" else \
        "1 at `info` or above (`--fail-on info`): the check fails."
    assert verdict in out


@pytest.mark.parametrize("run", ["RUN apt-get -y install ffmpeg", "RUN apt-get install -y ffmpeg"])
def test_migration_carries_os_packages_whatever_the_option_order(tmp_path, run):
    """Mutant: ``args.index(verb) + 1 if verb in args`` inverted (``-y install`` read from its first word: the
    package list got `install`)."""
    m = migrated(tmp_path, "svc", f"FROM node:18\n{run}\nEXPOSE 3000\nCMD node dist/index.js\n")
    adds = [line.strip() for line in m.text.split(" AS production\n", 1)[1].splitlines() if "apk add" in line]
    assert adds == ["apk add --no-cache ffmpeg && \\"]  # (a gRPC service: no curl)


def test_a_single_quoted_yaml_value_with_a_doubled_quote_is_one_token(project, capsys):
    """Mutant: the ``''`` escape of a single-quoted YAML scalar not read (the finding ended at `it'`)."""
    (project / "deploy").mkdir()
    (project / "deploy" / "d.yaml").write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: fast-validation-service\nspec:\n  template:\n"
        "    spec:\n      containers:\n      - name: app\n        image: gcr.io/gpp-g3/fast-validation-service:2.1.0\n"
        "        resources: {limits: {memory: 'half a gig, it''s fine'}}\n")
    found = json.loads(check(capsys, "--format", "json", "--select", "FL701", "deploy/d.yaml"))
    assert [(f["line"], f["column"], f["end_line"], f["end_column"]) for f in found] == [(11, 38, 11, 62)]


def test_migration_carries_a_copied_archive_but_keeps_an_added_one(tmp_path):
    """Mutant: ``ins.keyword == "ADD"`` -> ``>=`` (a COPY of an archive kept as if it were ADD's extraction)."""
    m = migrated(tmp_path, "svc", "FROM node:18\nWORKDIR /app\nCOPY assets.tar.gz /app/assets.tar.gz\n"
                                  "EXPOSE 3000\nCMD node dist/index.js\n")
    assert "COPY --from=builder --chown=nodejs:nodejs /app/assets.tar.gz ./assets.tar.gz" in \
        production_lines(m.text, "COPY")
    assert m.kept == []


def test_summary_help_starts_with_what_it_makes(capsys):
    """Mutant: the description taken from the module doc's second paragraph."""
    from fastlint.report.summary import main as summary_main

    with pytest.raises(SystemExit):
        summary_main(["--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "A Markdown summary of a run for a CI job page" in out


def test_findings_in_the_second_heredoc_of_a_run(project, capsys):
    """Mutant: ``h.content == script.text`` -> ``is not`` (the first heredoc's offsets used for the second)."""
    (project / "Dockerfile").write_text(
        "FROM debian:12.5\nRUN <<ONE bash && <<TWO bash\necho one\nONE\napt-get install -y curl\nTWO\n")
    found = json.loads(check(capsys, "--format", "json", "--select", "DL3008", "Dockerfile"))
    assert [(f["line"], f["column"], f["end_column"]) for f in found] == [(5, 20, 24)]


def test_shellcheck_checks_a_heredoc_that_names_bash(project, capsys):
    """Mutant: ``own_shell is False`` -> ``> False`` (a heredoc naming bash was skipped, or the run failed)."""
    (project / "Dockerfile").write_text("FROM debian:12.5\nRUN <<EOF\n#!/bin/bash\nls $DIR/*.txt\nEOF\n")
    found = json.loads(check(capsys, "--format", "json", "--select", "SC", "Dockerfile"))
    assert [(f["code"], f["line"], f["column"]) for f in found] == [("SC2086", 4, 4)]


def test_yaml_value_ends_where_its_quotes_end(project, capsys):
    """Mutant: the backslash test of a double-quoted YAML scalar ``==`` -> ``is not`` (every character escaped)."""
    (project / "deploy").mkdir()
    (project / "deploy" / "d.yaml").write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: fast-validation-service\nspec:\n  template:\n"
        "    spec:\n      containers:\n      - name: app\n        image: gcr.io/gpp-g3/fast-validation-service:2.1.0\n"
        '        resources: {limits: {memory: "half a \\"gig\\""}}\n')
    found = json.loads(check(capsys, "--format", "json", "--select", "FL701", "deploy/d.yaml"))
    assert [(f["line"], f["column"], f["end_line"], f["end_column"]) for f in found] == [(11, 38, 11, 54)]


def test_a_finding_at_a_yaml_key_ends_on_its_line(project, capsys):
    """Mutant: the key position's end line ``line + 1`` -> ``line * 1`` (one line before its start)."""
    (project / "deploy").mkdir()
    (project / "deploy" / "d.yaml").write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: fast-validation-service\nspec:\n  template:\n"
        "    spec:\n      containers:\n      - name: app\n        image: gcr.io/gpp-g3/fast-validation-service:2.1.0\n"
        "        resources: {limits: {}}\n")
    found = json.loads(check(capsys, "--format", "json", "--select", "FL701", "deploy/d.yaml"))
    assert [(f["line"], f["column"], f["end_line"], f["end_column"]) for f in found] == [(11, 21, 11, 27)]


def test_a_stage_pragma_before_the_second_from_covers_the_second_stage(project, capsys):
    """Mutant: the next FROM after the pragma found by ``f.start != offset`` (the first stage) instead of ``>``."""
    (project / "Dockerfile").write_text(
        "FROM debian:12.5 AS one\nRUN apt-get install -y wget\n# hadolint stage ignore=DL3008\n"
        "FROM debian:12.5 AS two\nRUN apt-get install -y curl\n")
    found = json.loads(check(capsys, "--format", "json", "--select", "DL3008", "Dockerfile"))
    assert [f["line"] for f in found] == [2]


def test_gitlab_categories(project, capsys):
    """Mutant: ``f.code[:3] == "FL4"`` inverted (the build-cache rules not Performance, the others Performance)."""
    (project / "Dockerfile").write_text("FROM node:20-alpine\nRUN npm install\nMAINTAINER me\n")
    issues = json.loads(check(capsys, "--format", "gitlab", "--select", "FL403,DL4000", "Dockerfile"))
    assert sorted((i["check_name"], i["categories"]) for i in issues) == [
        ("DL4000", ["Bug Risk"]), ("FL403", ["Performance"])]


def test_text_caret_of_a_one_character_finding_in_a_long_line(project, capsys):
    """Mutant: the window's caret at least ``start + 2`` wide instead of ``start + 1``."""
    (project / "Dockerfile").write_text("FROM a AS " + "s" * 130 + "\n")
    out = check(capsys, "--format", "text", "--color", "never", "--select", "DL3006", "Dockerfile").split("\n")
    at = next(i for i, text in enumerate(out) if text.startswith("Dockerfile:1:6: DL3006"))
    assert out[at + 3] == "  |      ^"


def test_text_summary_of_one_finding_hidden_by_the_baseline(project, capsys):
    """Mutant: ``baseline_hidden == 1`` -> ``== 0`` ("1 more are in the baseline")."""
    (project / "Dockerfile").write_text("FROM node\n")
    check(capsys, "--select", "DL3006", "--write-baseline", "baseline.json", "Dockerfile")
    (project / "Dockerfile").write_text("FROM node\nFROM node:latest AS two\n")
    out = check(capsys, "--select", "DL3006,DL3007", "--baseline", "baseline.json", "--color", "never", "Dockerfile")
    assert "1 more is in the baseline." in out
