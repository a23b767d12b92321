"""DL4006: Set the SHELL option -o pipefail before RUN with a pipe in it.

A pipeline's status is its last command's: ``curl -fsSL URL | sh`` succeeds when the download fails, and the
build goes on with a broken layer. With ``pipefail`` the pipeline fails when any command in it fails.

What fastlint decides, and why (see the rule's docs for the differences from hadolint):

* The shell: the SHELL in effect (a stage built FROM another stage inherits its SHELL), else ``/bin/sh``.
  bash, zsh, ash, ksh and mksh have ``-o pipefail``; so does ``/bin/sh`` in an Alpine or BusyBox stage, where it
  is BusyBox ash (hadolint issue 250). dash (Debian's /bin/sh) has none. PowerShell and cmd are not POSIX shells
  and are not judged.
* A pipeline needs pipefail only when a command before the last one can fail: ``echo "$SUM  file" | sha256sum -c``
  cannot hide a failure, and ``yes | cmd`` even fails *because* of pipefail (yes is killed by SIGPIPE).
* ``set -o pipefail`` in the RUN before the pipeline counts as well as the SHELL option.
"""

from __future__ import annotations

import json

from ..engine.registry import register
from ..engine.rule import Edit, StageRule
from ..parser.shell import run_scripts, source_span
from ..parser.tree import Node

PIPEFAIL_SHELLS = frozenset({"bash", "zsh", "ash", "ksh", "mksh"})
NON_POSIX = ("pwsh", "powershell", "cmd")
HARMLESS = frozenset({"echo", "printf", "yes", "true", ":"})
DEBIAN_IMAGES = frozenset({"debian", "ubuntu", "node", "python", "golang", "ruby", "php", "perl", "rust",
                           "buildpack-deps", "openjdk", "maven", "gradle", "eclipse-temurin", "elixir", "erlang"})
DEBIAN_TAGS = ("bookworm", "bullseye", "buster", "stretch", "trixie", "jammy", "noble", "focal", "bionic")


def family(stage) -> str | None:
    """``alpine`` (/bin/sh is BusyBox ash), ``debian`` (dash as /bin/sh, bash installed), ``windows``, or None
    when the base image says nothing (scratch, a variable, an image fastlint does not know)."""
    root = stage.root()
    if root.unresolved:
        return None
    img = root.image
    if img is None:
        return None
    repo = img.repository.rsplit("/", 1)[-1].lower()
    tag = (img.tag or "").lower()
    full = img.repository.lower()
    if repo in ("alpine", "busybox") or "alpine" in tag:
        return "alpine"
    if "windows" in full or "servercore" in full or "nanoserver" in full or "windowsservercore" in tag:
        return "windows"
    if repo in DEBIAN_IMAGES or any(t in tag for t in DEBIAN_TAGS):
        return "debian"
    return None


class ShellState:
    """The SHELL in effect in a stage: ``words`` (None: the default /bin/sh -c), whether pipefail is on, whether
    it is a POSIX shell, and the SHELL instruction of this stage that set it (for the fix)."""

    def __init__(self, words=None, pipefail=False, posix=True, ins=None):
        self.words, self.pipefail, self.posix, self.ins = words, pipefail, posix, ins


def shell_state(words: list[str], stage_family: str | None, ins) -> ShellState:
    if not words:
        return ShellState(words, False, True, ins)
    program = words[0].replace("\\", "/").rsplit("/", 1)[-1].lower()
    if program.startswith(NON_POSIX):
        return ShellState(words, False, False, ins)
    flags = set()
    for w in words[1:]:
        if w.startswith("--"):
            flags.add(w[2:])
        elif w.startswith("-") and len(w) > 1:
            flags.update(w[1:])
    capable = program in PIPEFAIL_SHELLS or (program == "sh" and stage_family == "alpine")
    return ShellState(words, capable and "o" in flags and "pipefail" in words[1:], True, ins)


def sets_pipefail(cmd) -> bool:
    return cmd.is_("set") and "o" in cmd.flags() and "pipefail" in cmd.arg_texts


