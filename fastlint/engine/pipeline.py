"""The one finding pipeline, for every kind of file: which rules run, and how their hits become findings.

Every kind of file (Dockerfiles in ``runner.py``; Kubernetes manifests and CI files in ``manifests.py``) goes
through the same two steps:

1. ``active_rules(policy, selection, kind)``: the rules that run on a file of that kind, from the command line's
   selection (``--select``/``--ignore``), the policy (``rules:``, severities ``off``, external programs turned
   off) and each rule's contract (``default_enabled``, ``family``, ``external``, ``kinds``). The candidates are
   fastlint's rules, the rule packages' whose prefix may be selected (``package_wanted``: a package no rule of
   which can run is not even imported) and the policy's data rules (``custom_rules:`` in fastlint.yaml);
2. ``finalize(raw, ...)``: the rules' hits become findings in one step: finding-level selection (for family
   rules), pragmas (each ignore pragma records which of its IDs turned a finding off), levels (the policy's over
   the hit's over the rule's), one finding per place and message, one finding for two rules that say the same
   thing (``Rule.same_as``), and the report order;
3. ``review_suppressions``: after every rule ran on a file, what each ignore pragma turned off is known; the
   rules with the hook ``check_suppressions`` (FL001, ruff's RUF100) report the IDs that turned off nothing.

The kind of file gives only what differs: where a hit is (``locate``) and which pragmas apply (``suppressed``).
"""

from __future__ import annotations

from .ids import canonical, matches, names_family
from .index import RuleInfo, off_with, rules
from .registry import load, package_rules_wanted
from .rule import Finding, Hit, Rule

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (start-up time)
if TYPE_CHECKING:
    from typing import Callable, Iterable

DOCKERFILE = "dockerfile"
YAML_KINDS = ("kubernetes", "github", "gitlab")
YAML_SUFFIXES = (".yaml", ".yml")


def is_yaml_name(name: str) -> bool:
    """A file name of the YAML kinds (Kubernetes manifests, CI files): ``engine/manifests.py`` reads them."""
    return name.lower().endswith(YAML_SUFFIXES)


class Selection:
    """Rule IDs or prefixes from the command line (``--select``, ``--ignore``)."""

    def __init__(self, select: list[str] | None = None, ignore: list[str] | None = None):
        self.select = [] if select is None else select
        self.ignore = [] if ignore is None else ignore


class FileResult:
    """One file's findings (``df``: its parse tree, for a Dockerfile)."""

    def __init__(self, path: str, findings: list[Finding], df=None, error: str | None = None):
        self.path = path
        self.findings = findings
        self.df = df
        self.error = error  # the file could not be read at all (one-line message)


def _pattern_hits(cls: RuleInfo, patterns) -> bool:
    if matches(cls.code, patterns):
        return True
    # a rule that reports several codes (ShellCheck: SC) is on when a pattern names one of its codes
    return cls.family and any(names_family(cls.code, p) for p in patterns)


def _level_of(policy, code: str) -> str | None:
    """The policy's level for a code (its keys are canonical: upper case)."""
    severity = policy.severity
    if not severity:
        return None
    found = severity.get(code)
    if found is None and not code.isupper():  # a name such as StageNameCasing
        found = severity.get(canonical(code))
    return found


def package_wanted(prefix: str, policy, selection: Selection) -> bool:
    """Whether a rule of a package with this prefix may run: ``--select`` names the prefix, one of its codes, a
    prefix of it or ALL; with no ``--select``, the prefix is not ignored as a whole (``--ignore ACME``, the
    policy's ``rules: ignore``)."""
    if selection.select:
        up = prefix.upper()
        return any(p == "ALL" or p.startswith(up) or up.startswith(p)
                   for p in (canonical(s) for s in selection.select) if p)
    return not (matches(prefix, policy.ignore) or matches(prefix, selection.ignore))


def candidates(policy, selection: Selection) -> dict[str, RuleInfo | type[Rule]]:
    """The rules that may run, by code: fastlint's (their index entries: no module imported), the wanted rule
    packages' and the policy's data rules (their classes)."""
    entries = rules()
    extra = package_rules_wanted(lambda prefix: package_wanted(prefix, policy, selection))
    if policy.custom_rules is not None:
        from ..datarules.checks import rule_classes

        extra = {**extra, **rule_classes(policy)}
    return dict(sorted({**entries, **extra}.items())) if extra else entries


