"""fastlint as a library: what the CLI, the tests, the fuzzer and an editor server call.

    from fastlint import api

    findings = api.lint_text("FROM node:latest\nRUN npm install\n", "services/web/Dockerfile")
    for f in findings:
        print(f.line, f.column, f.code, f.level, f.message, f.fix is not None)

    result = api.fix_text("FROM node:20-alpine\nMAINTAINER me\n", unsafe=False)
    print(result.text)          # the fixed text (the input when nothing applied)
    print(result.remaining)     # the findings left

    run = api.check(["services/"], select=["DL", "FL4"])
    for r in run.results:       # one FileResult per file: path, findings, parse tree
        ...

    for info in api.rules():    # every rule: fastlint's, the rule packages', the fastlint.yaml's data rules
        print(info.code, info.level, info.source)

The policy of a text is, in order: ``policy`` (a ``Policy`` object), ``config`` (a ``fastlint.yaml`` or
``.hadolint.yaml`` file), the nearest configuration file above ``path`` unless ``no_config``, the built-in one.
``select`` and ``ignore`` take rule IDs or prefixes (``fastlint.engine.ids``), as ``--select``/``--ignore`` do.

Nothing is kept between calls: each call is one run (``RunState``) unless the caller passes ``state`` to share
the work of several calls (ShellCheck's findings per script, the configuration files read). Bad input never
raises: a file that does not parse gives its DL1000 finding; a bad configuration file raises ``ConfigError``
(one line: ``file:line:col: message``).
"""

from __future__ import annotations

import os

from .engine.config import ConfigError, Policy, load_config
from .engine.pipeline import Selection
from .engine.rule import Finding
from .engine.runner import FileResult
from .engine.state import RunState

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (start-up time)
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Iterable

__all__ = ["ConfigError", "CheckRun", "FileResult", "Finding", "Policy", "RuleInfo", "RunState", "Selection", "check",
           "document_kind", "fix_text", "lint_document", "lint_text", "policy_for", "rule_docs", "rules", "selection"]


def selection(select: Iterable[str] = (), ignore: Iterable[str] = ()) -> Selection:
    """A selection from rule IDs or prefixes (``["DL3008", "FL4"]``; a comma-separated string works too)."""
    from .engine.ids import split_option

    def ids(value) -> list[str]:
        if isinstance(value, str):
            return split_option(value)
        return [i for v in value for i in split_option(v)]

    return Selection(select=ids(select), ignore=ids(ignore))


def policy_for(path: str | Path = "Dockerfile", *, config: str | Path | None = None, no_config: bool = False,
               state: RunState | None = None) -> Policy:
    """The policy a file is linted with: ``config`` if given, else the nearest configuration file above it
    (unless ``no_config``), else the built-in policy. Raises ``ConfigError``."""
    state = state if state is not None else RunState()
    explicit = os.fspath(config) if config is not None else None
    if explicit is not None and not os.path.isfile(explicit):
        raise ConfigError("no such configuration file", str(explicit))
    return state.policies.policy_for(path, explicit, no_config)


def lint_text(text: str, path: str = "Dockerfile", *, policy: Policy | None = None,
              config: str | Path | None = None, no_config: bool = False, select: Iterable[str] = (),
              ignore: Iterable[str] = (), shellcheck: bool = True, state: RunState | None = None) -> list[Finding]:
    """The findings of a Dockerfile's text, in report order; each fixable one carries its ``fix`` (edits on
    offsets of ``text``). ``path`` names the file (its folder locates the service and the configuration).
    ``shellcheck=False`` turns the external ShellCheck off unless ``select`` names it."""
    return lint_document(text, path, kind="dockerfile", policy=policy, config=config, no_config=no_config,
                         select=select, ignore=ignore, shellcheck=shellcheck, state=state).findings


def document_kind(path: str | Path, text: str = "") -> str | None:
    """The kind of file fastlint lints at ``path``: ``dockerfile`` (any name discovery knows: ``Dockerfile``,
    ``Dockerfile.*``, ``*.Dockerfile``, ``Containerfile``...), ``kubernetes`` (a YAML file of Kubernetes objects:
    by its ``text``), ``github`` or ``gitlab`` (a CI file: by its path), else None."""
    from .engine.discovery import is_dockerfile_name
    from .engine.manifests import is_yaml_name, kind_of

    name = os.path.basename(os.fspath(path))
    if is_dockerfile_name(name):
        return "dockerfile"
    if is_yaml_name(name):
        from pathlib import Path  # a YAML file's kind is told by its place (manifests reads paths)

        return kind_of(Path(path), text)
    return None


