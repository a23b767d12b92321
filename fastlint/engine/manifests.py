"""Kubernetes manifests and CI files: what the FL7xx rules read.

The FL7xx rules are registered like every rule and go through the same pipeline (``pipeline.py``: selection,
pragmas, levels, de-duplication, order); they declare the YAML ``kinds`` (``kubernetes``, ``github``, ``gitlab``),
so the Dockerfile engine does not run them, and this module runs them on YAML files:

* found under a folder given to ``fastlint check``: ``*.yaml``/``*.yml`` files that look like Kubernetes objects
  (a cheap text test for ``apiVersion:`` and ``kind:`` before any parsing; Go-templated files such as Helm
  charts are left out), ``.gitlab-ci.yml`` (and ``*.gitlab-ci.yml``) and ``.github/workflows/*.y*ml``;
* given on the command line (the pre-commit hook passes Kubernetes YAML files to ``fastlint check``).

Files are read with ruamel.yaml, imported only when a YAML file is linted, so the Dockerfile lint path never pays
for it. Every document of a multi-document file is read. Findings carry the YAML file's own path, line and column
(from ruamel's ``.lc``), so they appear in every output format like Dockerfile findings. Pragmas work as in
Dockerfiles: ``# fastlint: ignore=FL703`` on the line above (or at the end of the line), ``# fastlint: global
ignore=FL702`` anywhere in the file.
"""

from __future__ import annotations

import re
from pathlib import Path

from .pipeline import (
    YAML_KINDS, YAML_SUFFIXES, FileResult, active_rules, finalize, is_yaml_name, reads_suppressions, report_order,
    review_suppressions,
)
from .pragmas import Suppression, parse_pragma, prefixes_of
from .rule import Context, Finding, Hit, Rule

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (start-up time)
if TYPE_CHECKING:
    from typing import Iterable

WORKLOAD_KINDS = ("Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "Pod", "ReplicaSet",
                  "ReplicationController")
_API = re.compile(r"^\s*(?:-\s+)?apiVersion\s*:", re.MULTILINE)
_KIND = re.compile(r"^\s*(?:-\s+)?kind\s*:", re.MULTILINE)
_COMMENT = re.compile(r"#\s*((?:fastlint|hadolint).*)$", re.IGNORECASE)


# -- which files -----------------------------------------------------------------------------------------------------
def ci_kind(path: Path) -> str | None:
    """``github`` for a GitHub Actions workflow, ``gitlab`` for a GitLab CI file, else None."""
    name = path.name.lower()
    if name.endswith((".gitlab-ci.yml", ".gitlab-ci.yaml")) or name in (".gitlab-ci.yml", ".gitlab-ci.yaml"):
        return "gitlab"
    parent = path.parent
    if parent.name == "workflows" and parent.parent.name == ".github" and is_yaml_name(name):
        return "github"
    return None


def looks_like_kubernetes(text: str) -> bool:
    return bool(_API.search(text)) and bool(_KIND.search(text))


def wanted(path: Path) -> bool:
    """Discovery's test for a YAML file under a checked folder: a CI file, or Kubernetes objects (templated
    files such as Helm charts left out: they are not YAML until rendered)."""
    if not is_yaml_name(path.name):
        return False
    if ci_kind(path) is not None:
        return True
    try:
        with path.open("r", encoding="utf-8", errors="replace") as fh:
            text = fh.read(1 << 20)
    except OSError:
        return False
    return looks_like_kubernetes(text) and "{{" not in text


# -- positions -------------------------------------------------------------------------------------------------------
class Pos:
    """A 1-based place in the YAML file (end column exclusive, like Dockerfile findings)."""

    __slots__ = ("line", "column", "end_line", "end_column")

    def __init__(self, line: int, column: int, end_line: int, end_column: int):
        self.line = line
        self.column = column
        self.end_line = end_line
        self.end_column = end_column


class Source:
    """A script (GitHub ``run:``, GitLab ``script:``) with its place in the YAML file: ``pos(a, b)`` gives the
    file position of script offsets ``[a, b)``."""

    def __init__(self, text: str, starts: list[tuple[int, int, int]]):
        self.text = text
        self.starts = starts  # (script offset of the line, file line, file column) per script line

    def pos(self, a: int, b: int) -> Pos:
        la, ca = self._at(a)
        lb, cb = self._at(b)
        return Pos(la, ca, lb, cb)

    def _at(self, offset: int) -> tuple[int, int]:
        best = self.starts[0]
        for s in self.starts:
            if s[0] <= offset:
                best = s
            else:
                break
        return best[1], best[2] + (offset - best[0])


