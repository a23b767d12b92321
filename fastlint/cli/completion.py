"""Shell completion for bash, zsh and fish, from the same description of the options as the help.

The shell's function runs ``fastlint`` with ``_FASTLINT_COMPLETE=complete_<shell>`` and the words typed so far
in ``COMP_WORDS``/``COMP_CWORD``; ``answer`` prints the candidates, one a line: command names, option names, an
option's choices. Nothing is printed where a file name is expected, and the shell completes file names.
``_FASTLINT_COMPLETE=source_<shell>`` prints the script; ``fastlint --show-completion`` prints it for the shell
fastlint runs in, ``--install-completion`` adds it to that shell's start-up file.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

SCRIPTS = {
    "bash": """_fastlint_completion() {
    local IFS=$'\\n'
    COMPREPLY=( $( env COMP_WORDS="${COMP_WORDS[*]}" COMP_CWORD=$COMP_CWORD _FASTLINT_COMPLETE=complete_bash $1 ) )
    return 0
}

complete -o default -F _fastlint_completion fastlint
""",
    "zsh": """#compdef fastlint

_fastlint_completion() {
    local -a completions
    completions=("${(@f)$(env COMP_WORDS="${words[*]}" COMP_CWORD=$((CURRENT-1)) _FASTLINT_COMPLETE=complete_zsh fastlint)}")
    if [[ -n "${completions[*]}" ]]; then
        compadd -a completions
    else
        _files
    fi
}

compdef _fastlint_completion fastlint
""",
    "fish": """function __fastlint_complete
    set -l words (commandline -opc) (commandline -ct)
    env COMP_WORDS="$words" COMP_CWORD=(math (count $words) - 1) _FASTLINT_COMPLETE=complete_fish fastlint
end

complete -c fastlint -a '(__fastlint_complete)'
""",
}
TOP_OPTIONS = ("--help", "--version", "--show-completion", "--install-completion")


def candidates(words: list[str], cword: int) -> list[str]:
    from .commands import COMMANDS, command

    current = words[cword] if cword < len(words) else ""
    if cword <= 1:
        names = TOP_OPTIONS if current.startswith("-") else tuple(COMMANDS)
        return [n for n in names if n.startswith(current)]
    name = words[1]
    if name not in COMMANDS:
        return []
    spec = command(name)[0]
    before = words[cword - 1] if cword - 1 < len(words) else ""
    opt = spec.by_flag.get(before)
    if opt is not None and opt.kind != "flag":
        return [c for c in opt.choices or () if c.startswith(current)]  # no choices: a file name, the shell's
    if current.startswith("-"):
        flags = [f for o in spec.options if not o.hidden for f in o.flags if f.startswith("--")]
        return [f for f in [*flags, "--help"] if f.startswith(current)]
    return []


def answer(environ) -> int:
    mode = environ.get("_FASTLINT_COMPLETE", "")
    kind, _, shell = mode.partition("_")
    if kind == "source":
        if shell not in SCRIPTS:
            return _unknown(shell)
        sys.stdout.write(SCRIPTS[shell])
        return 0
    words = environ.get("COMP_WORDS", "").split()
    try:
        cword = int(environ.get("COMP_CWORD", "0"))
    except ValueError:
        return 0
    for c in candidates(words, cword):
        print(c)
    return 0


def detect_shell() -> str | None:
    """The shell fastlint runs in: the parent process's name, else $SHELL."""
    try:
        name = Path(f"/proc/{os.getppid()}/comm").read_text().strip()
    except OSError:
        name = ""
    if name not in SCRIPTS:
        name = Path(os.environ.get("SHELL", "")).name
    return name if name in SCRIPTS else None


def _unknown(shell) -> int:
    print(f"fastlint: unknown shell {shell!r} (bash, zsh or fish)", file=sys.stderr)
    return 2


def show(shell: str | None) -> int:
    shell = shell or detect_shell()
    if shell not in SCRIPTS:
        return _unknown(shell)
    sys.stdout.write(SCRIPTS[shell])
    return 0


def install(shell: str | None) -> int:
    shell = shell or detect_shell()
    if shell not in SCRIPTS:
        return _unknown(shell)
    home = Path(os.path.expanduser("~"))
    if shell == "fish":
        target = home / ".config" / "fish" / "completions" / "fastlint.fish"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(SCRIPTS["fish"], encoding="utf-8")
    else:
        target = home / (".bashrc" if shell == "bash" else ".zshrc")
        line = f'eval "$(_FASTLINT_COMPLETE=source_{shell} fastlint)"\n'
        existing = target.read_text(encoding="utf-8") if target.exists() else ""
        if line not in existing:
            with open(target, "a", encoding="utf-8") as f:
                f.write(("\n" if existing and not existing.endswith("\n") else "") + line)
    print(f"{shell} completion installed in {target}; it works in new shells")
    return 0
