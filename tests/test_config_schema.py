"""The JSON Schema of fastlint.yaml (schema/fastlint.schema.json) is generated from the configuration's own
declaration (fastlint/engine/config_spec.py), which load_config reads too: the file is up to date, every
configuration in the repository and its docs validates against it and loads, and the schema and the loader agree
on every declared key (a value of the right type is accepted by both, a value of a wrong type refused by both)."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import jsonschema
import pytest

from conftest import ROOT, SHARED
from fastlint.catalogue import load_all
from fastlint.engine import config_spec as spec
from fastlint.engine.config_schema import schema, schema_text
from fastlint.engine.config import ConfigError, load_config

SCHEMA_FILE = ROOT / spec.SCHEMA_PATH


def committed_schema() -> dict:
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


def validator():
    return jsonschema.Draft7Validator(committed_schema())


def load_text(tmp_path, text: str):
    path = tmp_path / "fastlint.yaml"
    path.write_text(text, encoding="utf-8")
    return load_config(path)


def yaml_data(text: str):
    from ruamel.yaml import YAML

    return YAML(typ="safe").load(text)


# -- the file is generated, and up to date --------------------------------------------------------------------------
def test_the_schema_file_is_generated_from_the_declaration():
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text(), (
        f"{spec.SCHEMA_PATH} differs from fastlint/engine/config_spec.py: run python scripts/update_schema.py")
    jsonschema.Draft7Validator.check_schema(committed_schema())


def test_update_script_check_mode_agrees():
    ran = subprocess.run([sys.executable, "scripts/update_schema.py", "--check"], cwd=ROOT, capture_output=True,
                         text=True)
    assert ran.returncode == 0, ran.stderr


def test_a_key_added_to_the_declaration_without_the_schema_following_fails(monkeypatch):
    """What happens when someone adds a key (here: 'output') and does not regenerate the file: the loader accepts
    it at once (it reads the declaration), and the file no longer matches, which the test above reports."""
    keys = dict(spec.FASTLINT_YAML.keys)
    keys["output"] = spec.Key("output", spec.Choice("tty", "json"), "The report's format.")
    monkeypatch.setattr(spec.FASTLINT_YAML, "keys", keys)
    assert SCHEMA_FILE.read_text(encoding="utf-8") != schema_text()
    assert "output" in schema()["properties"]
    assert "output" not in committed_schema()["properties"]
    # and a configuration using it: valid for the loader, refused by the stale schema file
    assert not validator().is_valid({"output": "json"})


def test_a_key_the_declaration_lacks_is_refused_by_loader_and_schema(tmp_path):
    with pytest.raises(ConfigError, match="unknown key 'output'"):
        load_text(tmp_path, "output: json\n")
    assert not validator().is_valid({"output": "json"})
    with pytest.raises(ConfigError, match="unknown key 'colour' in 'rules'"):
        load_text(tmp_path, "rules:\n  colour: red\n")
    assert not validator().is_valid({"rules": {"colour": "red"}})


# -- every configuration of the repository and its docs -------------------------------------------------------------
FENCE = re.compile(r"^```yaml\s*\n(.*?)^```", re.MULTILINE | re.DOTALL)


def doc_configs() -> list[tuple[str, str]]:
    """(where, text) of every fastlint.yaml in the docs: yaml blocks whose top-level keys include one of
    fastlint.yaml's (CI files, Kubernetes objects and hadolint files left out), and the catalogue's case configs."""
    found = []
    docs = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").rglob("*.md"))]
    if (SHARED / "SPEC.md").is_file():  # the contract other tools rely on, beside the repository
        docs.append(SHARED / "SPEC.md")
    for path in docs:
        text = path.read_text(encoding="utf-8")
        for m in FENCE.finditer(text):
            data = yaml_data(m.group(1))
            if isinstance(data, dict) and set(map(str, data)) & set(spec.FASTLINT_YAML.keys):
                line = text.count("\n", 0, m.start()) + 1
                where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name
                found.append((f"{where}:{line}", m.group(1)))
    for code, doc in load_all().items():
        for case in doc.cases:
            if case.config is not None:
                found.append((f"rules/{code}.md: {case.kind}: {case.title}", case.config))
    files = subprocess.run(["git", "ls-files", "*fastlint.yaml", "*fastlint.yml"], cwd=ROOT, capture_output=True,
                           text=True).stdout.split()
    for name in files:
        found.append((name, (ROOT / name).read_text(encoding="utf-8")))
    return found


def test_the_docs_have_configurations_to_check():
    where = [w for w, _ in doc_configs()]
    assert any(w.startswith("README.md:") for w in where), where
    assert sum(w.startswith("rules/") for w in where) >= 10, where


@pytest.mark.parametrize("where,text", doc_configs(), ids=lambda v: v if v.startswith(("README", "rules", "docs", "CONTRIB", "SPEC")) else "")
def test_every_configuration_in_the_repository_validates_and_loads(tmp_path, where, text):
    data = yaml_data(text)
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator().iter_errors(data or {})]
    assert not errors, f"{where}: {errors}"
    load_text(tmp_path, text)


def test_init_writes_the_schema_line_and_a_valid_configuration(tmp_path):
    from fastlint.policy.init import render

    text = render(ROOT / "fixtures" / "services")
    assert text.splitlines()[0] == f"# yaml-language-server: $schema={spec.SCHEMA_ID}"
    assert validator().is_valid(yaml_data(text))
    policy = load_text(tmp_path, text)
    assert "fast-validation-service" in policy.services


# -- schema and loader agree on every declared key ------------------------------------------------------------------
def good_value(t: spec.Type):
    """A value of the type (as the policy's own defaults would be written)."""
    if isinstance(t, spec.AnyOf):
        return good_value(t.types[-1])
    if isinstance(t, spec.BuildKitCheck):
        return "skip=StageNameCasing,fromascasing;error=true"
    if isinstance(t, spec.DataRules):
        return {"prefix": "ORG", "rules": {"ORG001": {"message": "The image names its team", "level": "Error",
                                                      "required_label": "team"}}}
    if isinstance(t, spec.Names):
        return [t.names[0], t.names[-1].lower()]
    if isinstance(t, spec.RuleIds):
        return ["DL3008", "fl4", "StageNameCasing"]
    if isinstance(t, spec.Strings):
        return ["dependencies", "builder", "runtime-tools", "production"]
    if isinstance(t, spec.Choice):
        return t.values[-1].upper()  # any case is accepted
    if isinstance(t, spec.Quantity):
        return "1.5Gi"
    if isinstance(t, spec.Integer):
        return t.high
    if isinstance(t, spec.Boolean):
        return False
    if isinstance(t, spec.Text):
        return "production"
    if isinstance(t, spec.MapOf):
        name = "DL3008" if t.key is not None else "production"
        return {name: good_value(t.value)}
    if isinstance(t, spec.Section):
        return {k.name: good_value(k.type) for k in t.keys.values()}
    raise AssertionError(f"no sample for {t!r}: teach good_value the new type")


def bad_values(t: spec.Type) -> list:
    if isinstance(t, spec.BuildKitCheck):
        return ["bogus=1", "skip=a;b", 3]
    if isinstance(t, spec.DataRules):
        rule = {"message": "m", "required_label": "team"}
        return [["a"], {"prefix": "ORG"}, {"prefix": "O", "rules": {"O1": rule}},
                {"prefix": "ORG", "rules": {"ORG001": {"message": "m"}}},
                {"prefix": "ORG", "rules": {"ORG001": {**rule, "level": "fatal"}}},
                {"prefix": "ORG", "rules": {"ORG001": {**rule, "colour": "red"}}}]
    if isinstance(t, spec.Names):
        return [["Nope"], [3], {"a": 1}]
    if isinstance(t, spec.AnyOf):  # values no alternative takes: of a shape none has, or bad for the one that has it
        out = []
        for alt in t.types:
            for v in bad_values(alt):
                fitting = [a for a in t.types if isinstance(v, a.shape)]
                if fitting == [alt] or not fitting:
                    out.append(v)
        return out
    if isinstance(t, spec.RuleIds):
        return [["DL3008", "crazy"], [3], {"a": 1}]
    if isinstance(t, spec.Strings):
        return [[1], {"a": "b"}, 7] + ([[]] if t.min_items else [])
    if isinstance(t, spec.Choice):
        return ["nonsense", 1, ["error"]]
    if isinstance(t, spec.Quantity):
        return ["lots", 512, "512MB"]
    if isinstance(t, spec.Integer):
        return [t.low - 1, t.high + 1, "3", True, 1.5]
    if isinstance(t, spec.Boolean):
        return ["yes", 1, None]
    if isinstance(t, spec.Text):
        return ["", 3, ["a"]]
    if isinstance(t, spec.MapOf):
        return [["a"], "a"] + [{"x": b} for b in bad_values(t.value)[:1]]
    if isinstance(t, spec.Section):
        return [["a"], {"no-such-key": 1}]
    raise AssertionError(f"no sample for {t!r}: teach bad_values the new type")


def leaf_keys(section: spec.Section, path=()):
    for key in section.keys.values():
        yield path + (key.name,), key
        if isinstance(key.type, spec.Section):
            yield from leaf_keys(key.type, path + (key.name,))


def nest(path, value) -> dict:
    for name in reversed(path):
        value = {name: value}
    return value


def dump(data) -> str:
    return json.dumps(data)  # JSON is YAML


KEYS = list(leaf_keys(spec.FASTLINT_YAML))


@pytest.mark.parametrize("path,key", KEYS, ids=[".".join(p) for p, _ in KEYS])
def test_schema_and_loader_agree_on_each_key(tmp_path, path, key):
    good = nest(path, good_value(key.type))
    assert validator().is_valid(good), list(validator().iter_errors(good))
    load_text(tmp_path, dump(good))
    for bad in bad_values(key.type):
        data = nest(path, bad)
        assert not validator().is_valid(data), f"the schema accepts {data}"
        with pytest.raises(ConfigError):
            load_text(tmp_path, dump(data))
            pytest.fail(f"the loader accepts {data}")


def test_any_of_takes_either_shape_and_says_what_is_wrong_with_the_one_given(tmp_path):
    """A key with two shapes (as BuildKit's check setting: a string, or a mapping): the reader and the schema take
    the same values, and a mapping with a wrong key gets the mapping's own message."""
    from fastlint.engine.config import _load_yaml, _Reader

    section = spec.Section(spec.Key("check", spec.AnyOf(
        spec.Text(), spec.Section(spec.Key("skip", spec.AnyOf(spec.Choice("all"), spec.Strings()), "skip"),
                                  spec.Key("error", spec.Boolean(), "error"))), "check"))
    schema = jsonschema.Draft7Validator(section.schema({}))

    def read(text: str):
        path = tmp_path / "c.yaml"
        path.write_text(text)
        return section.read(_Reader(path), _load_yaml(path), (1, 1), None)

    for good in ("check: skip=A;error=true\n", "check: {skip: all}\n", "check: {skip: [A, B], error: true}\n",
                 "check: {skip: A}\n"):
        assert schema.is_valid(yaml_data(good)), good
        read(good)
    for bad, message in (("check: {skip: [A], bogus: 1}\n", "unknown key 'bogus' in 'check'"),
                         ("check: {error: 3}\n", "'error' must be true or false"),
                         ("check: 3\n", "'check' has a value of the wrong type"),
                         ("check: {skip: 3}\n", "'skip' has a value of the wrong type")):
        assert not schema.is_valid(yaml_data(bad)), bad
        with pytest.raises(ConfigError, match=re.escape(message)):
            read(bad)


def test_the_declaration_is_not_loaded_on_the_lint_path_without_a_configuration_file(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "Dockerfile").write_text("FROM alpine:3.19\n")
    code = ("import sys; from fastlint.cli.check import main; main(['--no-shellcheck', 'Dockerfile']); "
            "print('fastlint.engine.config_spec' in sys.modules)")
    ran = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True)
    assert ran.stdout.strip().splitlines()[-1] == "False", ran.stdout + ran.stderr


