"""Inputs a fuzzing run found that broke fastlint, each as a user meets it: deep nesting, a ShellCheck run that
would not end, Ctrl-C. (Parser parity cases are in test_parser_parity.py, the fuzzer itself in test_fuzz.py.)"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fastlint.cli.check import main as check_main
from fastlint.engine.config import builtin_policy
from fastlint.engine.rule import Context
from fastlint.parser import parse
from fastlint.parser.shell import parse_shell
from fastlint.parser.stages import Stage
from fastlint.rules import shellcheck
from fastlint.rules.dl3044 import DL3044, references, refers_to


def nested(depth: int, inner: str = "x") -> str:
    return "$(" * depth + inner + ")" * depth


def test_500_nested_substitutions_are_read_to_the_innermost_command():
    script = parse_shell("echo " + nested(500, "ssh host"))
    assert len(script.commands) == 501
    assert script.commands[-1].name == "ssh" and script.commands[-1].in_subshell


def test_deep_nesting_is_linted_not_a_traceback(tmp_path, capsys):
    """``RUN echo $($($(... ssh ...)))`` 500 levels deep (a RecursionError traceback before): DL3001 finds the
    ssh at the bottom."""
    (tmp_path / ".git").mkdir()
    path = tmp_path / "Dockerfile"
    path.write_text("FROM alpine:3.19\nRUN echo " + nested(500, "ssh host") + "\n")
    code = check_main(["--format", "json", "--no-shellcheck", "--select", "DL3001", str(path)])
    captured = capsys.readouterr()
    assert code == 1, captured.err
    assert [(f["code"], f["line"]) for f in json.loads(captured.out)] == [("DL3001", 2)]
    assert "Traceback" not in captured.err


def test_deep_subshells_and_pipelines_keep_their_order():
    """The walk keeps source order and the pipeline stages with nesting 300 levels deep."""
    script = parse_shell("( " * 300 + "a | b $(c | d) | e" + " )" * 300 + " && f")
    assert [c.name for c in script.commands] == ["a", "b", "c", "d", "e", "f"]
    assert [[s.name for s in p] for p in script.pipelines] == [["c", "d"], ["a", "b", "e"]]
    assert all(c.in_subshell for c in script.commands[:5]) and not script.commands[5].in_subshell


# -- linear time (figures: scripts/benchmark.py --only scaling) ------------------------------------------------------

@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(["$", "{", "}", "${", "$A", "${A}", "${AB}", "$AB", "_", "B", "-", ":", "$$",
                                 "${${A}}", "${A:-x}", "$1"]), max_size=8).map("".join))
def test_dl3044_reads_each_value_once_with_the_same_verdict(text):
    """The names a value refers to, read once per pair, are the names ``refers_to`` would find one by one."""
    refs = references(text)
    for name in ("A", "B", "AB", "A_B", "1", "x"):
        assert (name in refs) == refers_to(name, text), (name, text)


def test_dl3044_on_a_long_env_finds_the_pair_that_refers_to_another():
    pairs = [f"V{i}=v{i}" for i in range(2000)] + ["W=${V7}/x"]
    df = parse("FROM alpine:3.19\nENV " + " \\\n  ".join(pairs) + "\n")
    hits = list(DL3044(Context(df, builtin_policy(), None, "Dockerfile")).check(df.instructions[1]))
    assert [df.source.text[h.start:h.end] for h in hits] == ["W=${V7}/x"]


def test_stage_lookup_by_name_is_the_first_stage_without_case_and_follows_new_stages():
    df = parse("FROM a AS Build\nFROM b AS x\nFROM c AS build\n")
    assert df.stage_named("BUILD").index == 0 and df.stage_named("x").index == 1
    assert df.stage_named("nope") is None
    df.stages.append(Stage(index=3, from_=df.instructions[0], name="late", base="d"))
    assert df.stage_named("LATE").index == 3


# -- ShellCheck bounded in time and memory ------------------------------------------------------------------------

def sc_check(tmp_path, capsys, text: str) -> tuple[int, list[dict]]:
    (tmp_path / ".git").mkdir(exist_ok=True)
    path = tmp_path / "Dockerfile"
    path.write_text(text)
    code = check_main(["--format", "json", "--select", "SC", str(path)])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and "ShellCheck failed" not in captured.err, captured.err
    return code, json.loads(captured.out)


@pytest.fixture
def own_sc_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("FASTLINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("FASTLINT_NO_CACHE", raising=False)


@pytest.mark.parametrize("script", [
    "echo " + nested(1000),  # 20 s and 1.9 GB unbounded
    "echo " + "$(echo " * 16 + "x" + ")" * 16,  # exponential: 29 s at 15 deep, little memory
])
def test_shellcheck_gives_up_on_one_run_and_the_run_goes_on(tmp_path, capsys, own_sc_cache, script):
    code, findings = sc_check(tmp_path, capsys,
                              f"FROM alpine:3.19\nRUN cp $a /x\nRUN {script}\nRUN cp $b /y\n")
    assert code == 1
    gave_up = [f for f in findings if f["code"] == shellcheck.GAVE_UP]
    assert [(f["line"], f["level"]) for f in gave_up] == [(3, "warning")]
    message = gave_up[0]["message"]  # which bound it meets first depends on the machine
    assert "ShellCheck gave up" in message and ("MiB of memory" in message or "s of CPU time" in message)
    assert {(f["code"], f["line"]) for f in findings} >= {("SC2086", 2), ("SC2086", 4)}
    assert not (tmp_path / "cache").exists() or not any(  # a script given up on is tried again next run
        shellcheck.GAVE_UP in p.read_text() for p in (tmp_path / "cache").rglob("*.json"))


def test_a_file_with_one_deep_run_is_bounded_too(tmp_path, capsys, own_sc_cache):
    """One script goes to ShellCheck's standard input (no batch, no temporary folder): under the same bounds."""
    before = shellcheck.STATS["processes"]
    code, findings = sc_check(tmp_path, capsys, "FROM alpine:3.19\nRUN echo " + nested(1000) + "\n")
    assert code == 1
    assert [(f["code"], f["line"]) for f in findings] == [(shellcheck.GAVE_UP, 2)]
    assert shellcheck.STATS["processes"] - before == 1


