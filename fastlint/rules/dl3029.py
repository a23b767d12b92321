"""DL3029: Do not use --platform flag with FROM."""

from __future__ import annotations


from ..engine.registry import register
from ..engine.rule import InstructionRule
from ..parser.stages import PLATFORM_ARGS
from .lib.regex import lazy

_VAR = lazy(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::?[-+][^}]*)?\}|([A-Za-z_][A-Za-z0-9_]*))")


def automatic_platform(value: str) -> bool:
    """The value only names BuildKit's automatic platform arguments (``$BUILDPLATFORM``,
    ``${TARGETOS}/${TARGETARCH}``): the build's own platform, not a hard-coded one."""
    names = [m.group(1) or m.group(2) for m in _VAR.finditer(value)]
    rest = _VAR.sub("", value).replace("/", "").strip("\"' ")
    return bool(names) and not rest and all(n in PLATFORM_ARGS for n in names)


@register
class DL3029(InstructionRule):
    code = "DL3029"
    level = "warning"
    message = "Do not use --platform flag with FROM"
    name = "no-from-platform"

    def check(self, ins):
        if ins.keyword != "FROM":
            return
        flag = ins.flag("platform")
        if flag is None or not flag.value or automatic_platform(flag.value):
            return
        yield self.hit(flag)
