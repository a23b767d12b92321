"""The shell model of RUN: simple commands, their words and flags, pipes, lists and subshells.

Parsed with tree-sitter-bash (a kept library with a compiled grammar: it imports in about a millisecond and
recovers from errors; bashlex takes about 200 ms to import and gives up on much of the corpus — see
``scripts/measure_shell_parsers.py``). Rules read this model, never raw regexes over RUN text.

Flags follow hadolint's reading: ``--name=value`` is the flag ``name``; ``-abc`` is the flags ``a``, ``b``, ``c``;
nothing after ``--`` is a flag.
"""

from __future__ import annotations

from functools import lru_cache, partial

_PARSER = None


def _parser():
    global _PARSER
    if _PARSER is None:
        binding = _binding("tree_sitter")
        _PARSER = binding.Parser(binding.Language(_binding("tree_sitter_bash").language()))
    return _PARSER


def _binding(package: str):
    """A tree-sitter package's compiled extension module (``<package>/_binding.*.so``), loaded by itself: the
    packages' ``__init__`` modules cost more start-up than the whole shell model (tree_sitter's imports ``typing``
    and defines Protocol classes; tree_sitter_bash's imports ``importlib.resources``, and with it tempfile and
    shutil, for query files fastlint never reads). The module is registered under its own name, so that a later
    ``import <package>`` uses the same one. Falls back to the package's normal import."""
    import sys

    name = f"{package}._binding"
    found = sys.modules.get(name)
    if found is not None:
        return found
    try:
        import importlib.machinery
        import os

        suffixes = tuple(importlib.machinery.EXTENSION_SUFFIXES)
        for entry in sys.path:
            folder = os.path.join(entry or os.curdir, package)
            if not os.path.isfile(os.path.join(folder, "__init__.py")):
                continue
            for file in os.listdir(folder):
                if file.startswith("_binding.") and file.endswith(suffixes):
                    path = os.path.join(folder, file)
                    loader = importlib.machinery.ExtensionFileLoader(name, path)
                    spec = importlib.machinery.ModuleSpec(name, loader, origin=path)
                    module = loader.create_module(spec)
                    loader.exec_module(module)
                    sys.modules[name] = module
                    return module
            break
    except (ImportError, OSError):
        pass
    import importlib

    return importlib.import_module(name)


class ShellWord:
    """A word: ``text`` with quotes removed (expansions kept as written), ``raw`` as written; ``start``/``end``
    are offsets into the script."""

    __slots__ = ("text", "raw", "start", "end")

    def __init__(self, text: str, raw: str, start: int, end: int):
        self.text = text
        self.raw = raw
        self.start = start
        self.end = end


