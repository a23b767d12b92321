"""The text report, like ruff's: ``path:line:col: CODE message``, the source line with a caret under the
finding, colour only on a terminal, and a summary that says how many findings ``fastlint fix`` can fix.

``--format concise`` is the same without the source lines (one line per finding, then the summary). A source
line never shows a secret: the value of every ENV or ARG pair that FL601 calls a secret is masked with ``*``
(the line would otherwise print a password into a CI log), whichever rule the finding is for."""

from __future__ import annotations

from collections import Counter

_RESET, _BOLD, _RED, _YELLOW, _CYAN, _BLUE, _DIM = "\033[0m", "\033[1m", "\033[31m", "\033[33m", "\033[36m", "\033[34m", "\033[2m"
_LEVEL_COLOR = {"error": _RED, "warning": _YELLOW, "info": _CYAN, "style": _BLUE}


def _c(on: bool, code: str, text: str) -> str:
    return f"{code}{text}{_RESET}" if on else text


def render(results, run, snippets: bool = True) -> str:
    color = run.color
    out: list[str] = []
    findings = [f for r in results for f in r.findings]
    for r in results:
        masks = secret_masks(r) if snippets else {}
        for f in r.findings:
            where = _c(color, _BOLD, f"{f.file}:{f.line}:{f.column}:")
            code = _c(color, _BOLD + _LEVEL_COLOR.get(f.level, ""), f.code)
            fix = " [*]" if safe_fix(f) else ""
            out.append(f"{where} {code}{fix} {clean(f.message)} ({f.level})")
            if snippets and f.source_line:
                out.extend(_snippet(f, color, masks.get((f.file, f.line))))
    out.append(summary(results, findings, run, color))
    return "\n".join(out) + "\n"


def safe_fix(f) -> bool:
    """The finding has a fix that ``fastlint fix`` applies by default (a safe one)."""
    return f.fix is not None and f.fix.safety == "safe"


def unsafe_fix(f) -> bool:
    return f.fix is not None and f.fix.safety != "safe"


def secret_masks(result) -> dict[tuple[str, int], list[tuple[int, int]]]:
    """(file, line) -> 0-based column spans of that line to mask: the values of the ENV and ARG pairs that FL601
    calls secrets (by name or by value), whether or not FL601 ran."""
    df = getattr(result, "df", None)
    if df is None or not any(f.source_line for f in result.findings):
        return {}
    from ..rules.lib.secrets import kind_of_secret

    masks: dict[tuple[str, int], list[tuple[int, int]]] = {}
    src = df.source
    for ins in df.instructions:
        target = ins.sub if ins.keyword == "ONBUILD" and ins.sub is not None else ins
        if target.keyword not in ("ENV", "ARG"):
            continue
        for p in target.pairs:
            if p.value_end <= p.value_start or kind_of_secret(target.keyword, p.key, p.value) is None:
                continue
            line, col = src.line_col(p.value_start)
            end_line, end_col = src.line_col(p.value_end)
            while line <= end_line:
                stop = end_col - 1 if line == end_line else len(src.line_text(line))
                masks.setdefault((result.path, line), []).append((col - 1, stop))
                line, col = line + 1, 1
    return masks


MAX_SNIPPET = 120  # columns of source shown; a longer line is cut to a window around the finding
_CONTROL = {c: "?" for c in range(32) if c != 9}
_CONTROL.update({0x7F: "?", 0xFEFF: ""})  # DEL; a BOM at the start of line 1 is invisible in editors


def clean(text: str) -> str:
    """Text safe to print on a terminal: control characters (an ESC in a Dockerfile must not drive the user's
    terminal) become ``?``."""
    return text.translate(_CONTROL)


def _snippet(f, color: bool, masks=None) -> list[str]:
    width = len(str(f.line))
    pad = " " * width
    src = f.source_line
    for start, end in masks or ():
        src = src[:start] + "*" * max(end - start, 0) + src[end:]
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


def statistics(findings) -> list[dict]:
    """``--statistics``: per rule, most frequent first: code, count, the rule's name (its message when it has no
    short name: ShellCheck's codes), and whether ``fastlint fix`` fixes its findings (safe fixes; ``unsafe``
    when only ``--unsafe-fixes`` would)."""
    counts = Counter(f.code for f in findings)
    first: dict[str, object] = {}
    safe: dict[str, bool] = {}
    unsafe: dict[str, bool] = {}
    for f in findings:
        first.setdefault(f.code, f)
        safe[f.code] = safe.get(f.code, False) or safe_fix(f)
        unsafe[f.code] = unsafe.get(f.code, False) or unsafe_fix(f)
    from ..engine.registry import all_rules

    rules = all_rules()
    rows = []
    for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        cls = rules.get(code)
        name = (cls.name if cls is not None and cls.name else None) or first[code].message
        rows.append({"code": code, "count": n, "name": name, "fixable": safe[code],
                     "unsafe_fixable": unsafe[code] and not safe[code]})
    return rows


def statistics_lines(findings) -> list[str]:
    """The ``--statistics`` table: count, code, ``[*]`` when ``fastlint fix`` fixes it, the rule's name."""
    return [f"{r['count']:>5}\t{r['code']:<7}\t{'[*] ' if r['fixable'] else ''}{clean(r['name'])}"
            for r in statistics(findings)]


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
    line += fixable_line(findings)
    return _c(color, _BOLD, line)


def fixable_line(findings) -> str:
    """``[*] N fixable with `fastlint fix` (M more with `fastlint fix --unsafe-fixes`).``: N counts the fixes
    ``fastlint fix`` applies by default; M those it applies only with ``--unsafe-fixes``."""
    safe = sum(1 for f in findings if safe_fix(f))
    unsafe = sum(1 for f in findings if unsafe_fix(f))
    if safe and unsafe:
        return f"\n[*] {safe} fixable with `fastlint fix` ({unsafe} more with `fastlint fix --unsafe-fixes`)."
    if safe:
        return f"\n[*] {safe} fixable with `fastlint fix`."
    if unsafe:
        return f"\n{unsafe} fixable with `fastlint fix --unsafe-fixes`."
    return ""
