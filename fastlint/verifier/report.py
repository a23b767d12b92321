"""The verify report in its three forms: text (the standard's "Build Statistics"), JSON (SPEC) and Markdown
(for a pull request)."""

from __future__ import annotations

import json
from typing import Any


def mb(n: int | None) -> str:
    return "-" if n is None else f"{n / 1e6:.0f}MB"


def seconds(s: float | None) -> str:
    return "-" if s is None else f"{s:.1f}s"


def pct(p: float | None) -> str:
    return "-" if p is None else f"{p:+.0f}%"


def _yes(v: bool | None) -> str:
    return "-" if v is None else ("yes" if v else "no")


def to_json(report: dict[str, Any]) -> str:
    return json.dumps(report, indent=2) + "\n"


def to_text(report: dict[str, Any]) -> str:
    """The standard's "=== Build Statistics ===" lines, then a table with every figure and the verdict."""
    lines = ["=== Build Statistics ==="]
    for s in report["services"]:
        lines.append(f"{s['service']}: Size={mb(s['size_bytes'])}, Layers={s['layers'] if s['layers'] is not None else '-'}")
    lines.append("")
    header = ["service", "image", "size", "layers", "wasted", "build", "rebuild", "healthy", "uid", "result"]
    rows = []
    for s in report["services"]:
        rows.append(_row(s["service"], "new", s, "PASS" if s["passed"] else "FAIL"))
        b = s.get("baseline")
        if b and b.get("unavailable"):
            rows.append(["", "baseline", "unavailable", "", "", "", "", "", "", ""])
        elif b:
            rows.append(_row("", "baseline", b, ""))
            c = s["change"]
            rows.append(["", "change", pct(c["size_pct"]), pct(c["layers_pct"]), pct(c.get("wasted_pct")),
                         pct(c["build_pct"]), pct(c["rebuild_pct"]), "", "", ""])
    widths = [max(len(str(r[i])) for r in rows + [header]) for i in range(len(header))]
    lines.append("  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip())
    for r in rows:
        lines.append("  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip())
    note = _rebuild_note(report)
    if note:
        lines.append(note)
    for note in _unavailable_notes(report):
        lines.append(note)
    failed = [s for s in report["services"] if not s["passed"]]
    for s in failed:
        lines.append("")
        lines.append(f"{s['service']} FAILED:")
        lines.extend(f"  - {f}" for f in s["failures"])
    lines.append("")
    lines.append(f"{len(report['services']) - len(failed)} passed, {len(failed)} failed")
    return "\n".join(lines) + "\n"


def _row(service: str, which: str, f: dict[str, Any], verdict: str) -> list[str]:
    healthy = _yes(f.get("healthy"))
    if f.get("healthy") and f.get("seconds_to_healthy") is not None:
        healthy += f" ({f['seconds_to_healthy']:.0f}s)"
    return [service, which, mb(f.get("size_bytes")), "-" if f.get("layers") is None else str(f["layers"]),
            mb(f.get("wasted_bytes")), seconds(f.get("build_seconds")), seconds(f.get("rebuild_seconds")),
            healthy, "-" if f.get("uid") is None else str(f["uid"]), verdict]


def to_markdown(report: dict[str, Any]) -> str:
    """A pull-request comment: one table of figures (new vs baseline) and the failures."""
    out = ["## fastlint verify", ""]
    passed = sum(1 for s in report["services"] if s["passed"])
    out.append(f"**{passed} of {len(report['services'])} services pass** the budgets and checks.")
    out.append("")
    out.append("| service | image | size | layers | wasted | cold build | rebuild after a source change | "
               "healthy | uid | devDependencies |")
    out.append("|---|---|---:|---:|---:|---:|---:|---|---:|---|")
    for s in report["services"]:
        out.append(_md_row(f"`{s['service']}` {'✅' if s['passed'] else '❌'}", "new", s))
        b = s.get("baseline")
        if b and b.get("unavailable"):
            out.append("| | baseline | unavailable | | | | | | | |")
        elif b:
            out.append(_md_row("", "baseline", b))
            c = s["change"]
            out.append(f"| | change | {pct(c['size_pct'])} | {pct(c['layers_pct'])} | {pct(c.get('wasted_pct'))} "
                       f"| {pct(c['build_pct'])} | {pct(c['rebuild_pct'])} | | | |")
    note = _rebuild_note(report)
    if note:
        out.extend(["", note])
    notes = _unavailable_notes(report)
    if notes:
        out.append("")
        out.extend(f"- {n}" for n in notes)
    for s in report["services"]:
        if s["failures"]:
            out.append("")
            out.append(f"**{s['service']}** failed:")
            out.extend(f"- {f}" for f in s["failures"])
    out.append("")
    return "\n".join(out)


def _unavailable_notes(report: dict[str, Any]) -> list[str]:
    """One line per service whose baseline could not be built (its base image is not in the engine)."""
    return [f"{s['service']}: baseline unavailable: {s['baseline']['unavailable']}" for s in report["services"]
            if (s.get("baseline") or {}).get("unavailable")]


def _rebuild_note(report: dict[str, Any]) -> str:
    """How many rebuilds the rebuild figures are the median of, when more than one (``--rebuilds``)."""
    counts = set()
    for s in report["services"]:
        for f in (s, s.get("baseline") or {}):
            if len(f.get("rebuild_samples") or []) > 1:
                counts.add(len(f["rebuild_samples"]))
    if not counts:
        return ""
    n = "/".join(str(c) for c in sorted(counts))
    return f"rebuild: the median of {n} rebuilds, each after a new source change (samples in --format json)"


def _md_row(service: str, which: str, f: dict[str, Any]) -> str:
    healthy = _yes(f.get("healthy"))
    if f.get("healthy") and f.get("seconds_to_healthy") is not None:
        healthy += f" in {f['seconds_to_healthy']:.0f}s"
    dev = ", ".join(f.get("dev_dependencies_found") or []) or "none"
    return (f"| {service} | {which} | {mb(f.get('size_bytes'))} | {f.get('layers') if f.get('layers') is not None else '-'} "
            f"| {mb(f.get('wasted_bytes'))} | {seconds(f.get('build_seconds'))} | {seconds(f.get('rebuild_seconds'))} "
            f"| {healthy} | {f.get('uid') if f.get('uid') is not None else '-'} | {dev} |")