class Command:
    """A simple command: ``name`` is the command word (quotes removed), ``args`` the words after it."""

    __slots__ = (
        "name", "args", "start", "end", "name_word", "assignments", "in_pipeline", "in_subshell",
        "redirects", "base"
    )

    def __init__(
        self,
        name: str,
        args: list[ShellWord],
        start: int,
        end: int,
        name_word: ShellWord | None = None,
        assignments: list[str] | None = None,
        in_pipeline: bool = False,
        in_subshell: bool = False,
        redirects: list[str] | None = None,
    ):
        self.name = name
        self.base = name.rsplit("/", 1)[-1]  # what ``is_`` compares (``/usr/bin/apt-get`` -> ``apt-get``)
        self.args = args
        self.start = start
        self.end = end
        self.name_word = name_word
        self.assignments = [] if assignments is None else assignments
        self.in_pipeline = in_pipeline
        self.in_subshell = in_subshell
        self.redirects = [] if redirects is None else redirects  # the command's redirections as written (``2>&1``)

    @property
    def arg_texts(self) -> list[str]:
        return [a.text for a in self.args]

    def flags(self) -> list[str]:
        """Every flag, hadolint style: ``--no-cache`` -> ``no-cache``; ``-yq`` -> ``y``, ``q``."""
        out: list[str] = []
        for a in self.args:
            t = a.text
            if t == "--":
                break
            if t.startswith("--"):
                out.append(t[2:].split("=", 1)[0])
            elif t.startswith("-") and len(t) > 1:
                out.extend(t[1:])
        return out

    def has_flag(self, *names: str) -> bool:
        """True when any of the flags is present (``has_flag("y", "yes", "assume-yes")``)."""
        present = self.flags()
        return any(n in present for n in names)

    def args_no_flags(self) -> list[str]:
        """The arguments that are not flags (a flag's separate value counts as an argument, as in hadolint)."""
        return [w.text for w in self.operands()]

    def operands(self, value_flags: tuple[str, ...] | frozenset[str] = ()) -> list[ShellWord]:
        """The words that are neither flags nor the separate value of a flag named in ``value_flags`` (names
        without dashes: ``("t", "target-release")`` skips ``-t value`` and ``--target-release value``;
        ``--target-release=value`` is one word). After ``--`` every word is an operand."""
        out: list[ShellWord] = []
        skip = dashdash = False
        for a in self.args:
            t = a.text
            if dashdash:
                out.append(a)
            elif skip:
                skip = False
            elif t == "--":
                dashdash = True
            elif t.startswith("-") and t != "-":
                skip = "=" not in t and t.lstrip("-") in value_flags
            else:
                out.append(a)
        return out

    def flag_value(self, *names: str) -> str | None:
        """The value of ``--name=value``, ``--name value`` or ``-n value`` for any of the names."""
        args = self.args
        for i, a in enumerate(args):
            t = a.text
            for n in names:
                long = ("--" if len(n) > 1 else "-") + n
                if t == long:
                    return args[i + 1].text if i + 1 < len(args) else None
                if t.startswith(long + "="):
                    return t[len(long) + 1 :]
        return None

    def has_args(self, *values: str) -> bool:
        """True when any of the values is among the arguments."""
        texts = self.arg_texts
        return any(v in texts for v in values)

    def subcommand(self, value_flags: tuple[str, ...] | frozenset[str] = ()) -> str | None:
        """The first operand (``apt-get install`` -> ``install``; with ``value_flags``, as in ``operands``:
        ``dnf --installroot /mnt clean all`` -> ``clean``)."""
        rest = self.operands(value_flags)
        return rest[0].text if rest else None

    def removes(self, *folders: str) -> bool:
        """An ``rm`` that removes one of the folders: the folder, something in it, or a folder above it
        (``rm -rf /var/lib/apt/lists/*``, ``rm -rf /var/cache``), ``{a,b}`` groups expanded as bash does."""
        if not self.is_("rm"):
            return False
        for word in self.args_no_flags():
            for path in expand_braces(word):
                stripped = path.rstrip("*").rstrip("/")
                for folder in folders:
                    if path.startswith(folder) or (stripped and folder.startswith(stripped + "/")):
                        return True
        return False

    def is_(self, *names: str) -> bool:
        """True when the command is one of the names (compared on the basename: ``/usr/bin/apt-get``)."""
        return self.base in names


def expand_braces(word: str, limit: int = 64) -> list[str]:
    """bash's brace expansion of one word (``/var/lib/{apt,dpkg}/`` -> ``/var/lib/apt/``, ``/var/lib/dpkg/``);
    the word itself when it has no ``{a,b}`` group."""
    depth, start = 0, -1
    for i, ch in enumerate(word):
        if ch == "{":
            if depth == 0:
                start = i
            depth += 1
        elif ch == "}" and depth:
            depth -= 1
            if depth == 0:
                inner, parts, level, last = word[start + 1 : i], [], 0, 0
                for j, c in enumerate(inner):
                    level += (c == "{") - (c == "}")
                    if c == "," and level == 0:
                        parts.append(inner[last:j])
                        last = j + 1
                if not parts:
                    continue
                parts.append(inner[last:])
                out: list[str] = []
                for part in parts:
                    out += expand_braces(word[:start] + part + word[i + 1 :], limit)
                    if len(out) >= limit:
                        break
                return out[:limit]
    return [word]


