"""The table of commands: each one's module, its option description (``spec.Command``) and its main function.
Only the module of the command that runs is imported."""

from __future__ import annotations

# name -> (module, its Command, its main function)
COMMANDS = {
    "check": ("check", "CHECK", "main"),
    "fix": ("fix", "FIX", "main"),
    "verify": ("verify", "VERIFY", "main"),
    "build": ("build", "BUILD", "main"),
    "parse": ("parse", "PARSE", "main"),
    "rules": ("docs", "RULES", "rules_main"),
    "rule": ("docs", "RULE", "rule_main"),
    "test-rules": ("test_rules", "TEST_RULES", "main"),
    "init": ("init", "INIT", "main"),
    "lsp": ("lsp", "LSP", "main"),
}


def command(name: str):
    """(Command, main function) of a command."""
    import importlib

    module_name, spec_name, main_name = COMMANDS[name]
    module = importlib.import_module(f"{__package__}.{module_name}")
    return getattr(module, spec_name), getattr(module, main_name)
