"""Code actions: a finding's fix, fix all safe findings of the file, and pragmas that ignore a rule.

* Quick fix (``quickfix``) per finding with a fix: its edits, as the rule made them. A safe fix is the preferred
  action; an unsafe one says "(unsafe)" in its title (``fastlint fix`` applies it only with ``--unsafe-fixes``).
* Fix all (``source.fixAll.fastlint``): what ``fastlint fix --no-template`` makes of the file (the fix loop:
  safe fixes, applied until the file settles), as one edit.
* Rewrite from the template (``source.fastlint.template``), offered when the file breaks the 4-stage structure
  (an FL1xx finding): what ``fastlint fix`` makes of it (the fix loop, then the template migration, which reads
  the service's ``package.json``); disabled, with the reason, when there is no ``package.json`` beside the file.
  Both compute their edit when chosen (``codeAction/resolve``) where the client can ask for that.
* Ignore (``quickfix``): ``# fastlint: ignore=ID`` on the comment lines above the finding's instruction (a
  Dockerfile) or line (a YAML file), added to such a pragma when there is one; ``# fastlint: global ignore=ID``
  for the whole file (after a Dockerfile's parser directives). These are the pragmas the engine reads
  (``engine/pragmas.py``).

Edits are made on the text that was linted, which is the document's current version (the server checks), with
the version named in the edit when the client takes ``documentChanges``.
"""

from __future__ import annotations

import re
from pathlib import Path

from lsprotocol import types

from ..engine.pragmas import ignore_list_in, prefixes_of
from ..engine.rule import Edit, Finding
from .diagnostics import diagnostic, finding_range
from .documents import Document
from .linting import Result
from .positions import LineIndex

FIX_ALL = "source.fixAll.fastlint"
TEMPLATE = "source.fastlint.template"
KINDS = [types.CodeActionKind.QuickFix, FIX_ALL, TEMPLATE]
TITLES = {FIX_ALL: "fastlint: fix all safe findings",
          TEMPLATE: "fastlint: fix and rewrite from the 4-stage template (fastlint fix)"}


class Client:
    """What the client can take in a workspace edit."""

    def __init__(self, capabilities: types.ClientCapabilities | None):
        edit = capabilities.workspace.workspace_edit if capabilities and capabilities.workspace else None
        self.document_changes = bool(edit and edit.document_changes)
        ops = (edit.resource_operations or []) if edit else []
        self.create_files = self.document_changes and types.ResourceOperationKind.Create in ops
        action = capabilities.text_document.code_action if capabilities and capabilities.text_document else None
        resolve = action.resolve_support if action else None
        self.resolves_edits = bool(resolve and "edit" in resolve.properties)  # codeAction/resolve fills the edit


def wanted(kind: str, only) -> bool:
    """Whether the request's ``only`` asks for actions of this kind (kinds are hierarchical: ``source`` asks for
    ``source.fixAll.fastlint``)."""
    return not only or any(kind == o or kind.startswith(f"{o}.") for o in only)


def overlaps(a: types.Range, b: types.Range) -> bool:
    def key(p: types.Position):
        return p.line, p.character

    return key(a.start) <= key(b.end) and key(b.start) <= key(a.end)


def finding_actions(doc: Document, result: Result, rng: types.Range, only, client: Client,
                    encoding: str) -> list[types.CodeAction]:
    """The quick fixes and ignore actions of the findings in ``rng``."""
    index = LineIndex(result.text, encoding)
    actions: list[types.CodeAction] = []
    ignores: dict[str, types.CodeAction] = {}
    for f in result.findings:
        if f.file != result.name or not overlaps(finding_range(f, index, result.kind), rng):
            continue
        diag = diagnostic(f, index, result.kind)
        if f.fix is not None and wanted(types.CodeActionKind.QuickFix, only):
            edit = workspace_edit(doc, result, index, f.fix.edits, client)
            if edit is not None:
                unsafe = f.fix.safety != "safe"
                title = f"{f.code}: {f.fix.description or 'fix: ' + f.message}" + (" (unsafe)" if unsafe else "")
                actions.append(types.CodeAction(title=title, kind=types.CodeActionKind.QuickFix, diagnostics=[diag],
                                                is_preferred=not unsafe, edit=edit))
        if f.code == "DL1000" or not wanted(types.CodeActionKind.QuickFix, only):
            continue
        for title, edit in ignore_edits(result, f):
            if title in ignores:
                ignores[title].diagnostics.append(diag)
                continue
            ignores[title] = types.CodeAction(title=title, kind=types.CodeActionKind.QuickFix, diagnostics=[diag],
                                              edit=workspace_edit(doc, result, index, [edit], client))
    return actions + list(ignores.values())


