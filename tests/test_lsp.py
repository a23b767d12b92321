"""`fastlint lsp` driven as an editor drives it: the real server process (`python -m fastlint lsp`) and a real LSP
client (pytest-lsp's, on pygls) over stdio. Open, change, diagnostics (codes, ranges in UTF-16, links, severity
from the policy), code actions applied to the text and compared with what `fastlint fix` writes, ignore pragmas
the engine then reads, hover, configuration reload, a file that does not parse, YAML files, shutdown."""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pygls")
pytest_lsp = pytest.importorskip("pytest_lsp")

from lsprotocol import types  # noqa: E402
from pygls.protocol import default_converter  # noqa: E402
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, LanguageClient, register_lsp_features  # noqa: E402

from conftest import ROOT, corpus_files  # noqa: E402

TIMEOUT = 30  # seconds: a bound for a busy machine, not a measurement


# -- the client ------------------------------------------------------------------------------------------------------
class Editor:
    """A client session with a running server: documents it opened, and every publishDiagnostics it received."""

    def __init__(self, root: Path, options: dict | None = None, capabilities: types.ClientCapabilities | None = None):
        self.root = root
        self.options = {"shellcheck": False, **(options or {})}
        self.capabilities = capabilities or pytest_lsp.client_capabilities("visual-studio-code")
        self.published: list[tuple[str, int | None, list[types.Diagnostic]]] = []
        self.registrations: list[types.Registration] = []
        self.texts: dict[str, str] = {}
        self.versions: dict[str, int] = {}
        self._event = asyncio.Event()

    async def __aenter__(self) -> Editor:
        client = LanguageClient(converter_factory=default_converter)
        features = {k: v for k, v in DEFAULT_CLIENT_FEATURES.items()
                    if k != types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS}
        register_lsp_features(client, features)

        @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def on_publish(params: types.PublishDiagnosticsParams):
            self.published.append((params.uri, params.version, list(params.diagnostics)))
            self._event.set()

        @client.feature(types.CLIENT_REGISTER_CAPABILITY)
        def on_register(params: types.RegistrationParams):
            self.registrations += params.registrations

        await client.start_io(sys.executable, "-m", "fastlint", "lsp")
        self.client = client
        self.init = await client.initialize_session(types.InitializeParams(
            capabilities=self.capabilities, root_uri=self.root.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=self.root.as_uri(), name="w")],
            initialization_options=self.options))
        return self

    async def __aexit__(self, *exc) -> None:
        await self.client.shutdown_session()
        await self.client.stop()

    # documents
    def uri(self, name: str) -> str:
        return (self.root / name).as_uri()

    def open(self, name: str, text: str, language_id: str = "dockerfile") -> str:
        uri = self.uri(name)
        self.texts[uri], self.versions[uri] = text, 1
        self.client.text_document_did_open(types.DidOpenTextDocumentParams(
            types.TextDocumentItem(uri=uri, language_id=language_id, version=1, text=text)))
        return uri

    def replace(self, uri: str, text: str) -> int:
        """Send the whole new text as one incremental change of the whole old text."""
        old = self.texts[uri]
        end = end_position(old)
        return self.change(uri, [types.TextDocumentContentChangePartial(
            range=types.Range(types.Position(0, 0), end), text=text)], text)

    def change(self, uri: str, changes: list, expected_text: str) -> int:
        self.versions[uri] += 1
        self.texts[uri] = expected_text
        self.client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=self.versions[uri]),
            content_changes=changes))
        return self.versions[uri]

    # what the server says
    async def diagnostics(self, uri: str, version: int | None = None, until=None) -> list[types.Diagnostic]:
        """The diagnostics of the first publish for ``uri`` (of ``version``, when given) that ``until`` accepts."""
        seen = 0

        async def wait():
            nonlocal seen
            while True:
                for u, v, diags in self.published[seen:]:
                    seen += 1
                    if u == uri and (version is None or v == version) and (until is None or until(diags)):
                        return diags
                self._event.clear()
                await self._event.wait()

        return await asyncio.wait_for(wait(), TIMEOUT)

    async def actions(self, uri: str, rng: types.Range | None = None, only=None) -> list[types.CodeAction]:
        rng = rng or types.Range(types.Position(0, 0), end_position(self.texts[uri]))
        found = await self.client.text_document_code_action_async(types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri), range=rng,
            context=types.CodeActionContext(diagnostics=[], only=only)))
        return found or []

    async def resolve(self, action: types.CodeAction) -> types.CodeAction:
        return await self.client.code_action_resolve_async(action)

    async def hover(self, uri: str, line: int, character: int) -> types.Hover | None:
        return await self.client.text_document_hover_async(types.HoverParams(
            types.TextDocumentIdentifier(uri), types.Position(line, character)))


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, 120))