def active_rules(policy, selection: Selection, kind: str | None = None) -> list[type[Rule]]:
    """The rule classes that run under this policy and selection, on files of ``kind`` (``yaml``: of any YAML
    kind; None: of every kind). Chosen from the rule index: only the modules of these rules are imported."""
    return load(active_entries(policy, selection, kind))


def active_codes(policy, selection: Selection, kind: str | None = None) -> list[str]:
    """The codes of ``active_rules``, with no rule module of fastlint's imported."""
    return [e.code for e in active_entries(policy, selection, kind)]


def active_entries(policy, selection: Selection, kind: str | None = None) -> list[RuleInfo | type[Rule]]:
    """The rules of ``active_rules`` as ``candidates`` gives them (index entries or classes)."""
    out = []
    for code, cls in candidates(policy, selection).items():
        if kind is not None and not (kind in cls.kinds or (kind == "yaml" and any(k in YAML_KINDS for k in cls.kinds))):
            continue
        if selection.select:
            on = _pattern_hits(cls, selection.select)
        else:
            on = cls.default_enabled and code not in policy.disabled
            if policy.select and _pattern_hits(cls, policy.select):
                on = True
        if matches(code, policy.ignore) or matches(code, selection.ignore):
            on = False
        if _level_of(policy, code) in ("off", "none"):
            on = False
        if cls.external is not None and not policy.runs(cls.external) and not (selection.select and on):
            on = False
        if on:
            out.append(cls)
    return out


def for_file(entries: list, df) -> list:
    """The rules of ``entries`` (index entries or classes) that can report on this Dockerfile: a rule that needs
    instructions the file does not have (``Rule.needs_instructions``; the instruction inside an ONBUILD counts),
    or words its text does not have (``Rule.needs_words``), is left out."""
    if not any(e.needs_instructions or e.needs_words for e in entries):
        return entries
    present = {ins.keyword for ins in df.instructions}
    present.update(ins.sub.keyword for ins in df.instructions if ins.sub is not None)
    text = df.text
    return [e for e in entries
            if (not e.needs_instructions or not present.isdisjoint(e.needs_instructions))
            and (not e.needs_words or any(w in text for w in e.needs_words))]


def wants_kinds(selection: Selection, kinds: Iterable[str]) -> bool:
    """Whether some rule reading one of these kinds can run under the command line's selection (a policy may
    still turn it off for its files): folders are searched for YAML files only then. The rule packages are asked
    (imported) only when fastlint's own rules do not want the files already."""
    kinds = tuple(kinds)

    def wanted(codes) -> bool:
        if selection.select:
            codes = [c for c in codes if matches(c, selection.select)]
        return any(not matches(c, selection.ignore) for c in codes)

    # (the rule reviewing pragmas reviews files read for other rules: it reads none itself)
    if wanted([code for code, e in rules().items() if any(k in e.kinds for k in kinds) and not e.reviews_pragmas]):
        return True
    extra = package_rules_wanted(lambda prefix: package_wanted(prefix, _NO_POLICY, selection))
    return wanted([code for code, cls in extra.items() if any(k in cls.kinds for k in kinds)])


class _NoPolicy:
    ignore: list[str] = []


_NO_POLICY = _NoPolicy()


def keep(code: str, policy, selection: Selection) -> bool:
    """Finding-level selection (the rules that report several codes are selected as a whole)."""
    if selection.select and not matches(code, selection.select):
        return False
    if matches(code, policy.ignore) or matches(code, selection.ignore):
        return False
    return _level_of(policy, code) not in ("off", "none")


def report_order(path: str):
    """The order of a file's findings: the file's own first (a fix may report in another file), then by file,
    line, column, code."""
    return lambda f: (f.file != path, f.file, f.line, f.column, f.code)


def turned_off(code: str, policy, selection: Selection) -> bool:
    """Turned off by the user for every file: ignored (``--ignore``, ``rules: ignore``) or a severity of ``off``
    (not merely left unselected)."""
    return (matches(code, policy.ignore) or matches(code, selection.ignore)
            or _level_of(policy, code) in ("off", "none"))