class ShellScript:

    __slots__ = ("text", "commands", "has_pipes", "ok", "pipelines")

    def __init__(
        self,
        text: str,
        commands: list[Command],
        has_pipes: bool = False,
        ok: bool = True,
        pipelines: list[list[Command | None]] | None = None,
    ):
        self.text = text
        self.commands = commands
        self.has_pipes = has_pipes
        self.ok = ok  # parsed without syntax errors
        self.pipelines = [] if pipelines is None else pipelines

    def find(self, *names: str) -> list[Command]:
        return [c for c in self.commands if c.is_(*names)]

    def using(self, *names: str) -> bool:
        return any(c.is_(*names) for c in self.commands)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.commands]


_WORDY = {"word", "string", "raw_string", "concatenation", "simple_expansion", "expansion", "number",
          "command_substitution", "ansi_c_string", "translated_string", "arithmetic_expansion",
          "process_substitution", "brace_expression"}


def _unquote_node(node, src: bytes, raw: str | None = None) -> str:
    t = node.type
    if raw is None:
        raw = src[node.start_byte : node.end_byte].decode("utf-8", "replace")
    if t == "raw_string":
        return raw[1:-1]
    if "\\" not in raw and t in ("string", "word"):  # fast path: nothing to unescape
        return raw[1:-1] if t == "string" else raw
    if t == "string":
        inner = raw[1:-1]
        out, i = [], 0
        while i < len(inner):
            ch = inner[i]
            if ch == "\\" and i + 1 < len(inner) and inner[i + 1] in '$`"\\\n':
                i += 1
                ch = inner[i]
            out.append(ch)
            i += 1
        return "".join(out)
    if t == "ansi_c_string":
        return raw[2:-1]
    if t == "concatenation":
        return "".join(_unquote_node(c, src) for c in node.children)
    if t == "word":
        out, i = [], 0
        while i < len(raw):
            ch = raw[i]
            if ch == "\\" and i + 1 < len(raw):
                i += 1
                ch = raw[i]
            out.append(ch)
            i += 1
        return "".join(out)
    return raw