# -- LSP positions, computed here independently of the server (UTF-16 code units, lines split at \n) ----------------
def utf16(s: str) -> int:
    return len(s.encode("utf-16-le")) // 2


def position_of(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset)
    start = text.rfind("\n", 0, offset) + 1
    return line, utf16(text[start:offset])


def offset_of(text: str, pos: types.Position) -> int:
    lines = text.split("\n")
    start = sum(len(l) + 1 for l in lines[:pos.line])
    units = lines[pos.line].encode("utf-16-le")[:2 * pos.character].decode("utf-16-le")
    return start + len(units)


def end_position(text: str) -> types.Position:
    return types.Position(*position_of(text, len(text)))


def apply_text_edits(text: str, edits: list[types.TextEdit]) -> str:
    spans = sorted(((offset_of(text, e.range.start), offset_of(text, e.range.end), e.new_text) for e in edits),
                   reverse=True)
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text


def apply_workspace_edit(edit: types.WorkspaceEdit, texts: dict[str, str]) -> dict[str, str]:
    """The texts by URI after the edit (of ``texts``, else of the files on disk; a file it creates starts empty)."""
    out = dict(texts)

    def text_of(uri: str) -> str:
        if uri not in out:
            out[uri] = Path(uri.removeprefix("file://")).read_text(encoding="utf-8")
        return out[uri]

    for part in edit.document_changes or []:
        if isinstance(part, types.CreateFile):
            assert not Path(part.uri.removeprefix("file://")).exists()
            out.setdefault(part.uri, "")
        else:
            out[part.text_document.uri] = apply_text_edits(text_of(part.text_document.uri), part.edits)
    for uri, edits in (edit.changes or {}).items():
        out[uri] = apply_text_edits(text_of(uri), edits)
    return out


def codes(diags) -> list[str]:
    return [d.code for d in diags]


def fastlint(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "fastlint", *args], capture_output=True, text=True, cwd=cwd)


# -- diagnostics -------------------------------------------------------------------------------------------------------
UNICODE = ('FROM ubuntu:22.04\n'
           'LABEL description="café ☕ and 😀"\n'
           'RUN echo "😀 naïve" && apt-get update && apt-get install -y curl\n'
           'WORKDIR app\n')


def test_open_gives_the_diagnostics_check_gives_with_utf16_ranges_codes_links_and_levels(tmp_path):
    svc = tmp_path / "web"
    svc.mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / "fastlint.yaml").write_text("rules:\n  severity: {DL3008: error, DL3009: style}\n")
    (svc / "Dockerfile").write_text(UNICODE, encoding="utf-8")
    cli = json.loads(fastlint("check", "--no-shellcheck", "--format", "json", str(svc / "Dockerfile")).stdout)

    async def scenario():
        async with Editor(tmp_path) as ed:
            uri = ed.open("web/Dockerfile", UNICODE)
            return await ed.diagnostics(uri, 1)

    diags = run(scenario())
    assert codes(diags) == [f["code"] for f in cli] and "DL3008" in codes(diags)
    lines = UNICODE.split("\n")
    for d, f in zip(diags, cli):
        # fastlint's 1-based columns count code points; LSP's characters are 0-based UTF-16 units
        line = lines[f["line"] - 1]
        assert (d.range.start.line, d.range.start.character) == (f["line"] - 1, utf16(line[:f["column"] - 1]))
        end_line = lines[f["end_line"] - 1]
        assert (d.range.end.line, d.range.end.character) == (f["end_line"] - 1, utf16(end_line[:f["end_column"] - 1]))
        assert d.message == f["message"] and d.source == "fastlint"
        assert d.code_description.href.endswith(f"/rules/{f['code']}.md")
    by_code = {d.code: d for d in diags}
    # after the emoji (two UTF-16 units) and the ï, 'curl' starts where UTF-16 says
    curl = lines[2].index("curl")
    assert by_code["DL3008"].range.start == types.Position(2, curl + 1) and curl == utf16(lines[2][:curl]) - 1
    assert by_code["DL3008"].severity == types.DiagnosticSeverity.Error  # the policy's level, not the rule's
    assert by_code["DL3009"].severity == types.DiagnosticSeverity.Hint  # style
    assert by_code["DL3000"].severity == types.DiagnosticSeverity.Error


def test_utf8_positions_when_the_client_asks_for_them(tmp_path):
    caps = pytest_lsp.client_capabilities("visual-studio-code")
    caps.general = types.GeneralClientCapabilities(position_encodings=[types.PositionEncodingKind.Utf8])

    async def scenario():
        async with Editor(tmp_path, capabilities=caps) as ed:
            assert ed.init.capabilities.position_encoding == types.PositionEncodingKind.Utf8
            uri = ed.open("Dockerfile", UNICODE)
            return await ed.diagnostics(uri, 1)

    d = next(d for d in run(scenario()) if d.code == "DL3008")
    line = UNICODE.split("\n")[2]
    assert d.range.start.character == len(line[:line.index("curl")].encode("utf-8"))


