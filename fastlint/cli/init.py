"""``fastlint init``: write fastlint.yaml with the built-in policy and the services found under a folder."""

from __future__ import annotations

from .spec import Command, Option, fail, parse

INIT = Command(
    "init",
    "Write fastlint.yaml with the built-in policy and the services found under the folder.",
    positional=("path", "PATH", "?", "the project folder (default '.')"),
    options=[Option(("--force",), "force", "flag", help="overwrite an existing fastlint.yaml")],
)


def main(argv: list[str]) -> int:
    args = parse(INIT, argv)
    from pathlib import Path

    from ..policy.init import write_config

    path = Path(args.path or ".")
    try:
        written = write_config(path, force=args.force)
    except OSError as err:  # FileExistsError: a fastlint.yaml is there already; others: the folder
        fail(f"{path}: {err.strerror}" if err.strerror and err.filename is not None else str(err))
    print(f"wrote {written}")
    return 0
