"""Reporters: one module per output format, each with ``render(results, run) -> str``.

``results`` is the list of ``FileResult`` (every file checked, with its findings); ``run`` is a ``RunInfo``.
Reporters are imported only for the format asked for, so the lint path pays for none of the others."""

from __future__ import annotations

import importlib

# fastlint's own formats, then hadolint 2.15's (json, sarif, junit and checkstyle are in both)
OWN_FORMATS = ("text", "concise", "json", "sarif", "github", "junit", "checkstyle", "gitlab")
HADOLINT_FORMATS = ("tty", "json", "checkstyle", "codeclimate", "gitlab_codeclimate", "gnu", "codacy", "sonarqube",
                    "sarif", "junit")
FORMATS = OWN_FORMATS + tuple(f for f in HADOLINT_FORMATS if f not in OWN_FORMATS)


class RunInfo:

    def __init__(
        self,
        color: bool = False,
        statistics: bool = False,
        version: str = "",
        root: str = '.',
        errors: list[str] | None = None,
        baseline_hidden: int = 0,
        rules: list[str] | None = None,
        file_path_in_report: str | None = None,
        data_rules: dict | None = None,
    ):
        self.color = color
        self.statistics = statistics
        self.version = version
        self.root = root  # the folder paths are relative to (for SARIF/GitLab)
        self.errors = [] if errors is None else errors  # files that could not be read
        self.baseline_hidden = baseline_hidden  # findings hidden by --baseline
        self.rules = [] if rules is None else rules  # codes of the rules that ran (SARIF lists them)
        self.data_rules = {} if data_rules is None else data_rules  # code -> class: the fastlint.yaml rules that ran
        # hadolint's --file-path-in-report: the one file name the checkstyle, codeclimate, gitlab_codeclimate,
        # sonarqube and junit reports give every finding (for runs inside a container)
        self.file_path_in_report = file_path_in_report
        self.fix_counts: tuple[int, int] | None = None  # (safe, unsafe) fixes `fastlint fix` would apply


def report_path(run, file: str) -> str:
    """The file name a report gives: hadolint's --file-path-in-report when set, else the file's own."""
    return run.file_path_in_report or file




def render(fmt: str, results, run: RunInfo) -> str:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (expected one of: {', '.join(FORMATS)})")
    module = importlib.import_module(f"{__name__}.{fmt}_format")
    return module.render(results, run)
