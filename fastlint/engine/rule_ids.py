"""Which rule IDs and prefixes name a rule: an unknown one in ``--select``/``--ignore`` is an error on the command
line, and a warning in a configuration file or a pragma (it would silently select or suppress nothing).

A pattern is known when it is ``ALL``, a ShellCheck code (``SC`` and digits: ShellCheck's codes are one family),
or the whole ID or the prefix of a rule the registry has (case does not matter: ``dl30`` is ``DL30``)."""

from __future__ import annotations


def known_codes() -> list[str]:
    from .registry import DL1000, all_rules

    return [*all_rules(), DL1000[0]]


def is_known(pattern: str) -> bool:
    p = pattern.strip().upper()
    if not p:
        return False
    if p == "ALL" or (p.startswith("SC") and p[2:].isdigit()):
        return True
    return any(code.upper().startswith(p) for code in known_codes())


def unknown(patterns) -> list[str]:
    """The patterns that name no rule, as given."""
    return [p for p in patterns if not is_known(p)]


def describe(pattern: str) -> str:
    return f"unknown rule ID or prefix '{pattern}' (`fastlint rules` lists them)"