def test_changes_are_debounced_and_the_last_version_wins(tmp_path):
    base = "FROM node:20-alpine\nRUN apk add curl\n"

    async def scenario():
        async with Editor(tmp_path, {"debounce": 50}) as ed:
            uri = ed.open("Dockerfile", base)
            await ed.diagnostics(uri, 1)
            n = len(ed.published)
            text = base
            for i in range(20):  # typing 'RUN apk add git' at the end, one character at a time, no pause
                ch = "RUN apk add git\n"[i % 16] if i < 16 else "#"
                at = end_position(text)
                text += ch
                version = ed.change(uri, [types.TextDocumentContentChangePartial(range=types.Range(at, at), text=ch)],
                                    text)
            diags = await ed.diagnostics(uri, version)
            await asyncio.sleep(0.3)  # nothing older may come after it
            return diags, ed.published[n:], version

    diags, after, last = run(scenario())
    assert [v for _, v, _ in after] == [last], "only the last version is published"
    assert [d.range.start.line for d in diags if d.code == "DL3019"] == [1, 2]  # the text as typed, incrementally


def test_shellcheck_findings_come_later_and_stay_while_other_lines_change(tmp_path):
    text = "FROM node:20-alpine\nRUN cd /app && echo $name\nEXPOSE 3000\n"

    async def scenario():
        async with Editor(tmp_path, {"shellcheck": True, "shellcheckDelay": 0}) as ed:
            uri = ed.open("Dockerfile", text)
            first = await ed.diagnostics(uri, 1)
            second = await ed.diagnostics(uri, 1, until=lambda ds: any(str(d.code).startswith("SC") for d in ds))
            # a new line above the RUN: its ShellCheck findings move down with it at once (before ShellCheck reruns)
            moved = "FROM node:20-alpine\nENV A=1\nRUN cd /app && echo $name\nEXPOSE 3000\n"
            version = ed.replace(uri, moved)
            fast = await ed.diagnostics(uri, version)
            return first, second, fast

    first, second, fast = run(scenario())
    assert not any(str(d.code).startswith("SC") for d in first)
    sc = [d for d in second if str(d.code).startswith("SC")]
    assert {d.code for d in sc} >= {"SC2154"} and all(d.range.start.line == 1 for d in sc)
    assert sc[0].code_description.href == f"https://www.shellcheck.net/wiki/{sc[0].code}"
    assert [(d.code, d.range.start.line) for d in fast if str(d.code).startswith("SC")] == \
        [(d.code, 2) for d in sc]


def test_every_dockerfile_name_and_the_yaml_files_fastlint_lints(tmp_path):
    deployment = ("apiVersion: apps/v1\nkind: Deployment\n# réplica ☕\nspec:\n  template:\n    spec:\n"
                  "      containers:\n      - name: web\n        image: \"registry.example.com/wéb:latest\"\n")
    workflow = ("on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    container: node\n    steps:\n"
                "      - run: docker run --rm redis:latest true\n")

    async def scenario():
        async with Editor(tmp_path) as ed:
            got = {}
            for name in ("Containerfile", "web.Dockerfile", "Dockerfile.prod", "x/build.dockerfile"):
                got[name] = await ed.diagnostics(ed.open(name, "FROM ubuntu\n"), 1)
            got["notes.txt"] = await ed.diagnostics(ed.open("notes.txt", "FROM ubuntu\n", "plaintext"), 1)
            got["any name, languageId dockerfile"] = await ed.diagnostics(ed.open("build.docker", "FROM ubuntu\n"), 1)
            got["deploy.yaml"] = await ed.diagnostics(ed.open("k8s/deploy.yaml", deployment, "yaml"), 1)
            got["broken.yaml"] = await ed.diagnostics(
                ed.open("k8s/broken.yaml", "apiVersion: v1\nkind: Pod\nspec: [\n", "yaml"), 1)
            got["values.yaml"] = await ed.diagnostics(ed.open("values.yaml", "replicas: 2\n", "yaml"), 1)
            got["workflow"] = await ed.diagnostics(ed.open(".github/workflows/ci.yml", workflow, "yaml"), 1)
            return got

    got = run(scenario())
    for name in ("Containerfile", "web.Dockerfile", "Dockerfile.prod", "x/build.dockerfile",
                 "any name, languageId dockerfile"):
        assert "DL3006" in codes(got[name]), name
    assert got["notes.txt"] == [] and got["values.yaml"] == []
    fl703 = next(d for d in got["deploy.yaml"] if d.code == "FL703")
    line = deployment.split("\n")[8]
    start = line.index('"registry')
    assert fl703.range.start == types.Position(8, utf16(line[:start]))
    assert fl703.range.end == types.Position(8, utf16(line))
    [broken] = got["broken.yaml"]
    assert broken.severity == types.DiagnosticSeverity.Error and "invalid YAML" in broken.message
    assert broken.range.start.line == 3
    assert [(d.code, d.range.start.line) for d in got["workflow"]] == [("FL703", 4), ("FL703", 6)]