class Manifest:
    """One YAML file: its text, its documents (ruamel round-trip nodes) and how to find positions in it."""

    def __init__(self, path: str, text: str, docs: list, kind: str):
        self.path = path
        self.text = text
        self.lines = text.splitlines()
        self.docs = docs
        self.kind = kind  # kubernetes | github | gitlab

    def line_text(self, line: int) -> str:
        return self.lines[line - 1] if 0 < line <= len(self.lines) else ""

    def _token_end(self, line: int, col: int) -> int:
        """The end column (exclusive) of the scalar written at (line, col), both 1-based."""
        text = self.line_text(line)
        i = col - 1
        if i >= len(text):
            return col + 1
        if text[i] in "'\"":
            q = text[i]
            j = i + 1
            while j < len(text):
                if text[j] == q:
                    if q == "'" and j + 1 < len(text) and text[j + 1] == "'":
                        j += 2
                        continue
                    break
                if text[j] == "\\" and q == '"':
                    j += 1
                j += 1
            return min(j + 1, len(text)) + 1
        rest = text[i:]
        m = re.search(r"\s+#", rest)
        token = rest[: m.start()] if m else rest
        before = text[:i]
        if before.count("{") + before.count("[") > before.count("}") + before.count("]"):
            token = re.split(r"[,\]}]", token, maxsplit=1)[0]  # a plain scalar inside a flow collection
        token = token.rstrip()
        return col + max(len(token), 1)

    def key_pos(self, mapping, key) -> Pos:
        try:
            line, col = mapping.lc.key(key)
        except Exception:
            return self.node_pos(mapping)
        return Pos(line + 1, col + 1, line + 1, col + 1 + len(str(key)))

    def value_pos(self, mapping, key) -> Pos:
        try:
            line, col = mapping.lc.value(key)
        except Exception:
            return self.key_pos(mapping, key)
        value = mapping.get(key)
        if isinstance(value, (dict, list)):
            return self.key_pos(mapping, key)
        return Pos(line + 1, col + 1, line + 1, self._token_end(line + 1, col + 1))

    def item_pos(self, seq, index: int) -> Pos:
        try:
            line, col = seq.lc.item(index)
        except Exception:
            return self.node_pos(seq)
        value = seq[index]
        if isinstance(value, (dict, list)):
            return self.node_pos(value)
        return Pos(line + 1, col + 1, line + 1, self._token_end(line + 1, col + 1))

    def node_pos(self, node) -> Pos:
        """The first key of a mapping, the first item of a sequence."""
        if isinstance(node, dict) and len(node):
            first = next(iter(node))
            try:
                line, col = node.lc.key(first)
                return Pos(line + 1, col + 1, line + 1, col + 1 + len(str(first)))
            except Exception:
                pass
        try:
            line, col = node.lc.line, node.lc.col
        except Exception:
            return Pos(1, 1, 1, 1)
        return Pos(line + 1, col + 1, line + 1, col + 1)

    def script(self, parent, key) -> Source | None:
        """The text of a string value (``run:``) with its file positions; block scalars (``|``, ``>``) are read
        from the file's lines so that every line maps back exactly."""
        value = parent[key]
        if not isinstance(value, str):
            return None
        try:
            line, col = parent.lc.item(key) if isinstance(parent, list) else parent.lc.value(key)
        except Exception:
            return Source(value, [(0, 1, 1)])
        first = self.line_text(line + 1)[col:]
        if first.startswith(("|", ">")):
            return self._block(line + 1, value)
        if first[:1] in "'\"" and first[1:1 + len(value)] == value:
            return Source(value, [(0, line + 1, col + 2)])  # a quoted string written without escapes
        return Source(value, [(0, line + 1, col + 1)])  # plain (or escaped: positions are approximate)

    def _block(self, header_line: int, value: str) -> Source:
        """A block scalar whose indicator is on ``header_line`` (1-based): its lines as written."""
        lines = []
        indent = None
        n = header_line + 1
        header_indent = len(self.line_text(header_line)) - len(self.line_text(header_line).lstrip())
        while n <= len(self.lines):
            raw = self.line_text(n)
            if raw.strip():
                this = len(raw) - len(raw.lstrip())
                if indent is None:
                    if this <= header_indent:
                        break
                    indent = this
                elif this < indent:
                    break
            lines.append((n, raw))
            n += 1
        while lines and not lines[-1][1].strip():
            lines.pop()
        indent = indent or 0
        parts, starts, offset = [], [], 0
        for n, raw in lines:
            body = raw[indent:] if len(raw) >= indent else ""
            starts.append((offset, n, indent + 1))
            parts.append(body)
            offset += len(body) + 1
        if not starts:
            return Source(value, [(0, header_line, 1)])
        return Source("\n".join(parts), starts)