def test_every_rule_id_is_an_id_for_the_schema_too(tmp_path):
    from fastlint.engine.registry import all_rules

    v = validator()
    codes = list(all_rules())
    assert "JSONArgsRecommended" in codes  # a name of neither form: the schema lists it
    for code in codes:
        for written in (code, code.lower()):
            assert v.is_valid({"rules": {"ignore": [written], "severity": {written: "info"}}}), written
    text = "rules:\n  ignore: [" + ", ".join(codes) + "]\n"
    assert set(load_text(tmp_path, text).ignore) == set(codes)


def test_a_family_prefix_alone_is_a_rule_id_for_schema_and_loader(tmp_path, monkeypatch):
    """``ignore: [ORG]`` turns off the file's own data rules (``custom_rules``' prefix), as ``ignore: [FL]`` does
    fastlint's: the loader takes it, and so does the schema. A prefix in capitals that names no rule is taken by
    both too (the loader warns, as for ``XX12``); a word of another kind is refused by both."""
    from fastlint.engine import ids

    monkeypatch.setattr(ids, "_prefixes", list(ids._prefixes))  # ORG, declared below, ends with the test
    monkeypatch.setattr(ids, "_CODE", ids._CODE)
    rule = {"message": "Every image says its team", "required_label": "team"}
    data = {"custom_rules": {"prefix": "ORG", "rules": {"ORG001": rule}},
            "rules": {"ignore": ["ORG"], "severity": {"ORG": "info"}}}
    assert validator().is_valid(data), list(validator().iter_errors(data))
    policy = load_text(tmp_path, dump(data))
    assert policy.ignore == ["ORG"] and policy.warnings == []
    data["rules"] = {"ignore": ["ACME"]}  # a package's prefix, the package not installed here
    assert validator().is_valid(data), list(validator().iter_errors(data))
    assert any("ACME" in w and "selects no rule" in w for w in load_text(tmp_path, dump(data)).warnings)
    for word in ("crazy", "ORGANISATION", "O"):
        data["rules"] = {"ignore": [word]}
        assert not validator().is_valid(data), word
        with pytest.raises(ConfigError):
            load_text(tmp_path, dump(data))
