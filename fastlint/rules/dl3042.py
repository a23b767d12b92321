"""DL3042: Avoid use of cache directory with pip. Use `pip install --no-cache-dir <package>`."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import Edit, StageRule
from ..parser.shell import cache_mount_covers, command_node, run_commands, word_end

TRUTHY = frozenset({"1", "true", "True", "TRUE", "on", "On", "ON", "yes", "Yes", "YES"})
WRAPPERS = ("pipx", "pipenv")


def pip_install_word(cmd):
    """The ``install`` word of ``pip install`` / ``pip3 install`` / ``python -m pip install``, else None. pipx
    and pipenv (and ``python -m pipx``) are not pip."""
    base = cmd.name.rsplit("/", 1)[-1]
    texts = cmd.arg_texts
    if base.startswith("pip"):
        if any(w in base for w in WRAPPERS):
            return None
        return next((a for a in cmd.args if a.text == "install"), None)
    if base.startswith("python"):
        for i in range(len(texts) - 2):
            if texts[i] == "-m" and texts[i + 1] == "pip" and texts[i + 2] == "install":
                return cmd.args[i + 2]
    return None


def no_cache_assignment(word: str) -> bool:
    name, eq, value = word.partition("=")
    return bool(eq) and name == "PIP_NO_CACHE_DIR" and value in TRUTHY


@register
class DL3042(StageRule):
    code = "DL3042"
    level = "warning"
    message = "Avoid use of cache directory with pip. Use `pip install --no-cache-dir <package>`"
    name = "pip-no-cache-dir"
    fix_safety = "unsafe"
    needs_instructions = ("RUN",)
    needs_words = ("pip",)

    def __init__(self, ctx):
        super().__init__(ctx)
        self.no_cache: dict[int, bool] = {}  # stage index (-1 before the first FROM) -> ENV PIP_NO_CACHE_DIR set

    def start_stage(self, stage):
        self.no_cache[stage.index] = stage.parent is not None and self.no_cache.get(stage.parent.index, False)

    def check(self, ins):
        key = ins.stage.index if ins.stage is not None else -1
        if ins.keyword == "ENV" and ins.parent is None:
            for p in ins.pairs:
                if p.key == "PIP_NO_CACHE_DIR":
                    self.no_cache[key] = (p.value or "") in TRUTHY
            return
        if ins.keyword != "RUN" or self.no_cache.get(key, False):
            return
        if cache_mount_covers(ins, ".cache/pip"):
            return
        exported = False
        for cmd in run_commands(ins):
            if cmd.is_("export", "declare", "typeset") and any(no_cache_assignment(a) for a in cmd.arg_texts):
                exported = True
                continue
            word = pip_install_word(cmd)
            if word is None or exported or "--no-cache-dir" in cmd.arg_texts:
                continue
            if any(no_cache_assignment(a) for a in cmd.assignments):
                continue
            at = word_end(ins, cmd, word)
            fix = self.fix(Edit(at, at, " --no-cache-dir"), description="add --no-cache-dir") if at else None
            yield self.hit(command_node(ins, cmd), fix=fix)
            return
