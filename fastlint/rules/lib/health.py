"""HEALTHCHECK: the commands it runs (exec form or shell form, each word with its source place), the port a probe
targets, the standard's health check for a service."""

from __future__ import annotations

import json
import re

from ...parser.shell import RunScript
from ...parser.tree import Node


# -- health checks ---------------------------------------------------------------------------------------------------
class Arg:
    """A word of a health check command: ``start``/``end`` its source span; ``inner`` the source offset of
    ``text[0]`` when the text is written verbatim (no quotes inside, no line break), else None."""

    def __init__(self, text: str, start: int, end: int, inner: int | None):
        self.text = text
        self.start = start
        self.end = end
        self.inner = inner

    def sub(self, i: int, j: int) -> Node:
        if self.inner is None:
            return Node(self.start, self.end)
        return Node(self.inner + i, self.inner + j)


class HealthCmd:

    def __init__(self, name: Arg, args: list[Arg]):
        self.name = name
        self.args = args


    @property
    def base(self) -> str:
        return self.name.text.rsplit("/", 1)[-1]


def healthcheck(stages):
    """The HEALTHCHECK the image gets from these stages (the last one; None when there is none or it is NONE)."""
    found = None
    for stage in stages:
        for ins in stage.instructions:
            if ins.keyword == "HEALTHCHECK":
                found = ins
    if found is None or not found.value or found.value[0].upper() != "CMD":
        return None
    return found


def _arg_from(text: str, raw: str, start: int, end: int, source: str) -> Arg:
    inner = None
    if source[start:end] == raw:
        if raw == text:
            inner = start
        elif len(raw) >= 2 and raw[0] in "'\"" and raw[-1] == raw[0] and raw[1:-1] == text:
            inner = start + 1
    return Arg(text, start, end, inner)


def health_commands(df, ins) -> list[HealthCmd]:
    """The commands a HEALTHCHECK runs: the exec-form argv, or the simple commands of its shell script."""
    src = df.text
    if ins.json:
        words = ins.words[1:]
        if not words:
            return []
        if words[0].text == "CMD-SHELL" or ins.value[1:2] == ["CMD-SHELL"]:
            return []
        args = [_arg_from(w.text, w.raw, w.start, w.end, src) for w in words]
        return [HealthCmd(args[0], args[1:])]
    text = ins.value[1] if len(ins.value) > 1 else ""
    lg = ins.logical
    lo = len(lg.text) - len(text) if lg is not None and lg.text.endswith(text) else -1
    script = RunScript(ins, text, "shell", lo, lo >= 0)  # the shell form's script, mapped as a RUN line is
    out = []
    for c in script.shell.commands:
        if not c.name or c.name_word is None:
            continue
        s, e = script.word_span(c.name_word)
        name = _arg_from(c.name, c.name_word.raw, s, e, src)
        args = []
        for w in c.args:
            s, e = script.word_span(w)
            args.append(_arg_from(w.text, w.raw, s, e, src))
        out.append(HealthCmd(name, args))
    return out


def probe_port(cmd: HealthCmd) -> tuple[int | None, Arg | None, int, int]:
    """The port a probe command targets: (port, arg, i, j) with ``arg.text[i:j]`` the port's digits (i == j when
    the port is implied by the URL scheme); (None, None, 0, 0) when the command names none."""
    if cmd.base == "grpc_health_probe":
        args = cmd.args
        for k, a in enumerate(args):
            value, offset = None, 0
            for flag in ("-addr=", "--addr="):
                if a.text.startswith(flag):
                    value, offset = a.text[len(flag):], len(flag)
            if a.text in ("-addr", "--addr") and k + 1 < len(args):
                a = args[k + 1]
                value, offset = a.text, 0
            if value is not None:
                m = re.search(r":(\d+)$", value)
                if m:
                    return int(m.group(1)), a, offset + m.start(1), offset + m.end(1)
                return None, None, 0, 0
        return None, None, 0, 0
    for a in cmd.args:
        m = re.match(r"^(https?)://(\[[^\]]*\]|[^/:?#]*)(?::(\d+))?", a.text)
        if m:
            if m.group(3):
                return int(m.group(3)), a, m.start(3), m.end(3)
            return (443 if m.group(1) == "https" else 80), a, m.end(2), m.end(2)
    return None, None, 0, 0


def healthcheck_text(service) -> str:
    """The standard's health check command for a service (what FL501 adds and FL502 writes), in exec form: no
    shell between the engine and the probe (hadolint's DL3025 reads HEALTHCHECK CMD like CMD)."""
    if service.type == "grpc":
        argv = ["grpc_health_probe", f"-addr=localhost:{service.port}"]
        if service.health_service:
            argv.append(f"-service={service.health_service}")
    else:
        argv = ["curl", "-f", f"http://localhost:{service.port}/health"]
    return "CMD " + json.dumps(argv)