def lint_document(text: str, path: str = "Dockerfile", *, kind: str | None = None, policy: Policy | None = None,
                  config: str | Path | None = None, no_config: bool = False, select: Iterable[str] = (),
                  ignore: Iterable[str] = (), shellcheck: bool = True, state: RunState | None = None) -> FileResult:
    """Lint the text of a file as an editor holds it: a Dockerfile, or a YAML file of one of the kinds the FL7xx
    rules read (``kind``: ``document_kind(path, text)`` when not given; a file of no kind gives no findings). The
    ``FileResult`` has the findings, the Dockerfile's parse tree (``df``) and, for a YAML file that does not parse,
    ``error`` (``file:line:col: invalid YAML: ...``). Raises only ``ConfigError``."""
    from .engine.pipeline import YAML_KINDS

    state = state if state is not None else RunState()
    if policy is None:
        policy = policy_for(path, config=config, no_config=no_config, state=state)
    if not shellcheck and policy.runs("shellcheck"):
        policy = _without(policy, "shellcheck")
    kind = kind if kind is not None else document_kind(path, text)
    if kind in YAML_KINDS:
        from pathlib import Path

        from .engine.manifests import lint_manifest

        return lint_manifest(Path(path), os.fspath(path), policy, selection(select, ignore), state, text=text)
    if kind != "dockerfile":
        return FileResult(path, [])
    from .engine.runner import lint_text as lint

    return lint(text, path, policy, selection(select, ignore), state)


def fix_text(text: str, path: str = "Dockerfile", *, policy: Policy | None = None,
             config: str | Path | None = None, no_config: bool = False, select: Iterable[str] = (),
             ignore: Iterable[str] = (), unsafe: bool = False, template: bool = False,
             template_text: str | None = None, port: int | None = None, shellcheck: bool = True,
             state: RunState | None = None):
    """Fix a Dockerfile's text with the fix loop: a ``fastlint.fixer.loop.FixOutcome`` (``text``, ``applied``,
    ``remaining``, ``notes``, ``other_files``: the edits of files beside it, such as ``.dockerignore``, which
    this function does not write). ``template``: a file that breaks the 4-stage structure is rewritten from the
    template (``template_text``, else the built-in one) as the loop's structural fix, reading the service's
    ``package.json`` beside ``path`` (``rewrite`` is then set; ``rewrite_error`` says why it could not be, and
    ``refused`` that the text was left untouched); ``port``: the service's port for the rewrite.
    ``shellcheck=False``: the loop runs without ShellCheck (whose findings have no fix: the text is the same)."""
    from .fixer.loop import fix_text as fix

    state = state if state is not None else RunState()
    if policy is None:
        policy = policy_for(path, config=config, no_config=no_config, state=state)
    if not shellcheck and policy.runs("shellcheck"):
        policy = _without(policy, "shellcheck")

    def rewrite(original: str):  # the structural fix (fixer/migrate.py), imported only when asked for
        from .fixer.migrate import migrate

        return migrate(original, path, policy, template_text, port)

    return fix(text, path, policy, selection(select, ignore), unsafe=unsafe, state=state,
               structural=rewrite if template else None)


class CheckRun:
    """The result of ``check``: one ``FileResult`` per file linted, the errors (missing paths, unreadable files:
    one line each), the failure threshold the policies ask for (``failure_threshold`` of the first file's policy
    that sets one, else None), the codes of the rules that ran (families such as SC left out: their codes are
    the findings'), the classes of the data rules that ran (``custom_rules``: the registry does not know them) by
    code, the policies used (each once, in the order of the files), ``policy`` (the first file's, else the one a
    ``Dockerfile`` in the working folder would get: its run-wide settings are the run's) and ``notes`` (what the
    folder search skipped and why, and its warnings); ``warnings``: pragmas naming no rule. (A plain class:
    ``check`` is on the CLI's start-up path, and a dataclass costs time to create.)"""

    def __init__(self, results: list[FileResult] | None = None, errors: list[str] | None = None,
                 threshold: str | None = None, rules: list[str] | None = None, data_rules: dict | None = None):
        self.results = [] if results is None else results
        self.errors = [] if errors is None else errors
        self.threshold = threshold
        self.rules = [] if rules is None else rules
        self.data_rules = {} if data_rules is None else data_rules
        self.policies: list[Policy] = []
        self.warnings: list[str] = []  # rule IDs in pragmas that name no rule (when FL001 does not say it)
        self.policy: Policy | None = None
        self.notes = None