def test_a_file_that_does_not_parse_is_one_dl1000_at_its_line_and_the_server_stays_up(tmp_path):
    bad = "FROM alpine\nRUN echo ok\nRUN [\"a\", 1]\n"

    async def scenario():
        async with Editor(tmp_path) as ed:
            uri = ed.open("Dockerfile", bad)
            broken = await ed.diagnostics(uri, 1)
            acts = await ed.actions(uri)
            good = await ed.diagnostics(uri, ed.replace(uri, "FROM alpine\nRUN apk add curl\n"))
            hover = await ed.hover(uri, 1, 13)
            return broken, acts, good, hover

    broken, acts, good, hover = run(scenario())
    assert codes(broken) == ["DL1000"] and broken[0].range.start.line == 2
    assert broken[0].severity == types.DiagnosticSeverity.Error
    assert acts == []  # no fix and no pragma for a file no rule ran on
    assert "DL3019" in codes(good) and hover is not None


# -- code actions ------------------------------------------------------------------------------------------------------
def service_copies(tmp_path: Path) -> list[Path]:
    """The ten fixture services and some corpus files, each in a folder of its own (the service's name)."""
    root = tmp_path / "services"
    shutil.copytree(ROOT / "fixtures" / "services", root)
    files = sorted(root.glob("*/Dockerfile"))
    accepted = [p for p in corpus_files() if "testfiles-negative" not in p.name]  # not those BuildKit rejects
    for i, src in enumerate(accepted[::40]):  # real Dockerfiles nobody wrote for fastlint
        d = tmp_path / "corpus" / f"c{i}"
        d.mkdir(parents=True)
        shutil.copyfile(src, d / "Dockerfile")  # the corpus is read-only
        files.append(d / "Dockerfile")
    (tmp_path / ".git").mkdir()
    return files


def whole_file_actions(tmp_path: Path, files: list[Path], kind: str, capabilities=None) -> dict[Path, list]:
    """The actions of ``kind`` for each file, opened in one session, resolved (their edit filled in)."""
    async def scenario():
        out = {}
        async with Editor(tmp_path, capabilities=capabilities) as ed:
            for f in files:
                uri = ed.open(str(f.relative_to(tmp_path)), f.read_text(encoding="utf-8"))
                await ed.diagnostics(uri, 1)
                acts = await ed.actions(uri, only=[kind])
                out[f] = [await ed.resolve(a) if a.edit is None and a.disabled is None else a for a in acts]
        return out

    return run(scenario())


def what_fix_writes(tmp_path: Path, files: list[Path], *options: str) -> Path:
    """A copy of the files' folders after ``fastlint fix OPTIONS FILES`` there."""
    expected = tmp_path / "expected"
    for part in ("services", "corpus"):
        if (tmp_path / part).exists():
            shutil.copytree(tmp_path / part, expected / part)
    (expected / ".git").mkdir()
    fixed = fastlint("fix", *options, *(str(f.relative_to(tmp_path)) for f in files), cwd=expected)
    assert fixed.returncode in (0, 1), fixed.stderr
    return expected


def check_against_fix(tmp_path: Path, files: list[Path], actions: dict, expected: Path, kind: str) -> int:
    """Each file's action, applied to its text, gives what fix wrote (the file and the others it wrote, such as
    FL404's .dockerignore); a file fix leaves alone has no action that changes it. Returns how many changed."""
    changed = 0
    for f in files:
        rel = f.relative_to(tmp_path)
        text, want = f.read_text(encoding="utf-8"), (expected / rel).read_text(encoding="utf-8")
        acts = actions[f]
        assert all(a.kind == kind for a in acts), rel
        if want == text:
            assert all(a.edit is None for a in acts), rel
            continue
        [action] = acts
        after = apply_workspace_edit(action.edit, {f.as_uri(): text})
        assert after.pop(f.as_uri()) == want, rel
        for uri, other in after.items():
            path = Path(uri.removeprefix("file://"))
            assert (expected / path.relative_to(tmp_path)).read_text(encoding="utf-8") == other, path
        changed += 1
    return changed


def test_fix_all_gives_what_fastlint_fix_no_template_writes(tmp_path):
    files = service_copies(tmp_path)
    assert len(files) >= 10
    actions = whole_file_actions(tmp_path, files, types.CodeActionKind.SourceFixAll)
    expected = what_fix_writes(tmp_path, files, "--no-template")
    assert check_against_fix(tmp_path, files, actions, expected, "source.fixAll.fastlint") >= 5