def finalize(
    raw: Iterable[tuple[Rule, Hit]],
    path: str,
    policy,
    selection: Selection,
    locate: Callable[[str, str, str, Hit], Finding],
    suppressions: Callable[[str, Hit], list] | None = None,
    skipped: Callable[[str, Hit], bool] | None = None,
) -> list[Finding]:
    """The hits of a file's rules as findings (see the module docstring). ``locate(code, level, message, hit)``
    makes the finding (positions from the hit); ``suppressions(code, hit)`` gives the ignore pragmas
    (``pragmas.Suppression``) that turn it off, which record it (None: no pragmas, or the policy does not allow
    them); ``skipped(code, hit)`` says when something else turns it off there (in a Dockerfile, BuildKit's
    ``# check=skip=``; None: nothing does)."""

    def off_here(code: str, h: Hit) -> bool:
        if suppressions is not None:
            found = suppressions(code, h)
            if found:
                for s in found:
                    s.used.update(s.patterns_for(code))
                return True
        return skipped is not None and skipped(code, h)

    findings: list[Finding] = []
    seen: set[tuple] = set()
    paired: list[tuple[Finding, Rule, Hit]] = []
    for rule, h in raw:
        code = h.code or rule.code
        if not keep(code, policy, selection):
            continue
        if off_here(code, h):
            continue
        level = _level_of(policy, code) or h.level or rule.level
        f = locate(code, level, h.message or rule.message, h)
        if h.fix is not None:
            f.fix, f.fixable = h.fix, True
        key = (f.file, f.line, f.column, f.code, f.message)
        if key in seen:
            continue
        seen.add(key)
        findings.append(f)
        if rule.same_as is not None or off_with(code):
            paired.append((f, rule, h))
    if paired:
        findings = _one_per_twins(findings, paired, policy, selection, locate, off_here)
    findings.sort(key=report_order(path))
    return findings


def reads_suppressions(cls: type[Rule]) -> bool:
    """A rule that reviews the file's ignore pragmas after every other rule ran (it has ``check_suppressions``)."""
    return cls.check_suppressions is not Rule.check_suppressions


def review_suppressions(suppressions: list, ran: list[type[Rule]], policy, selection: Selection) -> None:
    """Sort each ignore pragma's IDs that turned nothing off (``Suppression.used`` tells which did): ``unknown``
    (the ID names no rule) and ``unused`` (it names a rule that ran on the file and kept its finding, and
    turned off nothing). An ID of a rule that did not run (not selected, turned off) is neither: the pragma may
    serve another run."""
    from .index import names_a_rule

    def ran_here(pattern: str) -> bool:
        for cls in ran:
            if matches(cls.code, [pattern]) and keep(cls.code, policy, selection):
                return True
            if cls.family and names_family(cls.code, pattern) and keep(pattern, policy, selection):
                return True
        return False

    for s in suppressions:
        s.unknown = [p for p in s.codes if p not in s.used and not names_a_rule(p, policy)]
        s.unused = [p for p in s.codes if p not in s.used and p not in s.unknown and ran_here(p)]


def _one_per_twins(findings: list[Finding], paired: list[tuple[Finding, Rule, Hit]], policy,
                   selection: Selection, locate, off_here) -> list[Finding]:
    """Rules that say the same thing (``Rule.same_as``, ``Rule.off_with``): a rule turned off with its twin
    reports nothing where the twin is off; where both report, the twin's finding is the one kept."""
    dropped: set[int] = set()

    def off_at(code: str, offset: int, h: Hit) -> bool:
        if turned_off(code, policy, selection):
            return True
        at = h if offset == h.start else Hit(offset, offset, file=h.file, line=h.line, column=h.column)
        return off_here(code, at)

    def about(f: Finding, h: Hit) -> tuple[str, int]:
        if h.about is None or h.about == h.start:
            return f.file, f.line
        return f.file, locate(f.code, f.level, f.message, Hit(h.about, h.about)).line

    # turned off together: the rule with its twins (off_with), the twin with the rules that name it
    for f, rule, h in paired:
        place = h.start if h.about is None else h.about
        coupled = rule.off_with if h.same_as is None else [t for t in rule.off_with if t in h.same_as]
        if any(off_at(t, place, h) for t in coupled) or any(off_at(c, h.start, h) for c in off_with(f.code)):
            dropped.add(id(f))
    # one finding for two rules that say the same thing at one place: the twin's
    said: dict[tuple, list[Finding]] = {}
    for f in findings:
        if id(f) not in dropped:
            said.setdefault((f.file, f.line, canonical(f.code)), []).append(f)
    for f, rule, h in paired:
        if id(f) in dropped or not rule.same_as:
            continue
        file, line = about(f, h)
        for twin in rule.twins() if h.same_as is None else h.same_as:
            kept = [g for g in said.get((file, line, canonical(twin)), ()) if id(g) not in dropped]
            if kept:
                dropped.add(id(f))  # two rules naming each other: the second one keeps its finding
                if f.level == "error":  # BuildKit's error=true: the finding that stands for the check fails too
                    kept[0].level = "error"
                break
    return [f for f in findings if id(f) not in dropped]
