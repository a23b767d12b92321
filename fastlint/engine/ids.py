"""The rule-ID grammar, written once: what a rule ID is, and when a selection pattern matches one.

Pragmas (``# hadolint ignore=...``), the policy file (``rules: ignore/select/severity``), ``--select`` and
``--ignore``, ShellCheck's family codes and the catalogue all read IDs through this module.

An ID is one of:

* a **code**: a family prefix and digits, ``DL3008``, ``SC2086``, ``FL401``. The built-in families are ``DL``
  (hadolint's rules), ``SC`` (ShellCheck) and ``FL`` (the FAST policy). An installed package of rules declares its
  own prefix, registered with ``register_prefix("ACME")`` when the installation is read (then ``ACME001`` is an
  ID: the installation is the same for every run of the process). A configuration file's ``custom_rules``
  declares a prefix for the files it governs only: it is no registered family, and the functions that read IDs
  take it as ``prefixes`` (``pragmas.prefixes_of(policy)``), so that it never outlives the run nor reaches
  another file's policy; codes are upper case;
* a **name**, as BuildKit writes its checks: CamelCase with at least two words (``StageNameCasing``,
  ``MaintainerDeprecated``), matched case-insensitively; any registered rule's code is an ID too, whatever its
  shape (``register_name``, called by the registry);
* ``ALL``.

A package's prefix may not **clash** with another prefix or with a name (``prefix_clash``): when one begins the
other (``AC`` and ``ACME``, ``SEC`` and ``SecretsUsedInArgOrEnv``, ``FLX`` and ``FL``), a pattern written for one
would select the other's rules.

A **pattern** (``--select``, ``ignore=``) is an ID or a prefix of a code: ``DL30`` matches ``DL3008``, ``FL``
every FL rule, ``ORG`` every data rule ``ORG001``..., ``ALL`` everything; a name matches only whole. Matching is
case-insensitive and needs no registered prefix: a pattern matches a longer code when the rest is digits.

A token that is none of these (``crazy``) is not an ID: as in hadolint, a pragma whose list holds one is no pragma.
"""

from __future__ import annotations

import re

BUILTIN_PREFIXES = ("DL", "SC", "FL")
_prefixes: list[str] = list(BUILTIN_PREFIXES)
_names: set[str] = set()  # upper-cased codes of registered rules that are not of the code form
_CODE = re.compile(r"^(?:DL|SC|FL)\d*$")
_CAMEL = re.compile(r"^[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+$")
_PREFIX = re.compile(r"^[A-Z]{2,8}$")
_SHAPED = re.compile(r"^[A-Z]{2,8}\d+$")  # a code of a family nobody declared (``XX12``)


def check_prefix(prefix: str) -> str:
    """A prefix a package may declare, in canonical form; ValueError (a sentence) when it is not 2 to 8 letters,
    is ``ALL`` or clashes with a built-in family (``DL``, ``SC``, ``FL``)."""
    p = prefix.strip().upper()
    if not _PREFIX.match(p):
        raise ValueError(f"a rule prefix is 2 to 8 letters (like ACME), not {prefix!r}")
    if p == "ALL":
        raise ValueError("ALL is not a prefix: it selects every rule")
    for builtin in BUILTIN_PREFIXES:
        if prefix_clash(p, builtin):
            raise ValueError(f"the prefix {p} clashes with fastlint's {builtin} rules")
    return p


def prefix_clash(prefix: str, other: str) -> bool:
    """True when a prefix clashes with another prefix or a rule name: one begins the other (case-insensitively),
    so a pattern written for one would select the other's rules."""
    a, b = prefix.strip().upper(), other.strip().upper()
    return a.startswith(b) or b.startswith(a)


def register_prefix(prefix: str) -> None:
    """Declare a family prefix for a package's rules (``ACME``: then ``ACME001`` is a rule ID). Raises
    ValueError when it is not 2 to 8 letters (``check_prefix`` also refuses ``ALL`` and the built-in families'
    clashes; the installation's reader, ``engine/packages.py``, calls it first). For the installed packages only:
    a configuration's ``custom_rules`` prefix is passed as ``prefixes`` where IDs are read, never registered."""
    global _CODE
    p = prefix.strip().upper()
    if not _PREFIX.match(p):
        raise ValueError(f"a rule prefix is 2 to 8 letters, not {prefix!r}")
    if p not in _prefixes:
        _prefixes.append(p)
        _CODE = re.compile(r"^(?:" + "|".join(sorted(_prefixes, key=len, reverse=True)) + r")\d*$")