def test_fix_all_without_resolve_support_comes_with_its_edit(tmp_path):
    files = service_copies(tmp_path)[:3]
    caps = pytest_lsp.client_capabilities("visual-studio-code")
    caps.text_document.code_action.resolve_support = None
    actions = whole_file_actions(tmp_path, files, types.CodeActionKind.SourceFixAll, caps)
    assert all(a.edit is not None for acts in actions.values() for a in acts)
    expected = what_fix_writes(tmp_path, files, "--no-template")
    assert check_against_fix(tmp_path, files, actions, expected, "source.fixAll.fastlint") == 3


def test_the_template_action_gives_what_fastlint_fix_writes(tmp_path):
    files = [f for f in service_copies(tmp_path) if "services" in f.parts]
    actions = whole_file_actions(tmp_path, files, "source.fastlint.template")
    expected = what_fix_writes(tmp_path, files)  # the default: the fix loop, then the template rewrite
    for f in files:  # fix keeps the original beside it; the editor has undo instead
        assert (expected / f.relative_to(tmp_path)).with_name("Dockerfile.backup").is_file()
    assert check_against_fix(tmp_path, files, actions, expected, "source.fastlint.template") == 10
    # without a package.json beside the file the template cannot be filled in: the action says why
    lone = tmp_path / "lone" / "Dockerfile"
    lone.parent.mkdir()
    lone.write_text("FROM node:18\nCOPY . .\nRUN npm install\nCMD node index.js\n")
    [action] = whole_file_actions(tmp_path, [lone], "source.fastlint.template")[lone]
    assert action.edit is None and "package.json" in action.disabled.reason


QUICK = ("FROM node:20-alpine\n"
         "RUN apt-get update && apt-get install curl\n"
         "MAINTAINER me <me@example.com>\n")


def test_quick_fixes_are_the_rules_fixes_safe_preferred_unsafe_labelled(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "Dockerfile").write_text(QUICK)

    async def scenario():
        async with Editor(tmp_path) as ed:
            uri = ed.open("Dockerfile", QUICK)
            await ed.diagnostics(uri, 1)
            on_run = await ed.actions(uri, types.Range(types.Position(1, 30), types.Position(1, 30)),
                                      only=[types.CodeActionKind.QuickFix])
            on_maintainer = await ed.actions(uri, types.Range(types.Position(2, 0), types.Position(2, 3)))
            return uri, on_run, on_maintainer

    uri, on_run, on_maintainer = run(scenario())
    fixes = {a.title.split(":")[0]: a for a in on_run if not a.title.startswith("Ignore")}
    assert fixes["DL3014"].is_preferred and not fixes["DL3014"].title.endswith("(unsafe)")
    assert fixes["DL3015"].title.endswith("(unsafe)") and not fixes["DL3015"].is_preferred
    assert [d.code for d in fixes["DL3014"].diagnostics] == ["DL3014"]
    # a quick fix's edit is the rule's fix: what `fastlint fix --select CODE` writes
    for code, extra in (("DL3014", ()), ("DL3015", ("--unsafe-fixes",))):
        (tmp_path / "Dockerfile").write_text(QUICK)
        assert fastlint("fix", "--no-template", "--select", code, *extra, "Dockerfile", cwd=tmp_path).returncode in (0, 1)
        after = apply_workspace_edit(fixes[code].edit, {uri: QUICK})[uri]
        assert after == (tmp_path / "Dockerfile").read_text(), code
    dl4000 = next(a for a in on_maintainer if a.title.startswith("DL4000"))
    assert "MAINTAINER" not in apply_workspace_edit(dl4000.edit, {uri: QUICK})[uri]


def test_ignore_actions_write_pragmas_the_engine_reads(tmp_path):
    text = ("# syntax=docker/dockerfile:1\n"
            "FROM node:20-alpine\n"
            "# fastlint: ignore=DL3015\n"
            "RUN apt-get update && \\\n"
            "    apt-get install -y curl\n"
            "RUN apk add git\n")
    (tmp_path / ".git").mkdir()
    (tmp_path / "Dockerfile").write_text(text)

    async def scenario():
        async with Editor(tmp_path) as ed:
            uri = ed.open("Dockerfile", text)
            diags = await ed.diagnostics(uri, 1)
            assert {"DL3008", "DL3019"} <= set(codes(diags)) and "DL3015" not in codes(diags)
            # on the continuation line of the RUN: the pragma goes above the instruction, into its pragma
            acts = await ed.actions(uri, types.Range(types.Position(4, 25), types.Position(4, 25)))
            line = next(a for a in acts if a.title.startswith("Ignore DL3008 for this instruction"))
            text2 = apply_workspace_edit(line.edit, {uri: text})[uri]
            diags2 = await ed.diagnostics(uri, ed.replace(uri, text2))
            acts = await ed.actions(uri, types.Range(types.Position(5, 5), types.Position(5, 5)))
            whole = next(a for a in acts if a.title.startswith("Ignore DL3019 in this file"))
            text3 = apply_workspace_edit(whole.edit, {uri: text2})[uri]
            diags3 = await ed.diagnostics(uri, ed.replace(uri, text3))
            acts = await ed.actions(uri, types.Range(types.Position(0, 0), end_position(text3)))
            again = next(a for a in acts if a.title.startswith("Ignore DL3009 in this file"))
            text4 = apply_workspace_edit(again.edit, {uri: text3})[uri]
            return text2, diags2, text3, diags3, text4

    text2, diags2, text3, diags3, text4 = run(scenario())
    assert text2.split("\n")[2] == "# fastlint: ignore=DL3015,DL3008"
    assert "DL3008" not in codes(diags2) and "DL3019" in codes(diags2)
    lines3 = text3.split("\n")
    assert lines3[:2] == ["# syntax=docker/dockerfile:1", "# fastlint: global ignore=DL3019"]  # directive first
    assert "DL3019" not in codes(diags3) and "DL3008" not in codes(diags3) and codes(diags3)
    assert text4.split("\n")[1] == "# fastlint: global ignore=DL3019,DL3009"
    # the command line reads the pragmas the same way
    (tmp_path / "Dockerfile").write_text(text3)
    cli = json.loads(fastlint("check", "--no-shellcheck", "--format", "json", "Dockerfile", cwd=tmp_path).stdout)
    assert sorted(f["code"] for f in cli) == sorted(codes(diags3))