def file_actions(doc: Document, result: Result, only) -> list[types.CodeAction]:
    """The actions on the whole file that are wanted and may apply, without their edit (``resolve_file_action``
    makes it): fix all, when a finding has a safe fix; the template rewrite, when the structure is broken."""
    if result.kind != "dockerfile":
        return []
    out = []
    data = {"uri": doc.uri, "version": result.version}
    if wanted(FIX_ALL, only) and any(f.fix is not None and f.fix.safety == "safe" for f in result.findings):
        out.append(types.CodeAction(title=TITLES[FIX_ALL], kind=FIX_ALL, data=data))
    if wanted(TEMPLATE, only) and any(f.code.startswith("FL1") for f in result.findings):
        action = types.CodeAction(title=TITLES[TEMPLATE], kind=TEMPLATE, data=data)
        if not (Path(result.name).parent / "package.json").is_file():
            action.disabled = types.CodeActionDisabled(
                reason="the template needs the service's package.json beside the Dockerfile")
        out.append(action)
    return out


def resolve_file_action(action: types.CodeAction, doc: Document, result: Result, outcome, client: Client,
                        encoding: str) -> types.CodeAction:
    """The action with its edit: ``outcome`` (a ``FixOutcome`` of the same text) as one edit of the file, and of
    the other files it changes. An outcome that changes nothing leaves the action without an edit; a template
    rewrite that could not be made disables it with the reason."""
    if outcome is None or outcome.error:
        return action
    if action.kind == TEMPLATE and outcome.rewrite is None:
        action.disabled = types.CodeActionDisabled(reason=outcome.rewrite_error or outcome.rewrite_failed or
                                                   "the template rewrite does not apply")
        return action
    if not outcome.changed:
        return action
    edits = [replacement(result.text, outcome.text)] if outcome.text != result.text else []
    for path, new in outcome.other_files.items():
        edits.append(Edit(0, len(_read(path) or ""), new, path))
    action.edit = workspace_edit(doc, result, LineIndex(result.text, encoding), edits, client)
    return action


def replacement(old: str, new: str) -> Edit:
    """One edit that turns ``old`` into ``new``: what lies between their common start and common end (never
    between the two characters of a ``\r\n``, which have no LSP position between them)."""
    start = 0
    limit = min(len(old), len(new))
    while start < limit and old[start] == new[start]:
        start += 1
    if old[start - 1:start + 1] == "\r\n":
        start -= 1
    end = 0
    while end < limit - start and old[len(old) - 1 - end] == new[len(new) - 1 - end]:
        end += 1
    if end and old[len(old) - end - 1:len(old) - end + 1] == "\r\n":
        end -= 1
    return Edit(start, len(old) - end, new[start:len(new) - end])


# -- workspace edits -----------------------------------------------------------------------------------------------
def _read(path: str) -> str | None:
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def text_edits(index: LineIndex, edits: list[Edit]) -> list[types.TextEdit]:
    out = []
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        start, end = index.position(e.start), index.position(e.end)
        out.append(types.TextEdit(range=types.Range(types.Position(*start), types.Position(*end)), new_text=e.text))
    return out


def workspace_edit(doc: Document, result: Result, index: LineIndex, edits: list[Edit],
                   client: Client) -> types.WorkspaceEdit | None:
    """The edits as a workspace edit: the document's, and other files' (FL404's ``.dockerignore``: changed, or
    created when missing). None when the client cannot take them (creating a file needs ``documentChanges``)."""
    own = [e for e in edits if e.path is None]
    others: dict[str, list[Edit]] = {}
    for e in edits:
        if e.path is not None:
            others.setdefault(str(Path(e.path).resolve()), []).append(e)
    if not client.document_changes:
        if any(_read(p) is None for p in others):
            return None
        changes = {doc.uri: text_edits(index, own)} if own else {}
        for p, es in others.items():
            changes[Path(p).as_uri()] = text_edits(LineIndex(_read(p), index.encoding), es)
        return types.WorkspaceEdit(changes=changes)
    parts: list = []
    if own:
        parts.append(types.TextDocumentEdit(
            text_document=types.OptionalVersionedTextDocumentIdentifier(uri=doc.uri, version=result.version),
            edits=text_edits(index, own)))
    for p, es in others.items():
        uri, text = Path(p).as_uri(), _read(p)
        if text is None:
            if not client.create_files:
                return None
            parts.append(types.CreateFile(uri=uri, options=types.CreateFileOptions(ignore_if_exists=True)))
            text = ""
        parts.append(types.TextDocumentEdit(
            text_document=types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=None),
            edits=text_edits(LineIndex(text, index.encoding), es)))
    return types.WorkspaceEdit(document_changes=parts)