class _Walker:
    def __init__(self, src: bytes, text: str):
        self.src = src
        self.text = text
        self.ascii = len(src) == len(text)
        self.commands: list[Command] = []
        self.has_pipes = False
        self.pipelines: list[list[Command | None]] = []

    def off(self, b: int) -> int:
        return b if self.ascii else len(self.src[:b].decode("utf-8", "replace"))

    def word(self, node) -> ShellWord:
        raw = self.src[node.start_byte : node.end_byte].decode("utf-8", "replace")
        return ShellWord(_unquote_node(node, self.src, raw), raw, self.off(node.start_byte),
                         self.off(node.end_byte))

    def walk(self, root, pipeline: bool = False, subshell: bool = False) -> None:
        """Visit the tree in source order without recursion, so that a script nested hundreds of levels deep
        (``$($($(...)))``) is read like any other. ``_stack`` holds what is left to do: nodes to visit
        ``(node, pipeline, subshell)`` and callbacks to run when the nodes scheduled before them are done."""
        stack = self._stack = [(root, pipeline, subshell)]
        while stack:
            item = stack.pop()
            if callable(item):
                item()
            else:
                self.visit(*item)

    def later(self, *items) -> None:
        """Schedule nodes and callbacks to be done in this order, before anything scheduled earlier."""
        self._stack.extend(reversed(items))

    def visit(self, node, pipeline: bool, subshell: bool) -> None:
        t = node.type
        if t == "pipeline":
            self.has_pipes = True
            self.pipeline(node, subshell)
            return
        if t == "subshell":
            subshell = True
        if t == "command":
            self.command(node, pipeline, subshell)
            return
        if t in ("declaration_command", "unset_command"):
            self.declaration(node, pipeline, subshell)
            return
        children = [(c, pipeline, subshell) for c in node.children]
        if t == "redirected_statement" and node.children and node.children[0].type == "command":
            before = len(self.commands)

            def redirects() -> None:
                if len(self.commands) > before:
                    self.commands[before].redirects.extend(
                        self.src[c.start_byte : c.end_byte].decode("utf-8", "replace")
                        for c in node.children[1:] if c.type.endswith("redirect"))

            self.later(*children, redirects)
            return
        self.later(*children)

    def pipeline(self, node, subshell: bool) -> None:
        stages: list[Command | None] = []

        def stage(c) -> None:
            inner = c
            if inner.type == "redirected_statement" and inner.children:  # wc -l > /number
                inner = inner.children[0]
            before = len(self.commands)
            simple = inner.type in ("command", "declaration_command", "unset_command")
            self.later((c, True, subshell), lambda: stages.append(
                self.commands[before] if simple and len(self.commands) > before else None))

        self.later(*[partial(stage, c) for c in _pipeline_stages(node)], lambda: self.pipelines.append(stages))

    def command(self, node, pipeline: bool, subshell: bool) -> None:
        name_word = None
        args: list[ShellWord] = []
        assigns: list[str] = []
        redirects: list[str] = []
        nested = []
        for c in node.children:
            t = c.type
            if t == "command_name":
                inner = c.children[0] if c.children else c
                name_word = self.word(inner)
                nested.append(c)
            elif t == "variable_assignment":
                assigns.append(self.src[c.start_byte : c.end_byte].decode("utf-8", "replace"))
                nested.append(c)
            elif t in _WORDY:
                args.append(self.word(c))
                nested.append(c)
            elif t in ("file_redirect", "herestring_redirect", "heredoc_redirect"):
                nested.append(c)
                redirects.append(self.src[c.start_byte : c.end_byte].decode("utf-8", "replace"))
        cmd = Command(
            name=name_word.text if name_word else "", args=args, start=self.off(node.start_byte),
            end=self.off(node.end_byte), name_word=name_word, assignments=assigns, in_pipeline=pipeline,
            in_subshell=subshell, redirects=redirects,
        )
        self.commands.append(cmd)
        # commands inside $(...), <(...) and the like come after the command that holds them
        if not _may_nest(self.src, node):
            return
        self.later(*[(cc, pipeline, True) for c in nested
                     for sub in _descendants_of_type(c, ("command_substitution", "process_substitution"))
                     for cc in sub.children])

    def declaration(self, node, pipeline: bool, subshell: bool) -> None:
        """``export A=1 B``, ``declare -x A``, ``readonly R=1``, ``unset X``: a command named by its keyword whose
        arguments are the words as written (an assignment is one word ``A=1``), as ShellCheck and hadolint see
        them."""
        keyword = node.children[0] if node.children else None
        if keyword is None:
            return
        name = self.src[keyword.start_byte : keyword.end_byte].decode("utf-8", "replace")
        name_word = ShellWord(name, name, self.off(keyword.start_byte), self.off(keyword.end_byte))
        args: list[ShellWord] = []
        for c in node.children[1:]:
            if c.type == "variable_assignment":
                name_node = c.child_by_field_name("name")
                value_node = c.child_by_field_name("value")
                raw = self.src[c.start_byte : c.end_byte].decode("utf-8", "replace")
                if name_node is not None and value_node is not None:
                    text = (self.src[name_node.start_byte : name_node.end_byte].decode("utf-8", "replace") + "="
                            + _unquote_node(value_node, self.src))
                else:
                    text = raw
                args.append(ShellWord(text, raw, self.off(c.start_byte), self.off(c.end_byte)))
            elif c.type in _WORDY or c.type == "variable_name":
                args.append(self.word(c))
        self.commands.append(Command(name=name, args=args, start=self.off(node.start_byte),
                                     end=self.off(node.end_byte), name_word=name_word, in_pipeline=pipeline,
                                     in_subshell=subshell))
        if not _may_nest(self.src, node):
            return
        self.later(*[(cc, pipeline, True)
                     for sub in _descendants_of_type(node, ("command_substitution", "process_substitution"))
                     for cc in sub.children])


