"""Step 3: render the new file: the template filled with the context, the COPY lines it has no slot for, the
instructions kept as comments, the original's file-wide pragmas, its line endings."""

from __future__ import annotations

from ...engine.pragmas import is_file_pragma
from ...parser import parse
from ...parser.tree import Dockerfile
from .model import MigrationError
from .read import LegacyReader


def render_file(context: dict, reader: LegacyReader, df: Dockerfile, text: str, path: str,
                template: str | None = None) -> str:
    """The new Dockerfile's text."""
    from ...policy.template import TemplateError, render

    try:
        rendered = render(context, template)
    except TemplateError as err:
        raise MigrationError(str(err)) from None
    if reader.copy_lines:
        rendered = _insert_copies(rendered, reader.copy_lines, path)
    if reader.kept_blocks:
        rendered = rendered.rstrip("\n") + "\n\n" + "\n".join(reader.kept_blocks) + "\n"
    # file-wide pragmas (the service, global ignores) still hold for the new file; per-instruction and per-stage
    # ignores go with the instructions and stages the template replaces
    pragmas = [f"# {c.text}" for c in df.comments if is_file_pragma(c.text)]
    if pragmas:
        rendered = "\n".join(dict.fromkeys(pragmas)) + "\n" + rendered
    if "\r\n" in text and text.count("\r\n") * 2 >= text.count("\n"):
        rendered = rendered.replace("\n", "\r\n")
    return rendered


def _insert_copies(rendered: str, lines: list[str], path: str) -> str:
    """Add COPY lines after the last COPY of the rendered file's final stage (the template has no slot for a
    destination outside the workdir)."""
    df = parse(rendered, path)
    if df.error is not None or not df.stages:
        raise MigrationError(f"the template's output does not parse (line {df.error.line if df.error else 1})")
    final = df.stages[-1]
    copies = [i for i in final.instructions if i.keyword == "COPY"]
    user = "nodejs:nodejs"
    for i in copies:
        chown = i.flag_value("chown")
        if chown:
            user = chown
            break
    text = "".join(line.replace("{user}", user) + "\n" for line in lines)
    if copies:
        at = copies[-1].end
    else:
        anchor = next((i for i in final.instructions if i.keyword in ("USER", "EXPOSE", "HEALTHCHECK", "CMD")), None)
        at = anchor.start if anchor is not None else len(rendered)
    if at > 0 and rendered[at - 1] != "\n":
        text = "\n" + text
    return rendered[:at] + text + rendered[at:]