def test_ignore_on_a_yaml_line(tmp_path):
    text = ("apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n    image: nginx:latest\n"
            "  - name: b\n    image: redis\n")

    async def scenario():
        async with Editor(tmp_path) as ed:
            uri = ed.open("pod.yaml", text, "yaml")
            diags = await ed.diagnostics(uri, 1)
            acts = await ed.actions(uri, types.Range(types.Position(5, 12), types.Position(5, 12)))
            line = next(a for a in acts if a.title.startswith("Ignore FL703 on this line"))
            text2 = apply_workspace_edit(line.edit, {uri: text})[uri]
            return diags, text2, await ed.diagnostics(uri, ed.replace(uri, text2))

    diags, text2, after = run(scenario())
    assert [d.range.start.line for d in diags if d.code == "FL703"] == [5, 7]
    assert text2.split("\n")[5] == "    # fastlint: ignore=FL703"
    assert [d.range.start.line for d in after if d.code == "FL703"] == [8]


# -- hover -------------------------------------------------------------------------------------------------------------
def test_hover_shows_the_rule_docs_on_a_pragma_id_and_on_a_finding(tmp_path):
    text = "FROM node:20-alpine\n# hadolint ignore=DL3018, SC2086\nRUN apk add curl\nRUN apt-get install -y git\n"

    async def scenario():
        async with Editor(tmp_path) as ed:
            uri = ed.open("Dockerfile", text)
            await ed.diagnostics(uri, 1)
            return [await ed.hover(uri, *where) for where in ((1, 20), (1, 28), (3, 24), (0, 1), (1, 5))]

    on_pragma, on_sc, on_finding, elsewhere, on_keyword = run(scenario())
    docs = (ROOT / "rules" / "DL3018.md").read_text(encoding="utf-8")
    assert on_pragma.contents.kind == types.MarkupKind.Markdown
    assert on_pragma.contents.value.startswith(docs.split("\n", 1)[0])  # '# DL3018: Pin versions in apk add...'
    assert "## Cases" not in on_pragma.contents.value and "Level: warning" in on_pragma.contents.value
    assert on_pragma.range == types.Range(types.Position(1, 18), types.Position(1, 24))
    assert "SC2086" in on_sc.contents.value and "shellcheck.net/wiki/SC2086" in on_sc.contents.value
    assert "# DL3008:" in on_finding.contents.value
    assert elsewhere is None or "DL3008" not in elsewhere.contents.value
    assert on_keyword is None


