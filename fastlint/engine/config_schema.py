"""The JSON Schema of fastlint.yaml as the repository keeps it (``schema/fastlint.schema.json``): the declaration
(``config_spec.FASTLINT_YAML``) with the names of the registered rules (``StageNameCasing``,
``JSONArgsRecommended``), which the ID grammar takes in any case. Read by ``scripts/update_schema.py`` and the schema test; never by the lint
path (it loads every rule)."""

from __future__ import annotations

import json

from .config_spec import json_schema
from .ids import is_code
from .registry import all_rules


def rule_names() -> tuple[str, ...]:
    """The registered rules' codes that are names, not codes of a family (DL3008)."""
    return tuple(sorted(c for c in all_rules() if not is_code(c)))


def schema() -> dict:
    return json_schema(rule_names())


def schema_text() -> str:
    """The schema file's text."""
    return json.dumps(schema(), indent=2) + "\n"
