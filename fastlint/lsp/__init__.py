"""``fastlint lsp``: a Language Server Protocol server over stdio (pygls), for editors.

It calls the library API (``fastlint.api``), never the command line, and is never imported on the lint path:

* ``server.py``: the pygls server: its capabilities, the handlers, ``main`` (what ``fastlint lsp`` runs);
* ``documents.py``: the open documents (text kept with LSP's line and position rules, incremental changes);
* ``linting.py``: when to lint (debounced, the last version wins; without ShellCheck first, then with it) and the
  findings of each document;
* ``positions.py``: offsets and fastlint's 1-based lines and columns to LSP positions (UTF-16 by default);
* ``diagnostics.py``: findings to diagnostics (code, link to the docs, range, severity from the policy);
* ``actions.py``: code actions (a rule's fix, fix all safe, ignore a rule on a line or in the file);
* ``hover.py``: a rule's docs on a rule ID in a pragma or on a finding.
"""