# -- containers and image references ---------------------------------------------------------------------------------
class Container:
    """A container of a workload: its mapping, the pod spec it is in, and the object it belongs to."""

    def __init__(self, node: object, pod_spec: object, obj: object, kind: str, init: bool):
        self.node = node
        self.pod_spec = pod_spec
        self.obj = obj
        self.kind = kind
        self.init = init


    @property
    def name(self) -> str | None:
        v = self.node.get("name")
        return v if isinstance(v, str) else None

    @property
    def image(self) -> str | None:
        v = self.node.get("image")
        return v if isinstance(v, str) else None

    @property
    def object_name(self) -> str | None:
        meta = self.obj.get("metadata")
        v = meta.get("name") if isinstance(meta, dict) else None
        return v if isinstance(v, str) else None

    def label(self) -> str:
        return f"container '{self.name}'" if self.name else "a container"


def pod_spec(obj) -> object | None:
    """The pod spec of a workload: spec.template.spec; CronJob: spec.jobTemplate.spec.template.spec; Pod: spec."""
    kind = obj.get("kind")
    spec = obj.get("spec")
    if not isinstance(spec, dict):
        return None
    if kind == "Pod":
        return spec
    if kind == "CronJob":
        spec = (spec.get("jobTemplate") or {}).get("spec") if isinstance(spec.get("jobTemplate"), dict) else None
        if not isinstance(spec, dict):
            return None
    tpl = spec.get("template")
    if isinstance(tpl, dict) and isinstance(tpl.get("spec"), dict):
        return tpl["spec"]
    return None


def objects(docs) -> Iterable:
    """Every Kubernetes object of the documents (``kind: List`` items included)."""
    for doc in docs:
        if not isinstance(doc, dict):
            continue
        if doc.get("kind") == "List" and isinstance(doc.get("items"), list):
            yield from objects(doc["items"])
        elif isinstance(doc.get("kind"), str):
            yield doc


def containers(m: Manifest) -> list[Container]:
    out = []
    for obj in objects(m.docs):
        kind = obj.get("kind")
        if kind not in WORKLOAD_KINDS:
            continue
        spec = pod_spec(obj)
        if spec is None:
            continue
        for key, init in (("initContainers", True), ("containers", False)):
            items = spec.get(key)
            if isinstance(items, list):
                for c in items:
                    if isinstance(c, dict):
                        out.append(Container(c, spec, obj, kind, init))
    return out


def image_repository(image: str) -> str:
    """``gcr.io/gpp-g3/fast-validation-service:2.1.0@sha256:...`` -> ``fast-validation-service``."""
    ref = image.split("@", 1)[0]
    last = ref.rsplit("/", 1)[-1]
    return last.split(":", 1)[0]


def service_of_container(c: Container, policy):
    """The matrix service a container runs: by container name, image repository name or object name."""
    for candidate in (c.name, image_repository(c.image) if c.image else None, c.object_name):
        if candidate and candidate in policy.services:
            return policy.services[candidate]
    return None


# -- the rules' base class -------------------------------------------------------------------------------------------
class ManifestRule(Rule):
    """A rule on Kubernetes manifests and CI files: ``check_manifest(m)`` yields hits made with ``self.at``."""

    tier = "manifest"
    kinds = YAML_KINDS

    def check_manifest(self, m: Manifest) -> Iterable[Hit] | None:
        return None

    def at(self, m: Manifest, pos: Pos, message: str | None = None) -> Hit:
        return Hit.in_file(m.path, pos.line, pos.column, pos.end_line, pos.end_column, message)


# -- linting a file --------------------------------------------------------------------------------------------------
class ManifestError(Exception):
    """A YAML file that cannot be read: ``file:line:col: message``."""