def check(paths: Iterable[str], *, config: str | Path | None = None, no_config: bool = False,
          select: Iterable[str] = (), ignore: Iterable[str] = (), shellcheck: bool = True,
          state: RunState | None = None, profile: str = "fast", hadolint=None, stdin: bytes | str | None = None,
          stdin_filename: str | None = None) -> CheckRun:
    """What ``fastlint check`` does before it reports: find the files under ``paths`` (Dockerfiles, and the
    YAML files the selected rules read), find each one's policy, lint them all in one run (the rules that batch
    work across files get all of them at once). ``shellcheck=False`` turns the external ShellCheck off unless
    ``select`` names it. Raises ``ConfigError`` for a bad configuration file; never for bad input files.

    ``profile``: ``fast`` or ``hadolint``, the profile of the built-in policy and of configuration files naming
    none (for a new run; a ``state`` passed in has its own). ``hadolint``: an ``engine.hadolint.Settings`` (hadolint's
    environment variables and command-line options) laid over each file's policy. A path ``-`` is standard
    input (``stdin``, when given, is its content), linted first when it comes first, else last, under the name
    ``stdin_filename`` (default ``-``), whose folder finds its configuration."""
    from .engine.discovery import Notes, discover
    from .engine.ids import unknown_message
    from .engine.pipeline import YAML_KINDS, active_entries, wants_kinds
    from .engine.pragmas import unknown_in_pragmas
    from .engine.registry import package_errors
    from .engine.runner import lint_paths

    state = state if state is not None else RunState(profile)
    sel = selection(select, ignore)
    explicit = os.fspath(config) if config is not None else None
    if explicit is not None:
        if not os.path.isfile(explicit):
            raise ConfigError("no such configuration file", str(explicit))
        state.policies.policy_for(explicit, explicit)  # fail early on a bad config file
    paths = list(paths)
    stdin_at = [i for i, p in enumerate(paths) if p == "-"]
    paths = [p for p in paths if p != "-"]
    notes = Notes()
    files, missing = discover(paths or ([] if stdin_at else ["."]), manifests=wants_kinds(sel, YAML_KINDS),
                              notes=notes)
    run = CheckRun(errors=list(missing))
    run.notes = notes
    entries = []
    thresholds: list[str] = []
    without: dict[int, Policy] = {}  # id(policy) -> the same policy without ShellCheck
    ran: dict[int, list[str]] = {}

    def policy_of(path: str) -> Policy:
        policy = state.policies.policy_for(path, explicit, no_config)
        if hadolint is not None:
            policy = hadolint.over(policy)
        if not shellcheck and policy.runs("shellcheck"):
            policy = without.get(id(policy)) or without.setdefault(id(policy), _without(policy, "shellcheck"))
        if id(policy) not in ran:
            active = active_entries(policy, sel)
            ran[id(policy)] = [e.code for e in active if not e.family]
            if policy.custom_rules is not None:
                custom = policy.custom_rules.classes or {}
                run.data_rules.update((e.code, e) for e in active if custom.get(e.code) is e)
            run.policies.append(policy)
        return policy

    stdin_entry = None
    if stdin_at:
        stdin_entry = (None, stdin_filename or "-", policy_of(stdin_filename or "Dockerfile"))
        if stdin_at[0] == 0:
            entries.append(stdin_entry)
    for path, display in files:
        entries.append((path, display, policy_of(path)))
    if stdin_entry is not None and stdin_at[0] != 0:
        entries.append(stdin_entry)
    for _, _, policy in entries:
        if policy.failure_threshold:
            thresholds.append(policy.failure_threshold)
    if entries:
        run.policy = entries[0][2]
    else:
        run.policy = state.policies.policy_for("Dockerfile", explicit, no_config)
        run.policy = hadolint.over(run.policy) if hadolint is not None else run.policy

    on_disk = iter(lint_paths([e for e in entries if e[0] is not None], sel, state))
    for path, display, policy in entries:
        result = next(on_disk) if path is not None else _lint_stdin(stdin, display, policy, sel, state)
        if result.error:
            run.errors.append(result.error)
            continue
        run.results.append(result)
        if result.df is not None and policy.allow_pragmas and "FL001" not in ran[id(policy)]:
            run.warnings += [f"{display}:{line}: {unknown_message(p)} in a pragma; it turns nothing off"
                             for line, p in unknown_in_pragmas(result.df, policy)]
    run.errors += package_errors()  # rule packages whose prefixes clash: an error, as a file that cannot be read
    run.threshold = thresholds[0] if thresholds else None
    run.rules = sorted({code for codes in ran.values() for code in codes})
    return run


def _lint_stdin(stdin: bytes | str | None, display: str, policy: Policy, sel: Selection,
                state: RunState) -> FileResult:
    """Standard input's result: read here unless given; bytes that are not text are its DL1000 finding."""
    from .engine.runner import decode, lint_text as lint

    if stdin is None:
        import sys

        stdin = sys.stdin.buffer.read()
    text, reason, line = (stdin, None, 0) if isinstance(stdin, str) else decode(stdin)
    if text is None:
        from .engine.registry import DL1000

        return FileResult(display, [Finding(DL1000[0], DL1000[1], reason, display, line, 1, line, 1)])
    return lint(text, display, policy, sel, state)


