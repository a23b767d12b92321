"""What BuildKit's build checks share: their base class, BuildKit's word expansion (``shell.Lex``, with the
variables it found and missed), its "did you mean" suggestion, the build's argument scopes, image-reference and
platform parsing, EXPOSE's ports.

A BuildKit check is a rule class with ``BuildKitCheck`` mixed in: its ID is BuildKit's name, its level is
``warning`` (``# check=error=true`` makes it ``error``: fastlint/engine/checks.py), ``url`` is its page on
docs.docker.com, and the contract's ``buildkit`` is True. What a check declares beside (``Rule.same_as``,
``Rule.off_with``, ``Rule.check_scope``, ``default_enabled = False`` for an experimental check) is the rule
contract's (fastlint/engine/rule.py). Checks that read base images from a local engine mix in ``UsesBaseImages``.

BuildKit checks an instruction inside ONBUILD nowhere it is written: its parser keeps the trigger as text
(``instructions.parseOnBuild``), so the checks run while parsing never see it, and the checks run while building
see it only when a stage of the same file is built FROM that stage, at that stage's FROM (``initOnBuildTriggers``
parses the trigger again and reports at the child's FROM). ``top_level`` is how a check run while parsing leaves
it out; the checks run while building follow it into those stages with ``BuildKitCheck.sites``.
"""

from __future__ import annotations

import os
import re

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (start-up time)
if TYPE_CHECKING:
    from typing import ClassVar

from ...engine.rule import Hit

URL = "https://docs.docker.com/go/dockerfile/rule/{}/"