# -- configuration -----------------------------------------------------------------------------------------------------
def test_configuration_is_read_per_file_and_again_when_it_changes(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / ".hadolint.yaml").write_text("ignored: [DL3019]\n")
    text = "FROM node:20-alpine\nRUN apk add curl\n"
    config = tmp_path / "fastlint.yaml"

    def watched(ed, change=types.FileChangeType.Changed):
        ed.client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=config.as_uri(), type=change)]))

    async def scenario():
        async with Editor(tmp_path) as ed:
            a = ed.open("a/Dockerfile", text)
            b = ed.open("b/Dockerfile", text)
            first = (await ed.diagnostics(a, 1), await ed.diagnostics(b, 1))
            config.write_text("rules:\n  severity: {DL3019: error}\n")
            watched(ed, types.FileChangeType.Created)
            second = await ed.diagnostics(a, 1, until=lambda ds: any(d.code == "DL3019" and d.severity == 1
                                                                        for d in ds))
            config.write_text("rules:\n  ignore: [DL3019]\n  severity: {DL3019: bogus}\n")  # broken
            watched(ed)
            broken = await ed.diagnostics(a, 1, until=lambda ds: any(d.code is None for d in ds))
            on_config = await ed.diagnostics(config.as_uri())
            config.write_text("rules:\n  ignore: [DL3019]\n")
            # saving the file in the editor counts too
            ed.client.text_document_did_save(types.DidSaveTextDocumentParams(
                types.TextDocumentIdentifier(config.as_uri())))
            fixed = await ed.diagnostics(a, 1, until=lambda ds: "DL3019" not in codes(ds) and
                                         all(d.code for d in ds))
            cleared = await ed.diagnostics(config.as_uri(), until=lambda ds: ds == [])
            return ed.registrations, first, second, broken, on_config, fixed, cleared

    registrations, first, second, broken, on_config, fixed, cleared = run(scenario())
    [reg] = registrations
    assert reg.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES
    globs = {w["globPattern"] for w in reg.register_options["watchers"]}
    assert {"**/fastlint.yaml", "**/.hadolint.yaml", "**/.dockerignore", "**/package.json"} <= globs
    a, b = first
    assert "DL3019" in codes(a) and "DL3019" not in codes(b)  # b's .hadolint.yaml, as check reads it
    assert next(d for d in second if d.code == "DL3019").severity == types.DiagnosticSeverity.Error
    [error] = [d for d in broken if d.code is None]
    assert "fastlint.yaml:3:" in error.message and "level must be one of" in error.message
    assert on_config[0].range.start.line == 2 and "level must be one of" in on_config[0].message
    assert "DL3019" not in codes(fixed) and cleared == []


def test_a_changed_dockerignore_is_read_again(tmp_path):
    (tmp_path / ".git").mkdir()
    text = "FROM node:20-alpine\nCOPY . .\n"
    (tmp_path / "Dockerfile").write_text(text)
    ignore = tmp_path / ".dockerignore"

    async def scenario():
        async with Editor(tmp_path) as ed:
            uri = ed.open("Dockerfile", text)
            before = await ed.diagnostics(uri, 1)
            ignore.write_text("node_modules\n.git\ndist\n*.log\n.env\n")
            ed.client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(
                changes=[types.FileEvent(uri=ignore.as_uri(), type=types.FileChangeType.Created)]))
            after = await ed.diagnostics(uri, 1, until=lambda ds: "FL404" not in codes(ds))
            return before, after

    before, after = run(scenario())
    assert "FL404" in codes(before) and "FL404" not in codes(after) and codes(after)


def test_saving_lints_again_for_an_editor_that_watches_no_files(tmp_path):
    (tmp_path / ".git").mkdir()
    text = "FROM node:20-alpine\nCOPY . .\n"
    (tmp_path / "Dockerfile").write_text(text)
    caps = pytest_lsp.client_capabilities("visual-studio-code")
    caps.workspace.did_change_watched_files = None  # no file watching: the server registers for none

    async def scenario():
        async with Editor(tmp_path, capabilities=caps) as ed:
            uri = ed.open("Dockerfile", text)
            before = await ed.diagnostics(uri, 1)
            (tmp_path / ".dockerignore").write_text("node_modules\n.git\ndist\n*.log\n.env\n")
            ed.client.text_document_did_save(types.DidSaveTextDocumentParams(types.TextDocumentIdentifier(uri)))
            after = await ed.diagnostics(uri, 1, until=lambda ds: "FL404" not in codes(ds))
            return ed.registrations, before, after

    registrations, before, after = run(scenario())
    assert registrations == []
    assert "FL404" in codes(before) and "FL404" not in codes(after) and codes(after)


def test_data_rules_of_the_configuration_diagnostics_and_hover(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "fastlint.yaml").write_text(
        "custom_rules:\n  prefix: ORG\n  rules:\n    ORG001:\n      message: The image names its owning team\n"
        "      description: Every image says which team owns it.\n      level: error\n"
        "      required_label: team\n")
    text = "FROM node:20-alpine\nRUN npm ci\n"
    (tmp_path / "Dockerfile").write_text(text)
    cli = json.loads(fastlint("check", "--no-shellcheck", "--format", "json", "Dockerfile", cwd=tmp_path).stdout)

    async def scenario():
        async with Editor(tmp_path) as ed:
            uri = ed.open("Dockerfile", text)
            diags = await ed.diagnostics(uri, 1)
            org = next(d for d in diags if d.code == "ORG001")
            return diags, await ed.hover(uri, org.range.start.line, org.range.start.character)

    diags, on_finding = run(scenario())
    assert codes(diags) == [f["code"] for f in cli] and "ORG001" in codes(diags)
    org = next(d for d in diags if d.code == "ORG001")
    assert org.severity == types.DiagnosticSeverity.Error and org.message == "The image names its owning team"
    assert org.code_description is None  # no catalogue page: no link that leads nowhere
    assert "A data rule (required_label)" in on_finding.contents.value
    assert "Every image says which team owns it." in on_finding.contents.value