def _may_nest(src: bytes, node) -> bool:
    """False when a node's text cannot hold a command substitution or a process substitution (no ``$(``, no
    backquote, no ``<(``/``>(``): the search for nested commands is then skipped (it is most of the walk's cost)."""
    text = src[node.start_byte : node.end_byte]
    return b"(" in text or b"`" in text


def _pipeline_stages(node):
    """The stages of a pipeline node, flattened: tree-sitter-bash nests ``a | b > f | c`` as a pipeline whose first
    stage is a redirected pipeline."""
    for c in node.children:
        if not c.is_named or c.type == "comment":  # the | and |& tokens
            continue
        if c.type == "pipeline":
            yield from _pipeline_stages(c)
        elif c.type == "redirected_statement" and c.children and c.children[0].type == "pipeline":
            yield from _pipeline_stages(c.children[0])
        else:
            yield c


def _descendants_of_type(node, types):
    stack = [node]
    while stack:
        n = stack.pop()
        if n.type in types:
            yield n
            continue
        stack.extend(reversed(n.children))


@lru_cache(maxsize=4096)
def parse_shell(text: str) -> ShellScript:
    """Parse a POSIX/bash script into the shell model (cached: identical RUN bodies are parsed once)."""
    src = text.encode("utf-8", "surrogatepass")
    tree = _parser().parse(src)
    w = _Walker(src, text)
    w.walk(tree.root_node)
    return ShellScript(text=text, commands=w.commands, has_pipes=w.has_pipes, ok=not tree.root_node.has_error,
                       pipelines=w.pipelines)


# -- the RUN model -----------------------------------------------------------------------------------------------
SHELLS = frozenset({"sh", "bash", "ash", "dash", "zsh", "ksh", "mksh"})


class RunScript:
    """One script a RUN executes, with its place in the Dockerfile.

    ``origin`` says where the text comes from: ``shell`` (the shell-form line, continuations removed),
    ``heredoc`` (a heredoc body a shell runs) or ``exec`` (the exec form: the script of ``["sh", "-c", SCRIPT]``,
    else the words joined as one command line, quoted where needed). ``span(a, b)`` gives the source offsets of
    script offsets ``[a, b)``: exact where the text is written verbatim in the source, else the best place there
    is (the heredoc body's offsets, or the whole instruction); ``exact_span(a, b)`` gives exact offsets or None.
    """

    __slots__ = ("ins", "text", "origin", "_base", "_exact", "_shell")

    def __init__(self, ins, text: str, origin: str, base: int, exact: bool):
        self.ins = ins
        self.text = text
        self.origin = origin
        self._base = base  # shell: index in ins.logical.text; heredoc: source offset of the body; exec: unused
        self._exact = exact
        self._shell: ShellScript | None = None

    @property
    def shell(self) -> ShellScript:
        if self._shell is None:
            self._shell = parse_shell(self.text)
        return self._shell

    @property
    def commands(self) -> list[Command]:
        return self.shell.commands

    def exact_span(self, a: int, b: int) -> tuple[int, int] | None:
        if not self._exact:
            return None
        if self.origin == "shell":
            return self.ins.logical.span(self._base + a, self._base + b)
        return self._base + a, self._base + b

    def span(self, a: int, b: int) -> tuple[int, int]:
        exact = self.exact_span(a, b)
        if exact is not None:
            return exact
        if self.origin == "heredoc":
            return self._base + a, self._base + b
        ins = self.ins
        return ins.keyword_start, ins.args_end or ins.keyword_end

    def word_span(self, w: ShellWord) -> tuple[int, int]:
        return self.span(w.start, w.end)


def _quote(v: str) -> str:
    import json
    import re

    return v if re.fullmatch(r"[A-Za-z0-9_./=:@%+,-]+", v) else json.dumps(v)