def kebab(name: str) -> str:
    """``StageNameCasing`` -> ``stage-name-casing``; ``JSONArgsRecommended`` -> ``json-args-recommended``."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "-", name).lower()


class BuildKitCheck:
    """Mixed into a rule class (before InstructionRule / StageRule / FileRule)."""

    buildkit: ClassVar[bool] = True
    level = "warning"

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.code and not cls.name:
            cls.name = kebab(cls.code)
        if cls.code and "docs_url" not in cls.__dict__:
            cls.docs_url = URL.format(kebab(cls.code))

    def check_hit(self, node, message: str, fix=None, about: int | None = None) -> Hit:
        """A hit on a node; ``about``: the offset of the instruction it is about when it reports another one
        (``Hit.about``: the twin's finding and the ``# check=`` comments are looked for there)."""
        h = self.hit(node, message, fix)
        h.about = about
        return h

    def top_level(self, ins) -> bool:
        """An instruction BuildKit checks where it is written: not the inner instruction of ONBUILD."""
        return ins.parent is None

    def sites(self, ins, in_stage: bool = True) -> list[tuple[object, object]]:
        """Where BuildKit's checks that run while building (dispatch) see an instruction: ``(site, key)`` with
        the instruction to report and the key of the scope before it in ``stage_scopes``. A top-level instruction
        of a stage: itself (before the first FROM: itself too when not ``in_stage``, else nowhere). An ONBUILD
        trigger: the FROM of each stage of the file built on its stage (BuildKit dispatches the trigger there,
        before the stage's own instructions, and reports that FROM); a trigger no stage of the file runs: nowhere."""
        if ins.parent is None:
            return [(ins, ins.index)] if ins.stage is not None or not in_stage else []
        onbuild = ins.parent
        if onbuild.keyword != "ONBUILD" or onbuild.stage is None:
            return []
        return [(child.from_, (child.index, onbuild.index)) for child in self.ctx.df.stages
                if child.parent is onbuild.stage]


def triggers(stage) -> list:
    """The ONBUILD triggers BuildKit runs first in a stage: those of the stage of the file it is built on (its
    ``initOnBuildTriggers``; a base image's own triggers are not known here), as (ONBUILD, inner instruction)."""
    parent = stage.parent
    if parent is None:
        return []
    return [(i, i.sub) for i in parent.instructions if i.keyword == "ONBUILD" and i.sub is not None]


# -- BuildKit's word expansion (frontend/dockerfile/shell) ---------------------------------------------------------
class LexError(ValueError):
    pass


class Expansion:
    """What ProcessWordWithMatches gives: the text, the words (ProcessWords), the variables found and missed."""

    __slots__ = ("text", "words", "matched", "unmatched")

    def __init__(self, text: str, words: list[str], matched: dict, unmatched: dict):
        self.text = text
        self.words = words
        self.matched = matched  # name -> None, in the order met
        self.unmatched = unmatched


_SPECIAL = set("@*#?-$!0")


class _Lexer:
    def __init__(self, word: str, env: dict[str, str], escape: str, skip_quotes: bool = False):
        self.s = word
        self.i = 0
        self.env = env
        self.escape = escape
        self.skip_quotes = skip_quotes
        self.matched: dict[str, None] = {}
        self.unmatched: dict[str, None] = {}

    def peek(self) -> str:
        return self.s[self.i] if self.i < len(self.s) else ""

    def next(self) -> str:
        ch = self.peek()
        if ch:
            self.i += 1
        return ch

    def get(self, name: str) -> tuple[str, bool]:
        if name in self.env:
            self.matched[name] = None
            return self.env[name], True
        self.unmatched[name] = None
        return "", False

    def process(self, stop: str = "") -> tuple[str, list[str]]:
        result: list[str] = []
        words: list[str] = []
        buf: list[str] = []
        in_word = False

        def add_char(ch: str) -> None:
            nonlocal in_word
            if ch.isspace() and in_word:
                if buf:
                    words.append("".join(buf))
                    buf.clear()
                    in_word = False
            elif not ch.isspace():
                buf.append(ch)
                in_word = True

        def add_raw(text: str) -> None:
            nonlocal in_word
            buf.append(text)
            in_word = True

        while self.peek():
            ch = self.peek()
            if stop and ch == stop:
                self.next()
                break
            if ch == "$":
                tmp = self.dollar()
                result.append(tmp)
                for c in tmp:
                    add_char(c)
            elif ch == "<":
                self.next()
                tmp = "<"
                if self.peek() == "<":
                    self.next()
                    spaces = ""
                    while self.peek() in (" ", "\t"):
                        spaces += self.next()
                    tmp = "<<" + spaces
                result.append(tmp)
                add_raw(tmp)
            elif ch in "'\"" and not self.skip_quotes:
                tmp = self.single() if ch == "'" else self.double()
                result.append(tmp)
                add_raw(tmp)
            else:
                self.next()
                if ch == self.escape:
                    ch = self.next()
                    if not ch:
                        break
                    add_raw(ch)
                else:
                    add_char(ch)
                result.append(ch)
        else:
            if stop:
                raise LexError(f"unexpected end of statement while looking for matching {stop}")
        if buf:
            words.append("".join(buf))
        return "".join(result), words

    def single(self) -> str:
        self.next()
        out = []
        while True:
            ch = self.next()
            if not ch:
                raise LexError("unexpected end of statement while looking for matching single-quote")
            if ch == "'":
                return "".join(out)
            out.append(ch)

    def double(self) -> str:
        self.next()
        out = []
        while True:
            ch = self.peek()
            if not ch:
                raise LexError("unexpected end of statement while looking for matching double-quote")
            if ch == '"':
                self.next()
                return "".join(out)
            if ch == "$":
                out.append(self.dollar())
                continue
            self.next()
            if ch == self.escape:
                nxt = self.peek()
                if not nxt:
                    continue
                if nxt in ('"', "$", self.escape):
                    out.append(self.next())
                    continue
            out.append(ch)

    def name(self) -> str:
        out = []
        while self.peek():
            ch = self.peek()
            if not out and ch.isdigit():
                while self.peek().isdigit():
                    out.append(self.next())
                return "".join(out)
            if not out and ch in _SPECIAL:
                return self.next()
            if not (ch.isalnum() or ch == "_"):
                break
            out.append(self.next())
        return "".join(out)

    def dollar(self) -> str:
        self.next()
        if self.peek() != "{":
            name = self.name()
            if not name:
                return "$"
            return self.get(name)[0]
        self.next()
        if not self.peek():
            raise LexError("syntax error: missing '}'")
        if self.peek() in "{}:":
            raise LexError("syntax error: bad substitution")
        name = self.name()
        ch = self.next()
        if ch == "}":
            return self.get(name)[0]
        null_is_unset = False
        op = ch
        if ch == ":":
            null_is_unset = True
            ch = self.next()
            op += ch
        if ch in ("+", "-", "?", "#", "%"):
            if null_is_unset and ch in "#%":
                raise LexError(f"unsupported modifier ({op}) in substitution")
            word, _ = self.process("}")
            value, is_set = self.get(name)
            unset = not is_set or (null_is_unset and value == "")
            if ch == "-":
                return word if unset else value
            if ch == "+":
                return "" if unset else word
            if ch == "?":
                if unset:
                    raise LexError(f"{name}: {word or 'is not allowed to be unset'}")
                return value
            greedy = word[:1] == ch
            if greedy:
                word = word[1:]
            return _trim(value, word, suffix=ch == "%", greedy=greedy)
        if ch == "/":
            if self.peek() == "/":
                self.next()
            self.process("/")
            self.process("}")
            return self.get(name)[0]
        raise LexError(f"unsupported modifier ({op}) in substitution")


def _trim(value: str, pattern: str, suffix: bool, greedy: bool) -> str:
    rx = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    spans = range(len(value) + 1)
    if suffix:
        order = spans if greedy else reversed(spans)
        for k in order:
            if re.fullmatch(rx, value[k:], re.S):
                return value[:k]
    else:
        order = reversed(spans) if greedy else spans
        for k in order:
            if re.fullmatch(rx, value[:k], re.S):
                return value[k:]
    return value


def expand(word: str, env: dict[str, str], escape: str = "\\", skip_quotes: bool = False) -> Expansion:
    """BuildKit's ProcessWordWithMatches (and ProcessWords: ``.words``). Raises LexError where BuildKit fails."""
    if "$" not in word and escape not in word and "'" not in word and '"' not in word and "<" not in word:
        return Expansion(word, word.split(), {}, {})  # nothing to expand or unquote: most words
    lx = _Lexer(word, env, escape, skip_quotes)
    text, words = lx.process()
    return Expansion(text, words, lx.matched, lx.unmatched)


# -- "did you mean" (util/suggest) --------------------------------------------------------------------------------
def levenshtein(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def suggest(value: str, options, case_sensitive: bool = True) -> str:
    """The closest option at an edit distance under 3 (the first of equals), "" when none or when an option is
    the value itself."""
    val = value if case_sensitive else value.lower()
    match, best = "", 3
    for opt in options:
        o = opt if case_sensitive else opt.lower()
        if o == val:
            return ""
        d = levenshtein(val, o)
        if d < best:
            match, best = (opt if case_sensitive else _match_case(o, value)), d
    return match


def _match_case(val: str, orig: str) -> str:
    if orig == orig.lower():
        return val.lower()
    if orig == orig.upper():
        return val.upper()
    return val


# -- the build's platform and global arguments ------------------------------------------------------------------
_ARCH = {"x86_64": "amd64", "x86-64": "amd64", "amd64": "amd64", "aarch64": "arm64", "arm64": "arm64",
         "i386": "386", "i686": "386", "386": "386", "x86": "386", "armhf": "arm", "armel": "arm", "arm": "arm",
         "ppc64le": "ppc64le", "s390x": "s390x", "riscv64": "riscv64", "mips64": "mips64", "mips64le": "mips64le",
         "loong64": "loong64", "ppc64": "ppc64", "wasm": "wasm"}
_KNOWN_OS = {"aix", "android", "darwin", "dragonfly", "freebsd", "hurd", "illumos", "ios", "js", "linux", "nacl",
             "netbsd", "openbsd", "plan9", "solaris", "windows", "zos", "wasip1", "wasi"}
_KNOWN_ARCH = set(_ARCH.values()) | {"386", "amd64p32", "arm64be", "armbe", "mips", "mipsle", "mips64p32",
                                     "mips64p32le", "ppc", "riscv", "s390", "sparc", "sparc64"}
_COMPONENT = re.compile(r"^[A-Za-z0-9_.-]+$")


def host_platform() -> tuple[str, str]:
    """The build's platform as BuildKit on this machine sees it: (os, arch)."""
    machine = os.uname().machine.lower() if hasattr(os, "uname") else "x86_64"
    return "linux", _ARCH.get(machine, machine)


def parse_platform(spec: str) -> tuple[str, str, str] | None:
    """containerd's platforms.Parse, reduced to what the checks use: (os, arch, variant) normalized, or None for
    what it rejects."""
    if "(" in spec:
        head, _, rest = spec.partition("(")
        version, close, tail = rest.partition(")")
        if not close:
            return None
        spec = head + tail
    parts = spec.split("/")
    if not all(_COMPONENT.match(p) for p in parts):
        return None
    parts = [p.lower() for p in parts]
    host_os, host_arch = host_platform()

    def arch_variant(arch: str, variant: str) -> tuple[str, str]:
        if arch in ("armhf",):
            return "arm", "v7"
        if arch in ("armel",):
            return "arm", "v6"
        if arch in ("aarch64", "arm64") and variant in ("8", "v8"):
            return "arm64", ""
        return _ARCH.get(arch, arch), variant

    if len(parts) == 1:
        if parts[0] in _KNOWN_OS:
            return parts[0], host_arch, ""
        arch, variant = arch_variant(parts[0], "")
        if arch in _KNOWN_ARCH:
            return host_os, arch, variant
        return None
    if len(parts) == 2:
        if parts[0] not in _KNOWN_OS:
            return None
        arch, variant = arch_variant(parts[1], "")
        return (parts[0], arch, variant) if arch in _KNOWN_ARCH else None
    if len(parts) == 3:
        if parts[0] not in _KNOWN_OS:
            return None
        arch, variant = arch_variant(parts[1], parts[2])
        return (parts[0], arch, variant) if arch in _KNOWN_ARCH else None
    return None


def default_args(target_stage: str = "default") -> dict[str, str]:
    """BuildKit's automatic global arguments for a build on this machine without --platform."""
    os_name, arch = host_platform()
    platform = f"{os_name}/{arch}"
    return {"BUILDPLATFORM": platform, "BUILDOS": os_name, "BUILDOSVERSION": "", "BUILDARCH": arch,
            "BUILDVARIANT": "", "TARGETPLATFORM": platform, "TARGETOS": os_name, "TARGETOSVERSION": "",
            "TARGETARCH": arch, "TARGETVARIANT": "", "TARGETSTAGE": target_stage}


def file_meta_args(ctx) -> tuple[dict[str, str], dict[str, object], bool]:
    """meta_args of the context's file, worked out once per file."""
    return ctx.once(file_meta_args, lambda: meta_args(ctx.df))


def meta_args(df) -> tuple[dict[str, str], dict[str, object], bool]:
    """buildMetaArgs without build arguments: the global scope (automatic arguments, then each global ARG's
    default expanded in order), every global ARG's name, and False when an expansion fails (BuildKit then stops
    the check)."""
    last = df.stages[-1].name if df.stages and df.stages[-1].name else ""
    env = default_args(last.lower() if last else "default")
    declared: dict[str, object] = {}
    for ins in df.global_args:
        for p in ins.pairs:
            if p.value is not None:
                try:
                    env[p.key] = expand(p.value_raw if p.value_raw is not None else p.value, env, df.escape).text
                except LexError:
                    return env, declared, False
            declared[p.key] = None
    return env, declared, True


# -- image references (distribution/reference.ParseNormalizedNamed) -------------------------------------------------
_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_DOMAIN = rf"(?:{_DOMAIN_COMPONENT}(?:\.{_DOMAIN_COMPONENT})*|\[(?:[a-fA-F0-9:]+)\])(?::[0-9]+)?"
_PATH_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*"
_REFERENCE = re.compile(
    rf"^((?:{_DOMAIN}/)?{_PATH_COMPONENT}(?:/{_PATH_COMPONENT})*)(?::([\w][\w.-]{{0,127}}))?"
    r"(?:@([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}))?$")
_HEX64 = re.compile(r"^[a-f0-9]{64}$")


def valid_reference(ref: str) -> bool:
    """Would ``reference.ParseNormalizedNamed`` accept this image name?"""
    if not ref or _HEX64.match(ref):
        return False
    slash = ref.find("/")
    first = ref[:slash] if slash >= 0 else ""
    if slash >= 0 and (any(c in first for c in ".:") or first == "localhost" or first.lower() != first):
        remainder = ref[slash + 1:]
        domain = first
    else:
        domain, remainder = "", ref
    name = remainder.split("@", 1)[0]
    colon = name.rfind(":")
    if colon >= 0:
        name = name[:colon]
    if name.lower() != name:
        return False
    m = _REFERENCE.match(f"{domain}/{remainder}" if domain else remainder)
    if m is None or len(m.group(1)) > 255:
        return False
    digest = m.group(3)
    if digest:
        algorithm, _, hex_part = digest.partition(":")
        if algorithm == "sha256" and len(hex_part) != 64:
            return False
        if algorithm == "sha512" and len(hex_part) != 128:
            return False
    return True


def go_quote(text: str) -> str:
    """Go's %q for the strings these messages quote."""
    import json

    return json.dumps(text, ensure_ascii=False)


# -- what each instruction of a stage sees: the variables, the declared arguments, the image's config ------------
DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
NON_ENV_ARGS = frozenset({"BUILDKIT_SBOM_SCAN_CONTEXT", "BUILDKIT_SBOM_SCAN_STAGE"})


class Scope:
    """The state before an instruction: ``env`` (name -> value, in BuildKit's order), ``args`` (the ARG names
    declared in the stage and the stages it builds on), ``known`` (False when the base image's config could not be
    read: its ENV is then assumed to hold only PATH), ``image`` (the root image's reference), ``shell`` (the image
    config has a SHELL), ``workdir_set`` (a WORKDIR came before in the stage chain)."""

    __slots__ = ("env", "args", "known", "image", "shell", "workdir_set")

    def __init__(self, env, args, known, image, shell, workdir_set):
        self.env = env
        self.args = args
        self.known = known
        self.image = image
        self.shell = shell
        self.workdir_set = workdir_set

    def copy(self) -> Scope:
        return Scope(dict(self.env), set(self.args), self.known, self.image, self.shell, self.workdir_set)

    def assumption(self) -> str:
        """What a message adds when the base image's ENV was not known."""
        if self.known:
            return ""
        from ...images import not_asked

        why = not_asked() or "no local Docker engine has it"
        return f" (assuming the base image {self.image} sets no ENV but PATH: {why})"


def base_image_ref(stage) -> str | None:
    """The image a stage chain starts from (None: scratch or a stage that fails to resolve)."""
    root = stage.root()
    if root.resolved.lower() == "scratch" or root.unresolved or not root.resolved:
        return None
    return root.resolved


def lookups(state):
    """The run's questions to the local engine (fastlint/images.py), kept in its RunState."""
    from ...images import Lookups

    return Lookups() if state is None else state.of(Lookups, Lookups)


class UsesBaseImages:
    """Mixed into the checks that read base images from the local engine: the engine calls ``prefetch`` once per
    run with every parsed file they run on, before the files are linted and before it forks its workers
    (``Rule.prefetch``), and the run's ``Lookups`` asks the engine for every base image at once."""

    @classmethod
    def prefetch(cls, state, dfs) -> None:
        refs = set()
        for df in dfs:
            for stage in df.stages:
                ref = base_image_ref(stage)
                if ref:
                    refs.add(ref)
        lookups(state).prefetch(refs)


def stage_scopes(ctx) -> dict[object, Scope]:
    """The Scope before each top-level instruction of every stage (by instruction index), FROM included (the
    scope the stage starts with), and before each ONBUILD trigger a stage runs (by (stage index, ONBUILD's
    index)). Worked out once per file."""
    return ctx.once(stage_scopes, lambda: _scopes(ctx))


def _scopes(ctx) -> dict[object, Scope]:
    df = ctx.df
    images = lookups(ctx.state)
    meta, _, _ = file_meta_args(ctx)
    out: dict[object, Scope] = {}
    final: dict[int, Scope] = {}
    for stage in df.stages:
        if stage.parent is not None and stage.parent.index in final:
            scope = final[stage.parent.index].copy()
        elif stage.resolved.lower() == "scratch":
            scope = Scope({}, set(), True, "scratch", False, False)
        else:
            ref = base_image_ref(stage)
            cfg = images.inspect(ref) if ref else None
            env = dict(cfg.env) if cfg is not None else {}
            scope = Scope(env, set(), cfg is not None, ref or stage.base, bool(cfg and cfg.shell), False)
        if "PATH" not in scope.env:
            scope.env["PATH"] = DEFAULT_PATH
        out[stage.from_.index] = scope.copy()
        for onbuild, trigger in triggers(stage):  # the parent stage's ONBUILD triggers run first
            out[(stage.index, onbuild.index)] = scope.copy()
            apply(scope, trigger, meta, df.escape)
        for ins in stage.instructions:
            if ins.parent is not None:
                continue
            out[ins.index] = scope.copy()
            apply(scope, ins, meta, df.escape)
        final[stage.index] = scope
    return out


def apply(scope: Scope, ins, meta: dict[str, str], escape: str) -> None:
    """What an instruction changes in the scope."""
    kw = ins.keyword
    if kw == "ARG":
        for p in ins.pairs:
            value = None
            if p.value is not None:
                try:
                    value = expand(p.value_raw if p.value_raw is not None else p.value, scope.env, escape).text
                except LexError:
                    value = p.value
            elif p.key in meta:
                value = meta[p.key]
            if value is not None and p.key not in NON_ENV_ARGS:
                scope.env[p.key] = value
            scope.args.add(p.key)
    elif kw == "ENV":
        new = []
        for p in ins.pairs:
            try:
                key = expand(p.key_raw, scope.env, escape).text
                value = expand(p.value_raw if p.value_raw is not None else "", scope.env, escape).text
            except LexError:
                key, value = p.key, p.value or ""
            new.append((key, value))
        for key, value in new:
            scope.env[key] = value
    elif kw == "WORKDIR":
        scope.workdir_set = True
    elif kw == "SHELL":
        scope.shell = bool(ins.value)


def port_specs(words: list[str]):
    """BuildKit's EXPOSE parsing, as far as the checks go: (raw, ip, host_port, proto) per port, in order; stops
    where BuildKit fails the build."""
    for raw in words:
        parts = raw.split(":")
        if len(parts) == 1:
            ip, host, container = "", "", parts[0]
        elif len(parts) == 2:
            ip, host, container = "", parts[0], parts[1]
        else:
            ip, host, container = ":".join(parts[:-2]), parts[-2], parts[-1]
        port, _, proto = container.partition("/")
        if not port or proto.lower() not in ("", "tcp", "udp", "sctp"):
            return
        yield raw, ip, host, proto
        if not _port_range_ok(port) or (host and not _port_range_ok(host)):
            return


def _port_range_ok(text: str) -> bool:
    start, dash, end = text.partition("-")

    def number(s: str) -> int | None:
        if not s or not (s.isdigit() or (s[0] in "+-" and s[1:].isdigit())):
            return None
        n = int(s)
        return n if 0 <= n <= 65535 else None

    a = number(start)
    if a is None:
        return False
    if not dash or start == end:
        return True
    b = number(end)
    return b is not None and b >= a


def exposed(rule, ins, key) -> list[tuple[str, str, str, str, object]]:
    """EXPOSE's ports as BuildKit reads them (each word expanded with the scope at ``key``, then split): (raw, ip,
    host, proto, word)."""
    scope = stage_scopes(rule.ctx).get(key)
    env = scope.env if scope is not None else {}
    expanded = []
    for word in ins.words:
        try:
            parts = expand(word.raw, env, rule.ctx.df.escape).words
        except LexError:
            return []
        expanded += [(p, word) for p in parts]
    out = []
    for k, (raw, ip, host, proto) in enumerate(port_specs([p for p, _ in expanded])):
        out.append((raw, ip, host, proto, expanded[k][1]))
    return out
