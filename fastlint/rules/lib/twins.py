"""What a hadolint rule and BuildKit's check that says the same thing share: the same fix, the same words."""

from __future__ import annotations

from ...engine.rule import Edit

# stage names BuildKit reserves (DL3063, ReservedStageName)
RESERVED = ("scratch", "context")


def exec_form(ins, script: str, start: int) -> Edit | None:
    """Exec form of a simple command line (no shell syntax). Unsafe: the process is no longer started by
    /bin/sh -c, so it becomes PID 1 and gets signals itself (the point of DL3025 and JSONArgsRecommended), and
    variables in its arguments are no longer expanded. Commands with shell syntax get no fix."""
    from ...parser.shell import parse_shell

    if any(ch in script for ch in "$`|&;<>(){}*?~\\\n'\"") or "#" in script:
        return None
    sh = parse_shell(script)
    if not sh.ok or len(sh.commands) != 1:
        return None
    cmd = sh.commands[0]
    if cmd.assignments:
        return None
    import json  # (only when a fix is made: not on the lint path)

    return Edit(start, ins.args_end, json.dumps([cmd.name] + cmd.arg_texts))


def drop_platform(text: str, ins, flag) -> Edit | None:
    """Remove FROM's ``--platform`` flag (and the blank after it). Safe: a stage is built for the target platform
    anyway, so the image is the same (DL3065, RedundantTargetPlatform)."""
    if sum(1 for f in ins.flags if f.name == "platform") != 1:
        return None
    end = flag.end
    while end < len(text) and text[end] in " \t":
        end += 1
    return Edit(flag.start, end, "")


def authors_label(ins) -> Edit | None:
    """MAINTAINER rewritten as the OCI authors label (DL4000, MaintainerDeprecated)."""
    if not ins.value:
        return None
    import json

    return Edit(ins.keyword_start, ins.args_end, "LABEL org.opencontainers.image.authors=" + json.dumps(ins.value[0]))