def load(path: Path, display: str) -> Manifest | None:
    """Read and parse a YAML file; None when it is neither Kubernetes objects nor a CI file."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise ManifestError(f"{display}: cannot read: {err.strerror or err}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        raise ManifestError(f"{display}:{line}:1: invalid UTF-8") from None
    return load_text(text, path, display)


def kind_of(path: Path, text: str) -> str | None:
    """The YAML kind of a file: ``github`` or ``gitlab`` for a CI file (by its path), ``kubernetes`` for
    Kubernetes objects (by its text; a Helm or other Go template is not YAML until rendered: None), else None."""
    kind = ci_kind(path)
    if kind is None and looks_like_kubernetes(text) and "{{" not in text:
        kind = "kubernetes"
    return kind


def load_text(text: str, path: Path, display: str) -> Manifest | None:
    """Parse a YAML file's text (``path`` tells a CI file by its place); None when it is neither Kubernetes
    objects nor a CI file."""
    kind = kind_of(path, text)
    if kind is None:
        return None
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        docs = [d for d in YAML(typ="rt").load_all(text)]
    except MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        where = f"{mark.line + 1}:{mark.column + 1}:" if mark else ""
        raise ManifestError(f"{display}:{where} invalid YAML: {err.problem or err.context}") from None
    except (YAMLError, ValueError, TypeError) as err:
        raise ManifestError(f"{display}: invalid YAML: {str(err).splitlines()[0] if str(err) else err}") from None
    return Manifest(display, text, docs, kind)


def _suppressions(m: Manifest, prefixes: tuple[str, ...] = ()) -> tuple[list[Suppression], list[Suppression],
                                                                   dict[int, list[Suppression]]]:
    """(every ignore pragma, the global ones, line -> the ones applying to it) from ``# fastlint: ignore=``
    comments: a comment line applies to the next line that is not a comment; a comment at the end of a line
    applies to that line."""
    every: list[Suppression] = []
    global_ones: list[Suppression] = []
    by_line: dict[int, list[Suppression]] = {}
    pending: list[Suppression] = []
    for n, raw in enumerate(m.lines, start=1):
        found = _COMMENT.search(raw)
        p = parse_pragma(found.group(1), prefixes) if found else None  # the one pragma grammar (engine/pragmas.py)
        here: list[Suppression] = []
        if p is not None and p.kind == "ignore" and p.scope != "stage":
            here = [Suppression(p.codes, p.scope, line=n, column=found.start() + 1, end_column=len(raw) + 1)]
            every += here
            if p.scope == "global":
                global_ones += here
                continue
        stripped = raw.strip()
        if stripped.startswith("#"):
            pending += here
            continue
        if not stripped:
            continue
        if pending or here:
            by_line[n] = pending + here
        pending = []
    return every, global_ones, by_line


def lint_manifest(path: Path, display: str, policy, selection, state=None, text: str | None = None):
    """Lint one YAML file (``text``: its text, else it is read) with the rules of its kind; never raises for bad
    input (``FileResult.error`` instead)."""
    rules = active_rules(policy, selection, "yaml")
    if not rules:
        return FileResult(display, [])
    try:
        m = load(path, display) if text is None else load_text(text, path, display)
    except ManifestError as err:
        return FileResult(display, [], error=str(err))
    if m is None:
        return FileResult(display, [])
    ctx = Context(None, policy, None, display, state)
    instances = [cls(ctx) for cls in rules if m.kind in cls.kinds]
    raw = [(rule, h) for rule in instances if not reads_suppressions(type(rule)) for h in rule.check_manifest(m) or ()]

    def locate(code: str, level: str, message: str, h: Hit) -> Finding:
        return Finding(code, level, message, m.path, h.line, h.column, h.end_line or h.line,
                       h.end_column or h.column, source_line=m.line_text(h.line))

    if not policy.allow_pragmas:
        return FileResult(display, finalize(raw, display, policy, selection, locate))
    every, global_ones, by_line = _suppressions(m, prefixes_of(policy))

    def suppressions(code: str, h: Hit) -> list[Suppression]:
        return [s for s in global_ones + by_line.get(h.line, []) if s.patterns_for(code)]

    findings = finalize(raw, display, policy, selection, locate, suppressions)
    reviewers = [r for r in instances if reads_suppressions(type(r))]
    if reviewers and every:
        review_suppressions(every, [type(r) for r in instances], policy, selection)
        reviews = [(r, h) for r in reviewers for h in r.check_suppressions(every) or ()]
        if reviews:
            findings = sorted(findings + finalize(reviews, display, policy, selection, locate, suppressions),
                              key=report_order(display))
    return FileResult(display, findings)


# -- quantities ------------------------------------------------------------------------------------------------------
_QUANTITY = re.compile(r"^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:[eE]([+-]?\d+))?(Ki|Mi|Gi|Ti|Pi|Ei|k|K|M|G|T|P|E|m)?$")
_FACTORS = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60, "k": 10**3, "K": 10**3,
            "M": 10**6, "G": 10**9, "T": 10**12, "P": 10**15, "E": 10**18, None: 1}


def quantity(value) -> object | None:
    """A Kubernetes quantity as an exact number of bytes (a Fraction): ``512Mi``, ``0.5Gi``, ``536870912``,
    ``512e6``, ``1G``; None when it is not a quantity."""
    from fractions import Fraction

    if isinstance(value, bool) or value is None:
        return None
    m = _QUANTITY.match(str(value).strip())
    if not m:
        return None
    number = Fraction(m.group(1))
    if m.group(2):
        number *= Fraction(10) ** int(m.group(2))
    if m.group(3) == "m":
        return number / 1000
    return number * _FACTORS[m.group(3)]


class ImageUse:
    """An image named in a manifest or CI file: the reference (``${{ }}`` expressions shown as ``$``
    variables), where it is, and what names it (for the message)."""

    def __init__(self, image: str, pos: Pos, where: str, extra: dict | None = None):
        self.image = image
        self.pos = pos
        self.where = where
        self.extra = {} if extra is None else extra