def test_a_data_rule_prefix_stays_with_its_configuration_in_the_server(tmp_path):
    """The server lints many files in one process: ``org/`` has a fastlint.yaml declaring ORG, ``plain/`` none.
    ``# hadolint ignore=ORG001,DL3007`` is a pragma in org/ only (in plain/, ORG001 is no rule ID, so the comment
    is no pragma and DL3007 stays), whichever file is linted first, and hover finds ORG001 in org/'s pragma."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "org").mkdir()
    (tmp_path / "org" / "fastlint.yaml").write_text(
        "custom_rules:\n  prefix: ORG\n  rules:\n    ORG001:\n      message: The image names its owning team\n"
        "      required_label: team\n")
    text = "# hadolint ignore=ORG001,DL3007\nFROM node:latest\n"

    async def scenario():
        async with Editor(tmp_path) as ed:
            org = ed.open("org/Dockerfile", text)
            org_diags = await ed.diagnostics(org, 1)
            plain = ed.open("plain/Dockerfile", text)
            plain_diags = await ed.diagnostics(plain, 1)
            return org_diags, plain_diags, await ed.hover(org, 0, 20), await ed.hover(plain, 0, 20)

    org_diags, plain_diags, on_org, on_plain = run(scenario())
    assert "DL3007" not in codes(org_diags) and "ORG001" not in codes(org_diags)
    assert "DL3007" in codes(plain_diags)
    assert on_org is not None and "ORG001" in on_org.contents.value
    assert on_plain is None


# -- shutdown ----------------------------------------------------------------------------------------------------------
def test_shutdown_and_exit_end_the_process(tmp_path):
    async def scenario():
        ed = Editor(tmp_path)
        await ed.__aenter__()
        uri = ed.open("Dockerfile", "FROM ubuntu\n")
        await ed.diagnostics(uri, 1)
        server = ed.client._server
        await ed.client.shutdown_async(None)
        ed.client.exit(None)
        code = await asyncio.wait_for(server.wait(), TIMEOUT)
        await ed.client.stop()
        return code

    assert run(scenario()) == 0


def test_the_command_line_entry(tmp_path):
    assert "usage: fastlint lsp" in fastlint("lsp", "--help").stdout
    bad = fastlint("lsp", "--tcp")
    assert bad.returncode == 2 and "--tcp" in bad.stderr and bad.stderr.count("\n") == 1


def test_without_pygls_the_linter_works_and_lsp_says_what_to_install(tmp_path):
    """pygls is the optional extra 'lsp': without it (its import blocked here) check runs and lsp is one line."""
    (tmp_path / "Dockerfile").write_text("FROM ubuntu\n")
    block = "import sys; sys.modules['pygls'] = None; from fastlint.cli import main; main(sys.argv[1:])"
    check = subprocess.run([sys.executable, "-c", block, "check", "--no-shellcheck", "--format", "json", "Dockerfile"],
                           cwd=tmp_path, capture_output=True, text=True)
    assert check.returncode == 1 and "DL3006" in check.stdout, check.stderr
    lsp = subprocess.run([sys.executable, "-c", block, "lsp"], cwd=tmp_path, capture_output=True, text=True,
                         stdin=subprocess.DEVNULL)
    assert lsp.returncode == 2 and lsp.stdout == ""
    assert lsp.stderr.startswith("fastlint: fastlint lsp needs pygls: pip install 'fastlint[lsp]'")
    assert lsp.stderr.count("\n") == 1


def test_a_bug_in_a_rule_is_one_error_diagnostic_not_a_dead_server(monkeypatch, capsys):
    from fastlint.lsp import linting
    from fastlint.lsp.diagnostics import to_diagnostics
    from fastlint.lsp.documents import Document

    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(linting.api, "lint_document", broken)
    doc = Document("file:///tmp/x/Dockerfile", "FROM alpine\n", 3, "dockerfile")
    result = linting.Linter().lint(linting.Snapshot(doc))
    [d] = to_diagnostics(result, "utf-16")
    assert d.severity == types.DiagnosticSeverity.Error and "ZeroDivisionError" in d.message
    assert d.range.start == types.Position(0, 0)
    assert "Traceback" in capsys.readouterr().err


def test_the_benchmark_script_runs():
    """scripts/lsp_benchmark.py drives the server as the tests do; a short run keeps it working (its figures are
    not judged here: speed is measured, never asserted)."""
    ran = subprocess.run([sys.executable, "scripts/lsp_benchmark.py", "--changes", "4", "--burst", "3"], cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    assert ran.returncode == 0, ran.stderr
    assert "(300 lines, " in ran.stdout and "one change -> its diagnostics: n=4" in ran.stdout
    assert "burst of 3 changes" in ran.stdout