def _without(policy: Policy, program: str) -> Policy:
    import copy

    p = copy.copy(policy)
    p.externals = {**policy.externals, program: False}
    return p


def load_policy(path: str | Path) -> Policy:
    """Read a ``fastlint.yaml`` (raises ``ConfigError``)."""
    return load_config(path)


class RuleInfo:
    """A rule as ``fastlint rules`` lists it: ``code``, ``level``, ``message``, ``fix_safety``, ``source`` (where it
    comes from: ``fastlint``, a rule package's ``name version``, or the configuration file of a data rule), its
    ``rule`` (fastlint's own: its rule-index entry, nothing imported; else its class), and for a data rule its
    ``spec`` (``fastlint.datarules.read.DataRule``)."""

    def __init__(self, rule, source: str, spec=None):
        self.rule = rule
        self.code, self.level, self.message, self.fix_safety = rule.code, rule.level, rule.message, rule.fix_safety
        self.source = source
        self.spec = spec

    def to_dict(self) -> dict:
        return {"code": self.code, "level": self.level, "message": self.message,
                "fixable": self.fix_safety is not None, "fix": self.fix_safety, "source": self.source}


def rules(path: str | Path = ".", *, config: str | Path | None = None, no_config: bool = False,
          state: RunState | None = None) -> list[RuleInfo]:
    """Every rule, in code order: fastlint's (from the rule index: no rule module imported), every installed rule
    package's (they are loaded), and the data rules (``custom_rules``) of the configuration of the folder ``path``
    (or ``config``). Raises ``ConfigError``."""
    from .engine.index import rules as own
    from .engine.registry import package_of, package_rules_wanted

    out = [RuleInfo(info, "fastlint") for info in own().values()]
    for cls in package_rules_wanted().values():
        pkg = package_of(cls)
        out.append(RuleInfo(cls, pkg.label if pkg is not None else "fastlint"))
    policy = policy_for(os.path.join(os.fspath(path), "Dockerfile"), config=config, no_config=no_config,
                        state=state)
    custom = policy.custom_rules
    if custom is not None:
        from .datarules.checks import rule_classes

        classes = rule_classes(policy)
        out += [RuleInfo(classes[spec.code], custom.source, spec) for spec in custom.rules]
    return sorted(out, key=lambda r: r.code)


def rule_docs(code: str, path: str | Path = ".", *, config: str | Path | None = None, no_config: bool = False,
              state: RunState | None = None) -> str | None:
    """What ``fastlint rule CODE`` prints: the rule's catalogue page (fastlint's or its package's) without the
    cases, with its level, fix and where it comes from; a data rule's definition; None for an unknown code. The
    code is the rule's ID or name in any case (``dl3006``, ``stagenamecasing``); a code of a family rule
    (ShellCheck's ``SC2086``) gives a link to its own docs, then the family's page. Raises ``ConfigError``."""
    from .catalogue import load, page
    from .engine.ids import canonical
    from .engine.index import owner, rules as own

    wanted = canonical(code)
    info = next((i for c, i in own().items() if canonical(c) == wanted), None)
    if info is not None:
        return _rule_page(RuleInfo(info, "fastlint"), load(info.code))
    family = owner(wanted)
    if family is not None and family.family:
        lead = (f"{wanted} is one of the codes of {family.code} ({family.message}); its own docs: "
                f"{family.docs_url.format(code=wanted)}\n\n")
        return lead + _rule_page(RuleInfo(family, "fastlint"), load(family.code))
    found = next((r for r in rules(path, config=config, no_config=no_config, state=state)
                  if canonical(r.code) == wanted), None)
    if found is None:
        return None
    return _rule_page(found, page(found.code) if found.spec is None else None)


def _rule_page(info: RuleInfo, doc) -> str:
    facts = f"Level: {info.level} · Fix: {info.fix_safety or 'no fix'}"
    if info.source != "fastlint":
        facts += f" · From: {info.source}"
    if doc is not None:
        return doc.docs_text().replace("\n", f"\n\n{facts}\n", 1)
    body = f"# {info.code}: {info.message}\n\n{facts}\n"
    if info.spec is not None:  # a data rule: what it checks, where it is written
        body += f"\nA data rule ({info.spec.kind}) written at {info.spec.source}:{info.spec.line}.\n"
        if info.spec.description:
            body += f"\n{info.spec.description.strip()}\n"
    else:
        body += "\n(no docs in the catalogue yet)\n"
    return body
