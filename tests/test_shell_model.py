"""The shell model's reading of a command's words (fastlint/parser/shell.py), which the package-manager rules share."""

from __future__ import annotations

import pytest

from fastlint.parser.shell import parse_shell


def command(text: str):
    (cmd,) = parse_shell(text).commands
    return cmd


@pytest.mark.parametrize("text, value_flags, operands", [
    ("apt-get install -y curl wget", (), ["install", "curl", "wget"]),
    ("apt-get -o Acquire::Retries=3 install curl", ("o",), ["install", "curl"]),
    ("apt-get -o Acquire::Retries=3 install curl", (), ["Acquire::Retries=3", "install", "curl"]),  # as hadolint
    ("apt-get --option=A=1 install curl", ("option",), ["install", "curl"]),  # the value is in the flag's word
    ("dnf --installroot /mnt/rootfs clean all", ("installroot",), ["clean", "all"]),
    ("rm -rf -- -odd-name /tmp/x", (), ["-odd-name", "/tmp/x"]),  # after --, every word is an operand
    ("cat -", (), ["-"]),
])
def test_operands_skip_flags_and_the_values_of_the_named_ones(text, value_flags, operands):
    cmd = command(text)
    assert [w.text for w in cmd.operands(value_flags)] == operands
    assert cmd.subcommand(value_flags) == operands[0]
    if not value_flags:
        assert cmd.args_no_flags() == operands


@pytest.mark.parametrize("text, removed", [
    ("rm -rf /var/lib/apt/lists/*", True),
    ("rm -rf /var/lib/apt", True),  # a folder above
    ("rm -rf /var/lib/{apt,dpkg}/lists", True),  # braces expanded as bash does
    ("rm -rf /var/lib/dpkg", False),
    ("rm -rf /", False),
    ("echo /var/lib/apt/lists", False),  # not rm
])
def test_removes_a_folder_something_in_it_or_a_folder_above_it(text, removed):
    assert command(text).removes("/var/lib/apt/lists") is removed
