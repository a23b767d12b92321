"""Build stages: what each FROM starts, with its base image resolved as BuildKit resolves it.

BuildKit expands ``$VAR``, ``${VAR}``, ``${VAR:-default}`` and ``${VAR:+alt}`` in FROM with the global ARGs
(those before the first FROM) and their defaults; a name that matches an earlier stage (case-insensitively) makes
that stage the parent instead of an image.
"""

from __future__ import annotations

import re

from .tree import Dockerfile, Instruction

_VAR = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))")

# BuildKit's automatic platform ARGs in the global scope: their values depend on the build, so they stay unknown.
PLATFORM_ARGS = frozenset(
    {"BUILDPLATFORM", "BUILDOS", "BUILDARCH", "BUILDVARIANT", "TARGETPLATFORM", "TARGETOS", "TARGETARCH",
     "TARGETVARIANT", "TARGETSTAGE"}
)


class ImageRef:
    """A parsed image reference: ``registry/repository:tag@digest``."""

    __slots__ = ("raw", "registry", "repository", "tag", "digest")

    def __init__(
        self,
        raw: str,
        registry: str | None = None,
        repository: str = "",
        tag: str | None = None,
        digest: str | None = None,
    ):
        self.raw = raw
        self.registry = registry
        self.repository = repository
        self.tag = tag
        self.digest = digest

    @property
    def name(self) -> str:
        """The image without tag and digest, registry included."""
        return f"{self.registry}/{self.repository}" if self.registry else self.repository

    @classmethod
    def parse(cls, raw: str) -> ImageRef:
        ref = cls(raw=raw)
        rest = raw
        if "@" in rest:
            rest, ref.digest = rest.split("@", 1)
        first, slash, remainder = rest.partition("/")
        if slash and ("." in first or ":" in first or first == "localhost"):
            ref.registry = first
            rest = remainder
        name, colon, tag = rest.rpartition(":")
        if colon and "/" not in tag:
            ref.repository, ref.tag = name, tag
        else:
            ref.repository = rest
        return ref


class Stage:

    __slots__ = ("index", "from_", "name", "base", "resolved", "unresolved", "parent", "platform", "instructions")

    def __init__(
        self,
        index: int,
        from_: Instruction,
        name: str | None = None,
        base: str = "",
        resolved: str = "",
        unresolved: bool = False,
        parent: Stage | None = None,
        platform: str | None = None,
        instructions: list[Instruction] | None = None,
    ):
        self.index = index
        self.from_ = from_
        self.name = name  # the AS name as written
        self.base = base  # the image or stage as written in FROM
        self.resolved = resolved  # with global ARG defaults substituted
        self.unresolved = unresolved  # a variable in FROM had no default
        self.parent = parent  # the stage this one builds FROM, if any
        self.platform = platform
        self.instructions = [] if instructions is None else instructions  # FROM excluded

    @property
    def image(self) -> ImageRef | None:
        """The base image, or None when the stage starts from another stage or from scratch."""
        if self.parent is not None:
            return None
        if self.resolved.lower() == "scratch":
            return None
        return ImageRef.parse(self.resolved)

    @property
    def label(self) -> str:
        """How to name the stage in a message: its AS name, else its index."""
        return self.name if self.name else str(self.index)

    def root(self) -> Stage:
        """The first stage of this stage's FROM chain."""
        s = self
        while s.parent is not None:
            s = s.parent
        return s


def expand(word: str, env: dict[str, str | None]) -> tuple[str, bool]:
    """Expand variables in a FROM word. Returns (text, fully_resolved)."""
    resolved = True

    def sub(m: re.Match) -> str:
        nonlocal resolved
        name = m.group(1) or m.group(4)
        op, arg = m.group(2), m.group(3)
        value = env.get(name)
        is_set = name in env and value is not None
        if op is None:
            if not is_set:
                resolved = False
                return ""
            return value or ""
        if op in (":-", "-"):
            if is_set and (value or op == "-"):
                return value or ""
            return arg or ""
        if op in (":+", "+"):
            if is_set and (value or op == "+"):
                return arg or ""
            return ""
        return m.group(0)

    return _VAR.sub(sub, word), resolved


def build_stages(df: Dockerfile) -> None:
    """Fill ``df.stages`` and ``df.global_args`` and set ``instruction.stage``."""
    env: dict[str, str | None] = {}
    current: Stage | None = None
    for ins in df.instructions:
        if ins.keyword == "FROM":
            words = ins.value
            base = words[0] if words else ""
            name = words[2] if len(words) >= 3 and words[1].lower() == "as" else None
            text, ok = expand(base, env)
            stage = Stage(index=len(df.stages), from_=ins, name=name, base=base, resolved=text, unresolved=not ok)
            stage.platform = ins.flag_value("platform")
            parent = df.stage_named(text) if text else None
            if parent is not None and parent.index < stage.index:
                stage.parent = parent
            df.stages.append(stage)
            current = stage
            ins.stage = stage
            continue
        if current is None:
            if ins.keyword == "ARG":
                df.global_args.append(ins)
                for p in ins.pairs:
                    if p.key in PLATFORM_ARGS:
                        continue
                    env[p.key] = p.value
            continue
        ins.stage = current
        if ins.sub is not None:
            ins.sub.stage = current
        current.instructions.append(ins)