def _exec_text(words: list[str]) -> str:
    if words and words[0].rsplit("/", 1)[-1] in SHELLS and len(words) >= 3 and words[1] == "-c":
        return words[2]
    return " ".join(_quote(v) for v in words)


def run_model(ins) -> list[RunScript]:
    """The scripts a RUN instruction executes, in order (computed once per instruction): the shell-form line;
    the heredoc bodies a shell runs (``RUN <<EOF`` alone, or a shell such as ``bash <<EOF`` reading its script
    from the heredoc; a body fed to another program, ``python3 <<EOF``, is not shell); or the exec form's
    script. ONBUILD RUN: the inner instruction's. Any other instruction: none."""
    return _model(ins)[0]


_NO_RUN: tuple[list, list] = ([], [])


def _model(ins) -> tuple[list[RunScript], list[Command]]:
    """The scripts of a RUN and all their commands, computed once (kept in ``Instruction.run``)."""
    ins = ins.sub if ins.sub is not None else ins
    if ins.run is not None:
        return ins.run
    if ins.keyword != "RUN":
        return _NO_RUN
    if ins.json:
        out = [RunScript(ins, _exec_text(ins.value), "exec", 0, False)]
    else:
        lg = ins.logical
        lo = lg.text.rfind(ins.args_text) if lg is not None else -1
        main = RunScript(ins, ins.args_text, "shell", lo, lo >= 0)
        out = [main]
        if ins.heredocs:
            bodies = [RunScript(ins, h.content, "heredoc", h.body_start, h.body_end - h.body_start == len(h.content)
                                and ins.logical is not None)
                      for h in ins.heredocs]
            cmds = main.commands
            if not cmds:  # RUN <<EOF: the body is the script
                out = bodies
            elif any(c.is_(*SHELLS) and "c" not in c.flags() for c in cmds):
                out = [main, *bodies]
    ins.run = (out, [c for script in out for c in script.commands])
    return ins.run


def _logical_index(lg, source_offset: int, text: str) -> int:
    """The index in the logical line of a source offset (where the RUN's arguments start)."""
    for lstart, sstart, length in lg.segments:
        if sstart <= source_offset < sstart + length:
            i = lstart + source_offset - sstart
            if lg.text.startswith(text, i):
                return i
            break
    i = lg.text.rfind(text)
    return max(i, 0)


def shell_input(ins, src: str):
    """What the shell of a shell-form RUN reads, as BuildKit hands it over: ``(body, pieces, shebang)``, or None.

    A RUN whose whole command is one heredoc (``RUN <<EOF``) gives that heredoc's body (the script the shell
    runs; ``shebang`` is the words of its ``#!`` line, which picks the interpreter, else None); any other RUN
    gives its shell line followed by each heredoc's body and terminator. ``pieces`` map the body back to the
    source: ``(body_start, length, logical, base)``: body offsets ``[body_start, body_start + length)`` are index
    ``base + i`` of the instruction's logical line (``logical`` True) or source offset ``base + i``. ShellCheck
    checks this text; the rules read the commands of ``run_model``, made of the same parts."""
    lg = ins.logical
    args = ins.args_text
    if lg is None:
        return None
    lo = _logical_index(lg, ins.args_start, args)
    hds = ins.heredocs
    if len(hds) == 1 and args.strip() == src[hds[0].start : hds[0].end]:
        h = hds[0]
        body, base = src[h.body_start : h.body_end], h.body_start
        shebang = None
        if body.startswith("#!"):
            nl = body.find("\n")
            nl = len(body) if nl < 0 else nl
            shebang = body[2:nl].split()
            body, base = body[nl + 1 :], base + nl + 1
        return body, [(0, len(body), False, base)], shebang
    body = args
    pieces = [(0, len(args), True, lo)]
    for h in hds:
        content = src[h.body_start : h.body_end]
        body += "\n"
        pieces.append((len(body), len(content), False, h.body_start))
        body += content
        if content and not content.endswith("\n"):
            body += "\n"
        pieces.append((len(body), len(h.name), False, h.terminator_start))
        body += h.name + "\n"
    return body, pieces, None