def test_a_batch_past_its_bound_is_checked_again_in_halves(tmp_path, capsys, own_sc_cache, monkeypatch):
    """The deep script in a batch with others (not set apart by its nesting): the batch dies at its bound, its
    halves are checked again, and only the deep script is given up on."""
    monkeypatch.setattr(shellcheck, "DEEP_NESTING", 10**6)
    monkeypatch.setattr(shellcheck, "MIN_SCRIPTS_PER_PROCESS", 1000)  # one batch for all
    monkeypatch.setattr(shellcheck, "MEMORY_LIMIT", 200 * 2**20)
    monkeypatch.setattr(shellcheck, "CPU_BASE", 1.0)
    runs = [f"RUN cp $v{i} /x{i}" for i in range(6)]
    runs.insert(3, "RUN echo " + nested(1000))
    before = shellcheck.STATS["processes"]
    code, findings = sc_check(tmp_path, capsys, "FROM alpine:3.19\n" + "\n".join(runs) + "\n")
    assert [f["line"] for f in findings if f["code"] == shellcheck.GAVE_UP] == [5]
    assert sorted(f["line"] for f in findings if f["code"] == "SC2086") == [2, 3, 4, 6, 7, 8]
    assert shellcheck.STATS["processes"] - before > 1


# -- Ctrl-C ---------------------------------------------------------------------------------------------------------

def _children(pid: int) -> set[tuple[int, str]]:
    """(pid, start time) of the processes whose parent is ``pid`` (/proc)."""
    out = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                out.add((int(entry), fields[19]))
    return out


def _alive(pid: int, start: str) -> bool:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return False
    return fields[19] == start and fields[0] != "Z"


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_text()
    except OSError:
        return ""


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc (Linux)")
@pytest.mark.parametrize("to", ["the process", "its process group"])
def test_ctrl_c_ends_every_child_and_writes_nothing(tmp_path, to):
    """A real run with forked lint workers and ShellCheck processes, interrupted by SIGINT sent to fastlint alone
    (``kill -INT``) or to its process group (a terminal's Ctrl-C): one line, exit 130, no process left, no output
    file (nor its temporary file), no temporary folder of ShellCheck's batch left."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "tmp").mkdir()
    for i in range(70):  # enough files for FASTLINT_JOBS=2 to fork a worker
        (tmp_path / f"s{i}").mkdir()
        (tmp_path / f"s{i}" / "Dockerfile").write_text(
            f"FROM alpine:3.19\nRUN cp $a{i} /x && echo $(ls $b{i})\nRUN for f in *; do cat $f; done\n")
    (tmp_path / "deep.Dockerfile").write_text(  # keeps ShellCheck busy for its whole bound
        "FROM alpine:3.19\nRUN echo " + '"$(x=1 ' * 1000 + "x" + ')"' * 1000 + "\n")
    env = {**os.environ, "FASTLINT_NO_CACHE": "1", "FASTLINT_JOBS": "2", "TMPDIR": str(tmp_path / "tmp")}
    proc = subprocess.Popen([sys.executable, "-m", "fastlint", "check", "--format", "json", "--output", "out.json",
                             "."], cwd=tmp_path, stderr=subprocess.PIPE, env=env,
                            start_new_session=(to != "the process"))
    seen: set[tuple[int, str]] = set()
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            seen |= _children(proc.pid)
            if any("shellcheck" in _cmdline(pid) for pid, _ in seen):
                break
            time.sleep(0.02)
        assert any("shellcheck" in _cmdline(pid) for pid, _ in seen), "no ShellCheck process was seen"
        if to == "the process":
            os.kill(proc.pid, signal.SIGINT)
        else:
            os.killpg(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=30)
    finally:  # a failing run leaves nothing behind either
        for pid, start in [(proc.pid, None), *seen]:
            if proc.poll() is None or (start is not None and _alive(pid, start)):
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
        proc.wait(timeout=30)
    assert proc.returncode == 130
    assert err.decode() == "fastlint: interrupted\n"
    assert [pid for pid, start in seen if _alive(pid, start)] == []
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith((".out", "out"))]
    assert [p.name for p in (tmp_path / "tmp").iterdir()] == []
