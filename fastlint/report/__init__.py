"""Reporters: one module per output format, each with ``render(results, run) -> str``.

``results`` is the list of ``FileResult`` (every file checked, with its findings); ``run`` is a ``RunInfo``.
Reporters are imported only for the format asked for, so the lint path pays for none of the others."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field

FORMATS = ("text", "json", "sarif", "github", "junit", "checkstyle", "gitlab")


@dataclass
class RunInfo:
    color: bool = False
    statistics: bool = False
    version: str = ""
    root: str = "."  # the folder paths are relative to (for SARIF/GitLab)
    errors: list[str] = field(default_factory=list)  # files that could not be read
    baseline_hidden: int = 0  # findings hidden by --baseline
    rules: list[str] = field(default_factory=list)  # codes of the rules that ran (SARIF lists them)


def render(fmt: str, results, run: RunInfo) -> str:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (expected one of: {', '.join(FORMATS)})")
    module = importlib.import_module(f"{__name__}.{fmt}_format")
    return module.render(results, run)