def risky_pipeline(script):
    """The first pipeline where a command before the last can fail unseen (no ``set -o pipefail`` before it)."""
    set_at = min((c.start for c in script.commands if sets_pipefail(c)), default=None)
    for stages in script.pipelines:
        if all(s is not None and s.is_(*HARMLESS) for s in stages[:-1]):
            continue
        first = next((s for s in stages if s is not None), None)
        if set_at is not None and (first is None or set_at < first.start):
            continue
        return stages
    return None


@register
class DL4006(StageRule):
    code = "DL4006"
    level = "warning"
    message = ("Set the SHELL option -o pipefail before RUN with a pipe in it. If you are using /bin/sh in an "
               "alpine image or if your shell is symlinked to busybox then consider explicitly setting your SHELL "
               "to /bin/ash, or disable this check")
    name = "pipefail"
    fix_safety = "unsafe"
    needs_instructions = ("RUN",)

    def __init__(self, ctx):
        super().__init__(ctx)
        self.state: dict[int, ShellState] = {}  # stage index (-1 before the first FROM) -> SHELL in effect
        self.fixed: set[int] = set()  # stages whose first finding already carries the fix

    def start_stage(self, stage):
        inherited = self.state.get(stage.parent.index) if stage.parent is not None else None
        if inherited is not None:
            self.state[stage.index] = ShellState(inherited.words, inherited.pipefail, inherited.posix, None)
        else:
            self.state[stage.index] = ShellState(posix=family(stage) != "windows")

    def check(self, ins):
        if ins.parent is not None:
            return
        key = ins.stage.index if ins.stage is not None else -1
        if ins.keyword == "SHELL" and ins.json:
            fam = family(ins.stage) if ins.stage is not None else None
            self.state[key] = shell_state(list(ins.value), fam, ins)
            return
        if ins.keyword != "RUN" or ins.json:
            return
        state = self.state.get(key) or ShellState()
        if state.pipefail or not state.posix:
            return
        for script in run_scripts(ins):
            stages = risky_pipeline(script)
            if stages is None:
                continue
            first = next((s for s in stages if s is not None), None)
            last = next((s for s in reversed(stages) if s is not None), None)
            span = source_span(ins, first, first.start, last.end) if first is not None else None
            node = Node(span[0], span[1]) if span else ins
            fix = None
            if key not in self.fixed and ins.stage is not None:
                self.fixed.add(key)
                fix = self._fix(ins.stage, state)
            yield self.hit(node, fix=fix)
            return

    def _fix(self, stage, state: ShellState):
        """Turn pipefail on for the stage. Unsafe: the SHELL also runs the stage's later RUN, CMD and ENTRYPOINT
        shell forms (and stages built on it), and a build that passed by hiding a failure now stops. A SHELL of
        this stage with a pipefail-capable shell gets ``-o pipefail``; a stage with no SHELL gets one after its
        FROM: ``/bin/ash`` on Alpine and BusyBox, ``/bin/bash`` on Debian-based images; otherwise no fix."""
        if state.ins is not None:
            words = list(state.ins.value)
            program = words[0].rsplit("/", 1)[-1] if words else ""
            if not (program in PIPEFAIL_SHELLS or (program == "sh" and family(stage) == "alpine")):
                return None
            new = [words[0], "-o", "pipefail", *words[1:]]
            return self.fix(Edit(state.ins.args_start, state.ins.args_end, json.dumps(new)),
                            description="add -o pipefail to the SHELL", changes=frozenset({"shell"}))
        if state.words is not None:  # a SHELL inherited from another stage: fix it there
            return None
        shell = {"alpine": "/bin/ash", "debian": "/bin/bash"}.get(family(stage) or "")
        if shell is None:
            return None
        text = self.ctx.df.text
        at = stage.from_.end
        line = json.dumps([shell, "-o", "pipefail", "-c"])
        prefix = "" if at > 0 and text[at - 1] == "\n" else "\n"
        return self.fix(Edit(at, at, f"{prefix}SHELL {line}\n"), description=f"set SHELL {line}",
                        changes=frozenset({"shell"}))