def register_name(code: str) -> None:
    """Make a registered rule's code an ID even when it is not of the code form (the registry calls this)."""
    if not _CODE.match(code.upper()):
        _names.add(code.upper())


def is_package_code(code: str, prefix: str) -> bool:
    """True when ``code`` is a code of that prefix: the prefix and at least one digit (``ACME001``)."""
    c, p = code.strip().upper(), prefix.strip().upper()
    return c.startswith(p) and c[len(p):].isdigit() and len(c) > len(p)


def _of_family(up: str, prefix: str) -> bool:
    """``up`` (upper case) is ``prefix`` alone or followed by digits only."""
    return up.startswith(prefix) and (len(up) == len(prefix) or up[len(prefix):].isdigit())


def is_code(token: str, prefixes: tuple[str, ...] = ()) -> bool:
    """A family prefix and digits (or a prefix alone: ``DL``, ``DL30``); ``prefixes``: the families a file's
    configuration declares (``custom_rules``), in upper case."""
    up = token.strip().upper()
    return bool(_CODE.match(up)) or bool(prefixes) and any(_of_family(up, p) for p in prefixes)


def is_rule_id(token: str, prefixes: tuple[str, ...] = ()) -> bool:
    """An ID or a prefix of one, as a pragma, the policy file or ``--select`` may write it (``prefixes``: as
    ``is_code``)."""
    t = token.strip()
    up = t.upper()
    return (up == "ALL" or bool(_CODE.match(up)) or up in _names or bool(_CAMEL.match(t))
            or bool(prefixes) and any(_of_family(up, p) for p in prefixes))


def looks_like_id(token: str) -> bool:
    """An ID, or a word shaped like a code (letters and digits: ``XX12``) or like a family prefix alone (2 to 8
    capital letters, as prefixes are written: ``ORG``, a data rule's or a package's): a rule ID that may name no
    rule (a warning where it is written), not a word of another kind (``crazy``: an error in a configuration
    file)."""
    t = token.strip()
    return is_rule_id(t) or bool(_SHAPED.match(t.upper())) or bool(_PREFIX.match(t))


def canonical(token: str) -> str:
    """The form IDs are compared in: upper case (``dl3008`` -> ``DL3008``, ``StageNameCasing`` ->
    ``STAGENAMECASING``)."""
    return token.strip().upper()


def parse_list(value: str, prefixes: tuple[str, ...] = ()) -> list[str] | None:
    """The IDs of a comma- or space-separated list (a trailing ``# comment`` dropped), in canonical form; None
    when the list is empty or an entry is not an ID (hadolint's reading of ``ignore=crazy,DL3002``).
    ``prefixes``: the families the file's configuration declares (``ORG``: then ``ORG001`` is an ID)."""
    value = value.split("#", 1)[0]
    tokens = [t for t in re.split(r"[,\s]+", value) if t.strip()]
    if not tokens or not all(is_rule_id(t, prefixes) for t in tokens):
        return None
    return [canonical(t) for t in tokens]


def split_option(value: str) -> list[str]:
    """``--select``/``--ignore``'s comma-separated value, in canonical form (not validated: any prefix goes)."""
    return [canonical(v) for v in value.split(",") if v.strip()]


def matches(code: str, patterns) -> bool:
    """True when a code matches any pattern: an ID or a prefix of one (``DL30`` matches ``DL3008``; ``ALL``
    matches everything), case-insensitively."""
    up = None
    for p in patterns:
        p = p.strip().upper()
        if not p:
            continue
        if p == "ALL":
            return True
        if up is None:
            up = code.upper()
        if _of_family(up, p):
            return True  # a name matches whole (``Stage`` is no prefix of ``StageNameCasing``)
    return False


def names_family(family: str, pattern: str) -> bool:
    """True when a pattern names one code of a family (``SC2086`` of ``SC``): the family's rule must run."""
    p = pattern.strip().upper()
    return bool(p) and p.startswith(family.upper())


def unknown_message(pattern: str) -> str:
    """What is said of a pattern that selects no rule: an error on the command line, a warning in a
    configuration file or a pragma (it would silently select or suppress nothing)."""
    return f"unknown rule ID or prefix '{pattern.strip()}' (`fastlint rules` lists them)"