# -- ignore pragmas ------------------------------------------------------------------------------------------------
def ignore_edits(result: Result, f: Finding) -> list[tuple[str, Edit]]:
    """(title, edit) of the pragmas that turn ``f``'s rule off: here, and in the whole file."""
    out = []
    if result.kind == "dockerfile":
        here = _dockerfile_line_pragma(result, f)
        if here is not None:
            out.append((f"Ignore {f.code} for this instruction (# fastlint: ignore={f.code})", here))
    elif f.line:
        out.append((f"Ignore {f.code} on this line (# fastlint: ignore={f.code})", _yaml_line_pragma(result, f)))
    out.append((f"Ignore {f.code} in this file (# fastlint: global ignore={f.code})", _global_pragma(result, f)))
    return out


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line, line break excluded (lines split at ``\\n``, as fastlint counts them)."""
    out, start = [], 0
    for line in text.split("\n"):
        end = start + len(line)
        out.append((start, end - 1 if line.endswith("\r") else end))
        start = end + 1
    return out


def _fastlint_ignore(text: str, start: int, end: int, scope: str, prefixes: tuple[str, ...] = ()):
    """Where the list of a ``# fastlint: [global] ignore=`` pragma in the comment line ``text[start:end]`` ends
    (an offset of ``text``), else None (no such pragma; hadolint's own pragmas are left as they are)."""
    line = text[start:end]
    comment = line.lstrip()
    if not comment.startswith("#") or not comment[1:].lstrip().lower().startswith("fastlint"):
        return None
    found = ignore_list_in(line, prefixes)
    if found is None or found[0].scope != scope:
        return None
    return start + found[2]


def _append(text: str, start: int, end: int, code: str, scope: str = "", prefixes: tuple[str, ...] = ()) -> Edit | None:
    """An edit adding ``code`` to the ignore list of the fastlint pragma on the line ``text[start:end]``
    (``prefixes``: the document's policy's rule prefixes, ``pragmas.prefixes_of``)."""
    at = _fastlint_ignore(text, start, end, scope, prefixes)
    return None if at is None else Edit(at, at, f",{code}")


def _insert_line(text: str, at: int, indent: str, pragma: str) -> Edit:
    eol = "\r\n" if "\r\n" in text[at:text.find("\n", at) + 1 or len(text)] else "\n"
    return Edit(at, at, f"{indent}# fastlint: {pragma}{eol}")


def _dockerfile_line_pragma(result: Result, f: Finding) -> Edit | None:
    """Above the instruction the finding is in (a pragma applies to the whole next instruction)."""
    df, text = result.df, result.text
    ins = next((i for i in df.instructions if i.start <= f.start < max(i.end, i.start + 1)), None)
    if ins is None:
        return None
    by_line = {c.line: c for c in df.comments if not c.inside}
    lines = _lines(text)
    line = ins.line - 1
    while line in by_line:  # the comment block directly above: a fastlint ignore pragma there takes the code too
        edit = _append(text, *lines[line - 1], f.code, prefixes=prefixes_of(result.policy))
        if edit is not None:
            return edit
        line -= 1
    start = lines[ins.line - 1][0]
    indent = re.match(r"[ \t]*", text[start:]).group(0)
    return _insert_line(text, start, indent, f"ignore={f.code}")


def _yaml_line_pragma(result: Result, f: Finding) -> Edit:
    """On the comment line above the finding's line (the engine's reading of YAML pragmas)."""
    text = result.text
    lines = _lines(text)
    n = min(f.line, len(lines)) - 1
    if n > 0:
        edit = _append(text, *lines[n - 1], f.code, prefixes=prefixes_of(result.policy))
        if edit is not None:
            return edit
    start = lines[n][0]
    indent = re.match(r"[ \t]*", text[start:]).group(0)
    return _insert_line(text, start, indent, f"ignore={f.code}")


def _global_pragma(result: Result, f: Finding) -> Edit:
    text = result.text
    lines = _lines(text)
    for start, end in lines:  # an existing '# fastlint: global ignore=' takes the code
        edit = _append(text, start, end, f.code, "global", prefixes_of(result.policy))
        if edit is not None:
            return edit
    at = 0
    if result.kind == "dockerfile" and result.df is not None and result.df.directives:
        last = max(d.line for d in result.df.directives)  # after the parser directives, which must stay first
        at = lines[last][0] if last < len(lines) else len(text)
        if at == len(text) and not text.endswith("\n"):
            return Edit(at, at, f"\n# fastlint: global ignore={f.code}\n")
    return _insert_line(text, at, "", f"global ignore={f.code}")
