"""DL3033: Specify version with `yum install -y <package>-<version>`.

The package-version judgement here is shared with DL3041 (dnf): a package is pinned when a part after its name's
first ``-`` looks like a version (``tomcat-9.0.1``, ``openssl-1:1.1.1k``, ``gcc-c++-1.1.1``), when it is an
``.rpm`` file, or when its version comes from a variable that an ``ARG`` (anywhere) or an ``ENV`` of the stage
(or of the stage it is built FROM) defines. A module (``yum module install``) is pinned with ``name:stream``.
"""

from __future__ import annotations

import re

from ..engine.registry import register
from ..engine.rule import StageRule
from ..parser.shell import command_node, run_commands

_VERSION_CHARS = re.compile(r"^[A-Za-z0-9.~^_:+]*$")


def package_pinned(package: str, variables: set[str]) -> bool:
    parts = package.split("-")
    if len(parts) <= 1:
        return False
    if package.endswith(".rpm"):
        return True
    if "$" in package:
        return any(f"${{{v}}}" in package or re.search(r"\$" + re.escape(v) + r"(?![A-Za-z0-9_])", package)
                   for v in variables)
    rest = parts[1:]
    return all(_VERSION_CHARS.match(p) for p in rest) and any(p[:1].isdigit() for p in rest)


class VersionRule(StageRule):
    """yum/dnf version pinning: tracks the variables that ARG and ENV define, per stage."""

    programs: tuple[str, ...] = ()
    skip_args: tuple[str, ...] = ("module",)  # a command with one of these arguments is not a package install

    def __init__(self, ctx):
        super().__init__(ctx)
        self.args: set[str] = set()
        self.env: dict[int, set[str]] = {}  # stage index (-1 before the first FROM) -> ENV names

    def start_stage(self, stage):
        inherited = self.env.get(stage.parent.index, set()) if stage.parent is not None else set()
        self.env[stage.index] = set(inherited)

    def _stage_key(self, ins) -> int:
        return ins.stage.index if ins.stage is not None else -1

    def check(self, ins):
        kw = ins.keyword
        if kw == "ARG":
            self.args.update(p.key for p in ins.pairs)
        elif kw == "ENV" and ins.parent is None:
            self.env.setdefault(self._stage_key(ins), set()).update(p.key for p in ins.pairs)
        elif kw == "RUN":
            variables = self.args | self.env.get(self._stage_key(ins), set())
            for cmd in run_commands(ins):
                if not cmd.is_(*self.programs) or not cmd.has_args("install"):
                    continue
                names = [a for a in cmd.args_no_flags() if a not in ("install", "module")]
                if cmd.has_args("module"):
                    bad = any(":" not in n for n in names)
                elif cmd.has_args(*self.skip_args):
                    continue
                else:
                    bad = any(not package_pinned(n, variables) for n in names)
                if bad:
                    yield self.hit(command_node(ins, cmd))
                    return


@register
class DL3033(VersionRule):
    code = "DL3033"
    level = "warning"
    message = "Specify version with `yum install -y <package>-<version>`."
    name = "yum-version-pinning"
    programs = ("yum",)
    skip_args = ("module",)
