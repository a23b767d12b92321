"""The language server: ``fastlint lsp`` (stdio).

Capabilities: diagnostics pushed on open, on change and on save (``textDocument/publishDiagnostics``, with the document's
version), incremental text sync, code actions (``quickfix``, ``source.fixAll.fastlint``,
``source.fastlint.template``; whole-file edits made on ``codeAction/resolve``), hover. It lints the
Dockerfiles (any name discovery knows, or a document the editor says is a Dockerfile) and the YAML files
fastlint lints (Kubernetes manifests, GitHub and GitLab CI files), with the policy ``fastlint check`` would use
for that file (the nearest ``fastlint.yaml``, else ``.hadolint.yaml``), read again when a configuration file
changes (``workspace/didChangeWatchedFiles``, which the server registers for when the client lets it, or the
file saved in the editor); a ``.dockerignore`` or ``package.json`` that changes makes it lint the open documents
again. A configuration file that does not load is an error on the documents it governs and on the file itself.
No Docker engine is needed.

``initializationOptions`` (all optional): ``shellcheck`` (false: no ShellCheck), ``debounce`` and
``shellcheckDelay`` (milliseconds), ``config`` (one configuration file for every document, as ``--config``).
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from .. import __version__
from ..engine.config import CONFIG_NAMES, HADOLINT_NAMES, ConfigError
from .actions import KINDS, TEMPLATE, Client, file_actions, finding_actions, resolve_file_action
from .diagnostics import SOURCE, to_diagnostics
from .documents import Document, path_of
from .hover import hover
from .linting import Linter, Options, Snapshot

CONFIG_FILES = CONFIG_NAMES + HADOLINT_NAMES
# files beside a Dockerfile that rules read (FL404 and FL405-FL407: the build context's ignore file, the service's
# package.json): when one changes, the open documents are linted again
CONTEXT_GLOBS = ("**/.dockerignore", "**/*.dockerignore", "**/package.json")


def is_context_file(path: str | None) -> bool:
    return path is not None and (Path(path).name == "package.json" or path.endswith(".dockerignore"))


def is_config(path: str | None) -> bool:
    return path is not None and Path(path).name in CONFIG_FILES


def config_error(path: str) -> ConfigError | None:
    """The error of a configuration file that does not load, read as the engine reads it, else None."""
    from ..engine.config import load_config, load_hadolint

    try:
        (load_hadolint if Path(path).name in HADOLINT_NAMES else load_config)(Path(path))
    except ConfigError as err:
        return err
    return None


class FastlintServer(LanguageServer):

    def __init__(self):
        super().__init__("fastlint", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.documents: dict[str, Document] = {}
        self.linter = Linter()
        self.config_errors: dict[str, str] = {}  # configuration file's URI -> the error published on it

    @property
    def encoding(self) -> str:
        enc = self.workspace.position_encoding
        return str(getattr(enc, "value", enc) or "utf-16")

    # -- publishing ------------------------------------------------------------------------------------------------
    def publish(self, result) -> None:
        doc = self.documents.get(result.uri)
        if doc is None or doc.version != result.version:
            return
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=result.uri, version=result.version, diagnostics=to_diagnostics(result, self.encoding)))
        if result.config_error is not None and result.config_error.file:
            self.publish_config_error(result.config_error.file, result.config_error)

    def publish_config_error(self, path: str, err: ConfigError | None) -> None:
        """The error of a configuration file on the file itself (or none, when it loads)."""
        uri = Path(path).resolve().as_uri()
        diagnostics = []
        if err is not None:
            line, col = max(err.line - 1, 0), max(err.col - 1, 0)
            pos = types.Position(line, col)
            diagnostics.append(types.Diagnostic(range=types.Range(pos, pos), message=err.message,
                                                severity=types.DiagnosticSeverity.Error, source=SOURCE))
            self.config_errors[uri] = err.message
        elif uri not in self.config_errors and uri not in self.documents:
            return
        else:
            self.config_errors.pop(uri, None)
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics))

    def lint(self, doc: Document, delay: float | None = None) -> None:
        if is_config(doc.path):
            self.publish_config_error(doc.path, config_error(doc.path))
            return
        self.linter.schedule(doc, self.publish, delay)

    def reload(self) -> None:
        """A configuration file changed: read the configuration files again and lint every open document."""
        self.linter.reload()
        for uri in list(self.config_errors):
            path = path_of(uri)
            if path is not None:
                self.publish_config_error(path, config_error(path) if Path(path).is_file() else None)
        for doc in self.documents.values():
            self.lint(doc, delay=0)


def make_server() -> FastlintServer:
    server = FastlintServer()

    @server.feature(types.INITIALIZE)
    def initialize(ls: FastlintServer, params: types.InitializeParams):
        ls.linter = Linter(Options(params.initialization_options))
        ls.linter.fast.submit(_warm_up, ls.linter)

    @server.feature(types.INITIALIZED)
    async def initialized(ls: FastlintServer, params: types.InitializedParams):
        caps = ls.client_capabilities.workspace
        watch = caps.did_change_watched_files if caps else None
        if watch is None or not watch.dynamic_registration:
            return
        globs = [f"**/{name}" for name in CONFIG_FILES] + list(CONTEXT_GLOBS)
        watchers = [types.FileSystemWatcher(glob_pattern=glob) for glob in globs]
        await ls.client_register_capability_async(types.RegistrationParams(registrations=[types.Registration(
            id="fastlint-config-files", method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
            register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers))]))

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: FastlintServer, params: types.DidOpenTextDocumentParams):
        item = params.text_document
        doc = ls.documents[item.uri] = Document(item.uri, item.text, item.version, item.language_id)
        ls.lint(doc, delay=0)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: FastlintServer, params: types.DidChangeTextDocumentParams):
        doc = ls.documents.get(params.text_document.uri)
        if doc is None:
            return
        doc.apply(params.content_changes, params.text_document.version, ls.encoding)
        if not is_config(doc.path):  # a configuration file counts once saved
            ls.lint(doc)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: FastlintServer, params: types.DidSaveTextDocumentParams):
        uri = params.text_document.uri
        if is_config(path_of(uri)):
            ls.reload()
            return
        doc = ls.documents.get(uri)
        if doc is not None:  # at once: the files beside it (.dockerignore, package.json) may have changed too,
            ls.lint(doc, delay=0)  # which an editor that watches no files says only this way

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: FastlintServer, params: types.DidCloseTextDocumentParams):
        uri = params.text_document.uri
        ls.documents.pop(uri, None)
        ls.linter.forget(uri)
        if uri not in ls.config_errors:  # a configuration file's error stays while the file is wrong
            ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched_files(ls: FastlintServer, params: types.DidChangeWatchedFilesParams):
        paths = [path_of(change.uri) for change in params.changes]
        if any(is_config(p) for p in paths):
            ls.reload()
        elif any(is_context_file(p) for p in paths):
            for doc in ls.documents.values():
                ls.lint(doc)

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                    types.CodeActionOptions(code_action_kinds=KINDS, resolve_provider=True))
    async def code_action(ls: FastlintServer, params: types.CodeActionParams):
        doc = ls.documents.get(params.text_document.uri)
        if doc is None or is_config(doc.path):
            return None
        result = await ls.linter.current(doc)
        if result.kind is None or result.config_error is not None or doc.version != result.version:
            return None
        client = Client(ls.client_capabilities)
        actions = finding_actions(doc, result, params.range, params.context.only, client, ls.encoding)
        for action in file_actions(doc, result, params.context.only):
            if not client.resolves_edits and action.disabled is None:  # the client cannot ask later: now
                action = await _resolve(ls, action, doc, result, client)
                if action.edit is None and action.disabled is None:
                    continue
            actions.append(action)
        return actions

    @server.feature(types.CODE_ACTION_RESOLVE)
    async def code_action_resolve(ls: FastlintServer, action: types.CodeAction):
        data = action.data if isinstance(action.data, dict) else {}
        doc = ls.documents.get(data.get("uri", ""))
        if doc is None or doc.version != data.get("version"):
            return action  # the document changed since: no edit for a text that is gone
        result = await ls.linter.current(doc)
        return await _resolve(ls, action, doc, result, Client(ls.client_capabilities))

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def on_hover(ls: FastlintServer, params: types.HoverParams):
        doc = ls.documents.get(params.text_document.uri)
        if doc is None or is_config(doc.path):
            return None
        result = await ls.linter.current(doc)
        caps = ls.client_capabilities.text_document
        formats = caps.hover.content_format if caps and caps.hover else None
        markdown = not formats or types.MarkupKind.Markdown in formats
        return await asyncio.get_running_loop().run_in_executor(
            ls.linter.fast, hover, result, params.position, ls.encoding,
            lambda code: ls.linter.rule_docs(code, doc.name), markdown)

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: FastlintServer, params):
        ls.linter.close()

    return server


def _warm_up(linter: Linter) -> None:
    """Import the rules before the first document arrives (the first lint would pay for it)."""
    from .. import api

    api.lint_text("FROM scratch\nRUN true\n", shellcheck=False)


async def _resolve(ls: FastlintServer, action: types.CodeAction, doc: Document, result, client) -> types.CodeAction:
    """Fill in a whole-file action's edit: the fix loop (and for the template action the template rewrite) run in
    the lint thread on the document's current text."""
    snap = Snapshot(doc)
    outcome = await asyncio.get_running_loop().run_in_executor(ls.linter.fast, ls.linter.fix, snap,
                                                               action.kind == TEMPLATE)
    if doc.version != snap.version:
        return action
    return resolve_file_action(action, doc, result, outcome, client, ls.encoding)


def serve() -> int:
    """``fastlint lsp`` (``cli/lsp.py``): serve on stdin/stdout until the client says exit."""
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing a rule or a library prints may reach the protocol's stream
    make_server().start_io(stdin, stdout)
    return 0
