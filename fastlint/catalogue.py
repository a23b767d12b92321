"""The rule catalogue: one Markdown file per rule (``rules/DL3006.md``) holding its docs and its cases.

The same file is what ``fastlint rule ID`` prints, what the README links to, what SARIF's rule metadata is made
from, and what the tests run (every case through the whole pipeline). Format::

    # DL3006: Always tag the version of an image explicitly

    ## What it does
    ...
    ## Why is this bad?
    ...
    ## Example
    ```dockerfile
    FROM debian
    ```
    ## Use instead
    ```dockerfile
    FROM debian:12.5
    ```
    ## Fix safety
    ...
    ## Cases
    ### fail: an untagged image (line 1)
    ```dockerfile
    FROM debian
    ```
    ```fixed
    FROM debian:12
    ```
    ### pass: a tagged image
    ```dockerfile
    FROM debian:12
    ```

A case heading is ``### fail: description`` or ``### pass: description``; ``(line N)`` or ``(lines N, M)`` in a
fail heading lists the lines where the rule must fire (and no others). A case may carry a `` ```yaml `` block
(a fastlint.yaml for that case), a `` ```fixed `` block (what ``fastlint fix`` must make of it), a
`` ```path `` block (the Dockerfile's path inside the case's folder, e.g. ``fast-validation-service/Dockerfile``,
for rules that depend on the service), and `` ```file NAME `` blocks (more files of the case's folder, such as a
``.dockerignore`` or ``deploy/deployment.yaml``), and an `` ```engine `` block (JSON: ``{"arch": ..., "images":
{reference: {"os", "arch", "variant", "env", "shell"}}}``, what a local Docker engine holds for the case; without
it no engine answers).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

_HEADING = re.compile(r"^# (\S+):\s*(.*)$")
_SECTION = re.compile(r"^## (.+?)\s*$")
_CASE = re.compile(r"^### (fail|pass)\b:?\s*(.*?)\s*$", re.IGNORECASE)
_FENCE = re.compile(r"^```\s*(\S*)\s*(.*?)\s*$")
_LINES = re.compile(r"\(lines?\s+([\d,\s]+)\)\s*$")


@dataclass
class Case:
    kind: str  # fail | pass
    title: str
    dockerfile: str = ""
    fixed: str | None = None
    config: str | None = None
    path: str = "Dockerfile"
    files: dict[str, str] = field(default_factory=dict)
    lines: list[int] = field(default_factory=list)  # where a fail case must fire (empty: anywhere, at least once)
    engine: str | None = None  # JSON: the images a local Docker engine holds for this case (default: no engine)


@dataclass
class RuleDoc:
    code: str
    title: str
    sections: dict[str, str]  # section title -> Markdown body (the "Cases" section excluded)
    cases: list[Case]
    path: Path
    text: str

    def section(self, name: str) -> str:
        return self.sections.get(name, "").strip()

    @property
    def summary(self) -> str:
        """The first paragraph of "What it does" (SARIF fullDescription)."""
        body = self.section("What it does")
        return body.split("\n\n", 1)[0].replace("\n", " ").strip()

    def docs_text(self) -> str:
        """The docs without the cases (what ``fastlint rule`` prints)."""
        head = self.text.split("\n## Cases", 1)[0]
        return head.rstrip() + "\n"


def catalogue_dir() -> Path:
    """``fastlint/_catalogue`` in an installed wheel; the repository's ``rules/`` folder in a checkout."""
    here = Path(__file__).resolve().parent
    packaged = here / "_catalogue"
    if packaged.is_dir():
        return packaged
    return here.parent / "rules"


def parse_doc(path: Path) -> RuleDoc:
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    code, title = path.stem, ""
    sections: dict[str, str] = {}
    cases: list[Case] = []
    current: str | None = None
    body: list[str] = []
    case: Case | None = None
    i = 0

    def flush() -> None:
        if current is not None and current != "Cases":
            sections[current] = "\n".join(body).strip() + "\n"

    while i < len(lines):
        line = lines[i]
        m = _HEADING.match(line)
        if m and not title:
            code, title = m.group(1).rstrip(":"), m.group(2).strip()
            i += 1
            continue
        m = _SECTION.match(line)
        if m:
            flush()
            current, body, case = m.group(1).strip(), [], None
            i += 1
            continue
        if current == "Cases":
            m = _CASE.match(line)
            if m:
                kind, ctitle = m.group(1).lower(), m.group(2)
                case = Case(kind=kind, title=ctitle)
                lm = _LINES.search(ctitle)
                if lm:
                    case.lines = [int(x) for x in re.split(r"[,\s]+", lm.group(1)) if x]
                cases.append(case)
                i += 1
                continue
            m = _FENCE.match(line)
            if m and case is not None:
                lang, arg = m.group(1), m.group(2)
                block = []
                i += 1
                while i < len(lines) and not lines[i].startswith("```"):
                    block.append(lines[i])
                    i += 1
                content = "\n".join(block) + ("\n" if block else "")
                if lang in ("dockerfile", "Dockerfile", ""):
                    case.dockerfile = content
                elif lang == "fixed":
                    case.fixed = content
                elif lang == "yaml":
                    case.config = content
                elif lang == "path":
                    case.path = content.strip()
                elif lang == "file":
                    case.files[arg] = content
                elif lang == "engine":
                    case.engine = content
                i += 1
                continue
        else:
            body.append(line)
        i += 1
    flush()
    return RuleDoc(code=code, title=title, sections=sections, cases=cases, path=path, text=text)


@lru_cache(maxsize=None)
def load(code: str, directory: Path | None = None) -> RuleDoc | None:
    """A rule's page, ``<code>.md``, by its ID or name as written or in any case (``DL3006``, ``dl3006``,
    ``stagenamecasing``), in fastlint's catalogue or in ``directory`` (a rule package's)."""
    directory = directory or catalogue_dir()
    for name in dict.fromkeys((code, code.upper())):
        path = directory / f"{name}.md"
        if path.is_file():
            return parse_doc(path)
    upper = code.upper()
    path = next((p for p in directory.glob("*.md") if p.stem.upper() == upper), None)
    return parse_doc(path) if path is not None else None


def page(code: str) -> RuleDoc | None:
    """The page of any rule: fastlint's, or its rule package's (``CATALOGUE``; that package is loaded)."""
    from .engine.registry import catalogue_of

    return load(code, catalogue_of(code))


def load_all() -> dict[str, RuleDoc]:
    from .engine.ids import is_rule_id

    out = {}
    directory = catalogue_dir()
    if directory.is_dir():
        for p in sorted(directory.glob("*.md")):
            if is_rule_id(p.stem):  # a page of a rule (not README.md)
                out[p.stem] = parse_doc(p)
    return out
