"""The data rules' checks: each rule of ``custom_rules`` made a rule class of the one rule contract
(``fastlint.engine.rule``), one class per kind of check, so that the pipeline treats it as any other rule."""

from __future__ import annotations

from fnmatch import fnmatchcase
from typing import ClassVar

from ..engine.config import ConfigError
from ..engine.ids import is_code, prefix_clash
from ..engine.index import RULES
from ..engine.rule import FileRule, InstructionRule, Rule
from ..parser.tree import Node
from ..rules.lib.run import command_spot, commands
from ..rules.lib.stages import chain_instructions, role
from .read import DataRule

DOCKER_HUB = ("docker.io", "index.docker.io", "registry-1.docker.io")


def rule_classes(policy) -> dict[str, type[Rule]]:
    """The policy's data rules as rule classes, by code (made once per configuration file). Raises ConfigError
    when the section's prefix clashes with a name of fastlint's rules (BuildKit's checks)."""
    custom = policy.custom_rules
    if custom.classes is None:
        clash = next((n for n in RULES if not is_code(n) and prefix_clash(custom.prefix, n)), None)
        if clash is not None:
            raise ConfigError(f"the prefix {custom.prefix} clashes with fastlint's rule {clash}", custom.source,
                              custom.line, custom.column)
        custom.classes = {spec.code: make_class(spec) for spec in custom.rules}
    return custom.classes


def make_class(spec: DataRule) -> type[Rule]:
    base = KIND_CLASSES[spec.kind]
    return type(f"DataRule_{spec.code}", (base,), {
        "code": spec.code, "level": spec.level, "message": spec.message, "name": spec.kind.replace("_", "-"),
        "spec": spec, "__doc__": f"{spec.code}: a data rule of {spec.source} ({spec.kind})",
    })


def fill(message: str, **fields: str) -> str:
    """The message with ``{name}`` replaced by what was found (unknown braces stay as written)."""
    for name, value in fields.items():
        message = message.replace("{" + name + "}", value)
    return message


class _DataRule(Rule):
    spec: ClassVar[DataRule]

    def in_scope(self, stage) -> bool:
        """Whether the rule's ``stages`` take this stage (none given: every stage)."""
        names = self.spec.stages
        if not names:
            return True
        if stage is None:
            return False
        if stage.name and stage.name.lower() in names:
            return True
        played = role(self.ctx, stage)
        return played is not None and played.lower() in names


class RequiredLabel(_DataRule, FileRule):

    def finish(self):
        final = self.ctx.final_stage
        if final is None:
            return
        label = self.spec.values[0]
        found = None
        for ins in chain_instructions(final):
            if ins.keyword == "LABEL":
                for kv in ins.pairs:
                    if kv.key == label:
                        found = kv  # the last one wins, as in the image
        if found is None:
            yield self.hit(final.from_, fill(self.message, label=label, value="", stage=final.label))
            return
        value = found.value or ""
        pattern = self.spec.pattern
        if pattern is not None and "$" not in value and not pattern.fullmatch(value):
            yield self.hit(Node(found.value_start, found.value_end),
                           fill(self.message, label=label, value=value, stage=final.label))


class ImageRule(_DataRule, FileRule):
    """allowed/forbidden registries and images: the base image of each stage in scope."""

    def start_stage(self, stage):
        image = stage.image
        if image is None or stage.unresolved or not self.in_scope(stage):
            return
        registry = (image.registry or "docker.io").lower()
        if registry in DOCKER_HUB:
            registry = "docker.io"
        written = stage.resolved
        kind, patterns = self.spec.kind, self.spec.values
        if kind.endswith("_registries"):
            matched = any(fnmatchcase(registry, p.lower()) for p in patterns)
        else:
            forms = (written, full_reference(image, registry))
            matched = any(fnmatchcase(form, p) for p in patterns for form in forms)
        if matched == kind.startswith("forbidden"):
            words = stage.from_.words
            node = words[0] if words else stage.from_
            yield self.hit(node, fill(self.message, image=written, registry=registry, stage=stage.label))


def full_reference(image, registry: str) -> str:
    """The reference as Docker completes it: ``node`` is ``docker.io/library/node:latest``."""
    repository = image.repository
    if registry == "docker.io" and "/" not in repository:
        repository = "library/" + repository
    tag = image.tag if image.tag is not None or image.digest is not None else "latest"
    return f"{registry}/{repository}" + (f":{tag}" if tag else "") + (f"@{image.digest}" if image.digest else "")


class ForbiddenInstruction(_DataRule, InstructionRule):

    def check(self, ins):
        if ins.keyword in self.spec.values and self.in_scope(ins.stage):
            yield self.hit(ins, fill(self.message, instruction=ins.keyword, stage=_stage_label(ins)))


class ForbiddenCommand(_DataRule, InstructionRule):

    def check(self, ins):
        if ins.keyword != "RUN" or not self.in_scope(ins.stage):
            return
        for cmd, script in commands(ins):
            for words in self.spec.values:
                if not cmd.is_(words[0].rsplit("/", 1)[-1]):
                    continue
                rest = words[1:]
                if [w.text for w in cmd.operands()[:len(rest)]] == rest:
                    yield self.hit(command_spot(script, cmd),
                                   fill(self.message, command=" ".join(words), stage=_stage_label(ins)))
                    break


class RequiredInstructions(_DataRule, FileRule):

    def finish(self):
        final = self.ctx.final_stage
        if final is None:
            return
        present = {ins.keyword for ins in chain_instructions(final)}
        for keyword in self.spec.values:
            if keyword not in present:
                yield self.hit(final.from_, fill(self.message, instruction=keyword, stage=final.label))


class RegexRule(_DataRule, InstructionRule):

    def check(self, ins):
        spec = self.spec
        if spec.instructions and ins.keyword not in spec.instructions:
            return
        if not self.in_scope(ins.stage):
            return
        m = spec.pattern.search(ins.args_text)
        if m is None:
            return
        message = fill(self.message, match=m.group(0), instruction=ins.keyword, stage=_stage_label(ins))
        logical = ins.logical
        lo = logical.text.rfind(ins.args_text) if logical is not None and ins.args_text else -1
        if lo < 0:
            yield self.hit(ins, message)
            return
        start, end = logical.span(lo + m.start(), lo + m.end())
        yield self.hit(Node(start, max(end, start)), message)


def _stage_label(ins) -> str:
    return ins.stage.label if ins.stage is not None else ""


KIND_CLASSES: dict[str, type[Rule]] = {
    "required_label": RequiredLabel,
    "allowed_registries": ImageRule,
    "forbidden_registries": ImageRule,
    "allowed_images": ImageRule,
    "forbidden_images": ImageRule,
    "forbidden_instructions": ForbiddenInstruction,
    "forbidden_commands": ForbiddenCommand,
    "required_instructions": RequiredInstructions,
    "regex": RegexRule,
}