def run_scripts(ins) -> list[ShellScript]:
    """The parsed scripts of ``run_model(ins)``."""
    return [s.shell for s in run_model(ins)]


def run_commands(ins) -> list[Command]:
    """Every simple command of a RUN instruction's scripts, in order (see ``run_model``; the list is shared by
    the rules that read one instruction: they must not change it)."""
    return _model(ins)[1]


def script_of(ins, cmd: Command) -> RunScript | None:
    """The script of ``run_model(ins)`` that holds ``cmd``."""
    for script in run_model(ins):
        if any(c is cmd for c in script.commands):
            return script
    return None


def run_mounts(ins) -> list[dict[str, str]]:
    """The ``--mount`` options of a RUN as dicts (``type`` defaults to ``bind``; ``dst``/``destination`` are
    given as ``target``)."""
    out = []
    for f in ins.flags:
        if f.name != "mount" or not f.value:
            continue
        opts = {"type": "bind"}
        for part in f.value.split(","):
            key, _, value = part.partition("=")
            key = key.strip().lower()
            if key in ("dst", "destination"):
                key = "target"
            opts[key] = value.strip()
        out.append(opts)
    return out


def cache_mount_covers(ins, *paths: str) -> bool:
    """True when a ``type=cache`` or ``type=tmpfs`` mount of the RUN covers one of the paths: its target is the
    path, a folder above it, or (for a path without a leading ``/``, such as ``.cache/pip``) ends with it. Files
    written there never reach the image, so cleaning them up is not needed."""
    for m in run_mounts(ins):
        if m.get("type") not in ("cache", "tmpfs"):
            continue
        target = m.get("target", "").rstrip("/")
        if not target:
            continue
        for p in paths:
            p = p.rstrip("/")
            if p.startswith("/"):
                if p == target or p.startswith(target + "/"):
                    return True
            else:
                parts = p.split("/")
                for k in range(1, len(parts) + 1):
                    if target.endswith("/" + "/".join(parts[:k])):
                        return True
    return False


def source_span(ins, cmd: Command, start: int, end: int) -> tuple[int, int] | None:
    """The source offsets of ``[start, end)`` in the script of ``run_model(ins)`` that holds ``cmd`` (offsets
    into that script, such as ``cmd.start`` or a word's ``end``). None for the exec form, where the words are
    not shell text, or when the text cannot be mapped back exactly."""
    script = script_of(ins, cmd)
    return script.exact_span(start, end) if script is not None else None


def command_node(ins, cmd: Command):
    """Something to report a command at: its exact source span, or the instruction when it cannot be mapped."""
    from .tree import Node

    span = source_span(ins, cmd, cmd.start, cmd.end)
    return Node(span[0], span[1]) if span else ins


def word_end(ins, cmd: Command, word: ShellWord) -> int | None:
    """The source offset just after a word of a command (where a fix inserts an option), or None."""
    span = source_span(ins, cmd, word.start, word.end)
    return span[1] if span else None


def append_point(ins) -> int | None:
    """The source offset where `` && cmd`` can be appended to a shell-form RUN so that it runs after everything
    else: just after the script's last character. None for the exec form, heredocs, a script that does not
    parse, ends with ``;``, ``&`` or ``|``, or holds a ``#`` (a comment would swallow the addition)."""
    if ins.json or ins.heredocs or ins.logical is None:
        return None
    script = parse_shell(ins.args_text)
    text = ins.args_text.rstrip()
    if not script.ok or not script.commands or not text or text[-1] in ";&|\\" or "#" in text:
        return None
    lo = ins.logical.text.rfind(ins.args_text)
    if lo < 0:
        return None
    return ins.logical.span(lo, lo + len(text))[1]
