"""``fastlint lsp``: the language server for editors (``fastlint/lsp/``) on standard input and output. It needs
pygls, the optional extra ``lsp`` (``pip install 'fastlint[lsp]'``); the other commands never import it."""

from __future__ import annotations

from .spec import Command, Option, fail, parse

LSP = Command(
    "lsp",
    "Run the language server for editors on stdin/stdout (pip install 'fastlint[lsp]').",
    description="Run the language server (the Language Server Protocol) on standard input and output, for editors: "
                "diagnostics as you type, quick fixes, fix all, ignore pragmas, rule docs on hover. The editor "
                "starts it; see the README's 'In the editor'.",
    options=[Option(("--stdio",), "stdio", kind="flag",
                    help="talk on standard input and output (the only transport; accepted as clients pass it)")],
    epilog="Exit codes: 0 the client said exit after shutdown; 1 exit without shutdown (as LSP says); 2 usage "
           "errors, or pygls is not installed.",
)


def main(argv: list[str]) -> int:
    parse(LSP, argv)
    try:
        from ..lsp.server import serve
    except ImportError as err:
        fail(f"fastlint lsp needs pygls: pip install 'fastlint[lsp]' ({err})")
    return serve()
