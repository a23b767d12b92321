"""What ``fastlint check`` on one small file imports: only what that run needs (issue 12's start-up target; the
figures themselves are scripts/benchmark.py's). And the program runner that replaced subprocess on that path."""

from __future__ import annotations

import subprocess
import sys

import pytest

from fastlint.rules.lib.process import Timeout, run_with_input

HEAVY = ("subprocess", "tempfile", "typing", "argparse", "ruamel.yaml", "docker", "hashlib", "pathlib", "urllib.parse",
         "http.client", "email", "ssl",
         "fastlint.engine.manifests", "fastlint.report.sarif_format", "tree_sitter")


def imported_by_check(tmp_path, text: str, *args: str) -> set[str]:
    (tmp_path / "Dockerfile").write_text(text)
    code = ("import sys, os\n"
            "from fastlint.cli import main\n"
            "try:\n"
            f"    main(['check', *{list(args)!r}, {str(tmp_path / 'Dockerfile')!r}])\n"
            "except SystemExit:\n"
            "    pass\n"
            "print(' '.join(sorted(sys.modules)), file=sys.stderr)\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                       env={"FASTLINT_NO_CACHE": "1", "PATH": "/usr/bin:/bin"})
    return set(r.stderr.strip().splitlines()[-1].split())


@pytest.mark.parametrize("profile", ["fast", "hadolint"])
def test_one_small_file_imports_only_what_the_run_needs(tmp_path, profile):
    mods = imported_by_check(tmp_path, "FROM debian\nRUN apt-get install -y curl\nLABEL foo=bar\n",
                             "--no-config", "--profile", profile)
    assert "fastlint.rules.shellcheck" in mods and "tree_sitter._binding" in mods  # the RUN was checked
    heavy = [m for m in HEAVY if m in mods]
    if profile == "fast":  # FL404 looks for the .dockerignore beside the Dockerfile with pathlib
        heavy = [m for m in heavy if m not in ("pathlib", "urllib.parse")]
    assert heavy == []
    rules = {m for m in mods if m.startswith("fastlint.rules.") and ".lib" not in m}
    if profile == "hadolint":
        assert not [m for m in rules if m.startswith("fastlint.rules.fl")]  # FAST rules not even imported
        # rules needing instructions the file does not have are not imported (Rule.needs_instructions)
        assert "fastlint.rules.dl3008" in rules and not {"fastlint.rules.dl3020", "fastlint.rules.dl3045"} & rules


def test_a_file_without_run_loads_no_shell_model(tmp_path):
    mods = imported_by_check(tmp_path, "FROM debian:12.5\nLABEL foo=bar\n", "--no-config")
    assert "tree_sitter._binding" not in mods and "fastlint.rules.lib.process" not in mods


def test_the_program_runner_gives_output_exit_code_and_input_of_any_size():
    code, out, err = run_with_input(["sh", "-c", "wc -c; echo oops >&2; exit 3"], b"x" * 300_000, 10)
    assert (code, out.strip(), err) == (3, b"300000", b"oops\n")
    code, out, _ = run_with_input(["cat"], b"", 10)
    assert (code, out) == (0, b"")


def test_the_program_runner_stops_a_program_that_takes_too_long():
    with pytest.raises(Timeout):
        run_with_input(["sleep", "5"], b"", 0.2)
    with pytest.raises(OSError):
        run_with_input(["/nonexistent/program"], b"", 1)
