"""Reporters: one module per output format, each with ``render(results, run) -> str``.

``results`` is the list of ``FileResult`` (every file checked, with its findings); ``run`` is a ``RunInfo``.
Reporters are imported only for the format asked for, so the lint path pays for none of the others."""

from __future__ import annotations

import importlib

FORMATS = ("text", "json", "sarif", "github", "junit", "checkstyle", "gitlab")


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




def render(fmt: str, results, run: RunInfo) -> str:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (expected one of: {', '.join(FORMATS)})")
    module = importlib.import_module(f"{__name__}.{fmt}_format")
    return module.render(results, run)
