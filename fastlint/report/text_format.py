"""The text report, like ruff's: ``path:line:col: CODE message``, the source line with a caret under the
finding, colour only on a terminal, and a summary that says how many findings ``fastlint fix`` can fix."""

from __future__ import annotations

from collections import Counter

_RESET, _BOLD, _RED, _YELLOW, _CYAN, _BLUE, _DIM = "\033[0m", "\033[1m", "\033[31m", "\033[33m", "\033[36m", "\033[34m", "\033[2m"
_LEVEL_COLOR = {"error": _RED, "warning": _YELLOW, "info": _CYAN, "style": _BLUE}


def _c(on: bool, code: str, text: str) -> str:
    return f"{code}{text}{_RESET}" if on else text


def render(results, run) -> str:
    color = run.color
    out: list[str] = []
    findings = [f for r in results for f in r.findings]
    for f in findings:
        where = _c(color, _BOLD, f"{f.file}:{f.line}:{f.column}:")
        code = _c(color, _BOLD + _LEVEL_COLOR.get(f.level, ""), f.code)
        fix = " [*]" if f.fixable else ""
        out.append(f"{where} {code}{fix} {clean(f.message)} ({f.level})")
        if f.source_line:
            out.extend(_snippet(f, color))
    if run.statistics:
        out.extend(statistics_lines(findings))
    out.append(summary(results, findings, run, color))
    return "\n".join(out) + "\n"


MAX_SNIPPET = 120  # columns of source shown; a longer line is cut to a window around the finding
_CONTROL = {c: "?" for c in range(32) if c != 9}
_CONTROL.update({0x7F: "?", 0xFEFF: ""})  # DEL; a BOM at the start of line 1 is invisible in editors


def clean(text: str) -> str:
    """Text safe to print on a terminal: control characters (an ESC in a Dockerfile must not drive the user's
    terminal) become ``?``."""
    return text.translate(_CONTROL)


def _snippet(f, color: bool) -> list[str]:
    width = len(str(f.line))
    pad = " " * width
    src = f.source_line
    start = max(f.column - 1, 0)
    end = f.end_column - 1 if f.end_line == f.line else len(src)
    if src.startswith("\ufeff"):  # the BOM counts as a column but shows as nothing
        src, start, end = src[1:], max(start - 1, 0), max(end - 1, 0)
    src = src.replace("\t", " ")
    end = max(min(end, len(src)), start + 1)
    prefix = suffix = ""
    if len(src) > MAX_SNIPPET:  # a window around the finding, so a 64 KiB line does not flood the terminal
        left = max(0, min(start - 20, len(src) - MAX_SNIPPET))
        right = min(len(src), left + MAX_SNIPPET)
        prefix, suffix = ("..." if left else ""), ("..." if right < len(src) else "")
        src = src[left:right]
        start, end = start - left, min(end - left, right - left)
        start, end = start + len(prefix), max(end, start + 1) + len(prefix)
        src = prefix + src + suffix
    bar = _c(color, _BLUE, "|")
    caret = _c(color, _LEVEL_COLOR.get(f.level, ""), "^" * (end - start))
    return [f"{pad} {bar}", f"{_c(color, _BLUE, str(f.line))} {bar} {clean(src)}", f"{pad} {bar} {' ' * start}{caret}",
            ""]


def statistics_lines(findings) -> list[str]:
    """``--statistics``: one line per rule: count, ID, message (like ruff)."""
    counts = Counter(f.code for f in findings)
    messages: dict[str, str] = {}
    fixable: dict[str, bool] = {}
    for f in findings:
        messages.setdefault(f.code, f.message)
        fixable[f.code] = fixable.get(f.code, False) or f.fixable
    lines = []
    for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        lines.append(f"{n:>5}\t{code:<7}\t{'[*] ' if fixable[code] else ''}{clean(messages[code])}")
    return lines


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary(results, findings, run, color: bool) -> str:
    nfiles = len(results)
    unread = len(run.errors)
    not_read = f"; {_plural(unread, 'path')} could not be checked" if unread else ""
    if not findings:
        if unread:
            msg = f"No problems in the {_plural(nfiles, 'file')} checked{not_read}"
        else:
            msg = f"All checks passed! ({_plural(nfiles, 'file')} checked)"
        if run.baseline_hidden:
            msg += f"; {run.baseline_hidden} known finding{'s' if run.baseline_hidden != 1 else ''} in the baseline"
        return _c(color, _BOLD, msg)
    by_level = Counter(f.level for f in findings)
    files_with = len({f.file for f in findings})
    parts = [f"{by_level[lv]} {lv}{'s' if lv in ('error', 'warning') and by_level[lv] != 1 else ''}"
             for lv in ("error", "warning", "info", "style") if by_level[lv]]
    n = len(findings)
    line = (f"Found {_plural(n, 'problem')} in {files_with} of {_plural(nfiles, 'file')} ({', '.join(parts)})"
            f"{not_read}.")
    if run.baseline_hidden:
        line += f" {run.baseline_hidden} more {'is' if run.baseline_hidden == 1 else 'are'} in the baseline."
    fixable = sum(1 for f in findings if f.fixable)
    if fixable:
        line += f"\n[*] {fixable} fixable with `fastlint fix`."
    return _c(color, _BOLD, line)
