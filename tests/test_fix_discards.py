"""Fix rules that write bad text are bugs: running every fix (safe, then safe and unsafe) must discard nothing,
no fix may leave commands that do not fit their stage's base (FL203 fires no more after the fix than before), and
the result must parse, be its own fix (fixing it again changes nothing) and keep every comment line but the
pragmas FL001 removes (``scripts/fix_fuzz.py``'s ``problems``).

The fix loop throws away a fix whose text does not parse, whose edits overlap, that changes nothing, that breaks
the file with the other fixes of its pass, or that never settles (``FixOutcome.discards``). Users never see those,
so this test looks: on the files that made each mended generator write bad text (minimised from fuzzing runs),
on every file of the corpus (tests/data) and the fixtures, and on a sample of mutants made by ``scripts/fix_fuzz.py``
with its default seed (``FASTLINT_FUZZ_COUNT`` mutants, default 300 here; the script itself runs 5,000 and more).
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

from fastlint.engine.config import builtin_policy
from fastlint.engine.runner import Selection
from fastlint.fixer.loop import fix_text

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("fix_fuzz", ROOT / "scripts" / "fix_fuzz.py")
fix_fuzz = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fix_fuzz)

PATH = "/nonexistent/fast-validation-service/Dockerfile"  # a service of the matrix: the health check rules fix too


def policy():
    p = builtin_policy()
    p.shellcheck = False
    return p


def discards(text: str, path: str = PATH) -> list[str]:
    """What ``scripts/fix_fuzz.py`` counts for a file: fixes thrown away (safe, then unsafe), and a fixed file with
    more instructions where FL203 finds commands that do not fit their base than the original had."""
    return [f"{mode} {code} {why}" for mode, code, why in fix_fuzz.problems(text, path, policy(), Selection())]


# Minimised from fix_fuzz runs: each made a rule's fix write text that the loop had to throw away.
REGRESSIONS = {
    "FL302: two-line user creation with a backtick escape (adduser became an instruction)":
        "# escape=`\nFROM node:20-alpine AS production\nCMD [\"node\", \"dist/index.js\"]\n",
    "FL302 and FL602 after a FROM with an open continuation at the end of the file":
        "FROM node:20-alpine \\\n",
    "FL301: USER appended to an ENV left open at the end of the file":
        "FROM node:20-alpine\nRUN addgroup -g 1001 -S nodejs && adduser -S -u 1001 -G nodejs nodejs\n"
        "ENV name=value \\\n    name2=\"value2a \\\n           value2b\" \\",
    "FL501: two-line health check with a backtick escape":
        "# escape=`\nFROM node:20-alpine AS production\nRUN addgroup -g 1001 -S nodejs && `\n"
        "    adduser -S -u 1001 -G nodejs nodejs\nUSER nodejs\nEXPOSE 50052\nCMD [\"node\", \"dist/index.js\"]\n",
    "FL102: a RUN carried over word by word that ends the file in an open continuation (edits overlapped)":
        "FROM debian:bullseye-slim AS builder\nRUN apt-get update && apt-get install -y \\\n\tgcc \\\n"
        "\tlibc6-dev \\\n\t--no-install-recommends \\\n",
    "DL3012: the comment line inside a removed HEALTHCHECK was lost":
        "FROM debian\nHEALTHCHECK\nHEALTHCHECK --interval=5s --timeout=3s --retries=3 \\\n    # indented note\n"
        "  CMD /app/check.sh --quiet\nHEALTHCHECK CMD\nHEALTHCHECK CONNECT TCP 7000\n",
    "FL001: removing an unused pragma on line 1 made the '# escape=`' comment below a directive":
        "# fastlint: ignore=FL001\n# escape=`\n#\nFROM alpine:3.23\nRUN set -eux; \\\n\tadduser -u 82 -D -S www-data\n",
    "DL3009: rm appended inside an open quote (never settles)":
        "FROM ubuntu:14.04\n  RUN apt-get \\update && \\\nADD \\conf\\\\\" /.znc\n",
}


@pytest.mark.parametrize("name", list(REGRESSIONS))
def test_mended_generators_write_text_that_parses(name):
    assert discards(REGRESSIONS[name]) == []


def buildkit(text: str) -> list[tuple[str, tuple]]:
    """The instructions as BuildKit's own parser reads them (the ``dockerfile`` package)."""
    import dockerfile

    return [(c.cmd.upper(), c.value) for c in dockerfile.parse_string(text)]


def test_the_mended_fixes_are_applied_and_mean_what_they_say():
    """Not silenced: the fixes are still applied, and BuildKit reads each added line as its own instruction
    (before, some of them parsed but joined the instruction above: ``FROM node:20-alpine RUN apk upgrade``)."""
    fixed = {name: fix_text(text, PATH, policy(), Selection(), unsafe=True).text for name, text in REGRESSIONS.items()}
    names = list(REGRESSIONS)
    ins = buildkit(fixed[names[0]])
    assert ("RUN", ("addgroup -g 1001 -S nodejs &&     adduser -S -u 1001 -G nodejs nodejs",)) in ins
    assert ins[-1] == ("CMD", ("node", "dist/index.js"))
    ins = buildkit(fixed[names[1]])
    assert ins[0] == ("FROM", ("node:20-alpine",)) and ("RUN", ("apk upgrade --no-cache",)) in ins
    ins = buildkit(fixed[names[2]])
    assert ("ENV", ("name", "value", "name2", '"value2a            value2b"')) in ins and ("USER", ("nodejs",)) in ins
    ins = buildkit(fixed[names[3]])
    health = [v for c, v in ins if c == "HEALTHCHECK"]
    assert health and health[0][0] == "CMD" and "grpc_health_probe" in health[0][1]
    assert [c for c, _ in ins].count("CMD") == 1


def test_no_discards_over_the_corpus_and_the_fixtures():
    files = fix_fuzz.sources()
    assert len(files) > 300
    found = {}
    for name, text in files:
        if fix_fuzz.parse(text).error is None:
            bad = discards(text)
            if bad:
                found[name] = bad
    assert found == {}


def test_no_discards_over_fuzzed_files():
    count = int(os.environ.get("FASTLINT_FUZZ_COUNT", "300"))
    base = fix_fuzz.sources()
    found = {}
    n = 0
    for name, text, _ in fix_fuzz.mutants(fix_fuzz.SEED, count, base):
        n += 1
        bad = discards(text)
        if bad:
            found[name] = (text, bad)
    assert n == count
    assert found == {}
