"""FL102's fix carries the stage's package and user commands over to the new base's family (rules/lib/port), or
is not offered and says why. The catalogue's FL102 cases show whole files; here each translation and each refusal, and
that what the fix writes fits the new base (FL203 finds nothing) and declares that it changes the base."""

from __future__ import annotations

import pytest

from fastlint.engine.config import builtin_policy
from fastlint.engine.runner import Selection, lint_text
from fastlint.fixer.loop import fix_text


def policy(**bases):
    p = builtin_policy()
    p.shellcheck = False
    if bases:
        p.bases = {**p.bases, **bases}
    return p


def fixed(text: str, **bases) -> str:
    out = fix_text(text, "Dockerfile", policy(**bases), Selection(select=["FL102"]), unsafe=True)
    assert out.discards == []
    assert lint_text(out.text, "Dockerfile", policy(**bases), Selection(select=["FL203"])).findings == []
    return out.text


@pytest.mark.parametrize(("run", "alpine"), [
    ("apt-get update; apt-get install -y git; rm -rf /var/lib/apt/lists/*", "apk add --no-cache git"),
    ("DEBIAN_FRONTEND=noninteractive apt-get install -yq --no-install-recommends ca-certificates && apt-get clean",
     "DEBIAN_FRONTEND=noninteractive apk add --no-cache ca-certificates"),
    ("apt-get -y install netcat dnsutils xz-utils", "apk add --no-cache netcat-openbsd bind-tools xz"),
    ("apt-get install -y apt-transport-https curl", "apk add --no-cache curl"),
    ("apt-get update && apt-get -y dist-upgrade", "apk upgrade --no-cache"),
    ("apt-get purge -y --auto-remove gcc && rm -rf /tmp/x", "apk del gcc && rm -rf /tmp/x"),
    ("if [ -n \"$X\" ]; then apt-get install -y git; fi", "if [ -n \"$X\" ]; then apk add --no-cache git; fi"),
    ("groupadd --system --gid 1001 app && useradd --uid 1001 --gid 1001 --create-home --shell /bin/sh app",
     "addgroup -g 1001 -S app && adduser -S -u 1001 -G app -s /bin/sh app"),
    ("useradd -rm -d /home/app -c 'App user' app", "adduser -S -h /home/app -g 'App user' app"),
    ("useradd app && usermod -aG node,users app", "adduser -S -H app && addgroup app node && addgroup app users"),
    ("addgroup --system --gid 1001 app && adduser --system --uid 1001 --ingroup app --no-create-home app",
     "addgroup -g 1001 -S app && adduser -S -u 1001 -G app -H app"),
    ("echo nothing to carry", "echo nothing to carry"),
])
def test_debian_commands_become_alpine_ones(run, alpine):
    assert fixed(f"FROM node:20\nRUN {run}\n") == f"FROM node:20-alpine\nRUN {alpine}\n"


def test_a_run_left_open_at_the_end_of_the_file_is_carried_over_word_by_word():
    text = "FROM node:20\nRUN apt-get install -y \\\n\tgcc \\\n"
    assert fixed(text) == "FROM node:20-alpine\nRUN apk add --no-cache \\\n\tgcc \\\n"


def test_a_heredoc_script_is_carried_over_line_by_line():
    text = "FROM node:20\nRUN <<EOT\napt-get update\napt-get install -y git\nEOT\n"
    assert fixed(text) == "FROM node:20-alpine\nRUN <<EOT\napk add --no-cache git\nEOT\n"


@pytest.mark.parametrize(("run", "debian"), [
    ("apk update && apk add --no-cache curl && rm -rf /var/cache/apk/*",
     "apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*"),
    ("apk upgrade --no-cache", "apt-get update && apt-get upgrade -y && rm -rf /var/lib/apt/lists/*"),
    ("apk del build-base", "apt-get purge -y build-essential"),
    ("addgroup -S app && adduser -S -D -H -G app app && addgroup app users",
     "groupadd -r app && useradd -r -g app -M app && usermod -a -G users app"),
])
def test_alpine_commands_become_debian_ones(run, debian):
    text = f"FROM node:18-alpine AS production\nRUN {run}\n"
    assert fixed(text, production="node:20-slim") == f"FROM node:20-slim AS production\nRUN {debian}\n"


@pytest.mark.parametrize(("text", "why"), [
    ("FROM ubuntu:22.04\nRUN apt-get install -y curl=7.81.0-1\n", "'curl=7.81.0-1', which is not a plain package"),
    ("FROM node:20\nRUN apt-get install -y $PKGS\n", "the packages of `apt-get install` are in a variable"),
    ("FROM node:20\nRUN apt-get install -y software-properties-common\n",
     "fastlint knows no Alpine name for the package 'software-properties-common'"),
    ("FROM node:20\nRUN dpkg -i x.deb\n", "`dpkg` (Debian's) has no Alpine counterpart"),
    ("FROM node:20\nRUN apt-key add key.gpg\n", "`apt-key` (Debian's) has no Alpine counterpart"),
    ("FROM fedora:40\nRUN dnf install -y git\n", "`dnf` cannot be carried over to the Alpine base"),
    ("FROM node:20\nSHELL [\"/bin/bash\", \"-c\"]\nRUN echo hi\n", "the SHELL at line 2 runs bash"),
    ("FROM node:20\nRUN bash -c 'echo hi'\n", "the RUN runs bash, which the Alpine base does not have"),
    ("FROM node:20\nRUN [\"apt-get\", \"install\", \"-y\", \"git\"]\n", "the RUN at line 2 is in exec form"),
    ("FROM node:20\nRUN apt-get update > /dev/null && apt-get install -y git\n",
     "the RUN at line 2 is not a plain list of commands"),
    ("FROM node:20\nRUN apt-get update \\\n  # refresh\n  && apt-get install -y git\n",
     "the RUN at line 2 has comment lines between the commands"),
    ("FROM node:20\nRUN useradd -U app\n", "`useradd -U` has no counterpart fastlint writes"),
    ("FROM node:20\nRUN groupadd -g 1001 app && useradd -u 1001 -g 1002 app\n",
     "no group with gid 1002 is created in the same RUN"),
    ("FROM node:20\nRUN apt-get install -y git\n", "'example.com/base:1' is of a family fastlint does not know"),
])
def test_the_fix_is_refused_with_the_reason(text, why):
    bases = {"production": "example.com/base:1"} if "example.com" in why else {}
    out = fix_text(text, "Dockerfile", policy(**bases), Selection(select=["FL102"]), unsafe=True)
    assert out.text == text
    messages = [f.message for f in out.remaining if f.code == "FL102"]
    assert len(messages) == 1 and "; no fix: " in messages[0] and why in messages[0], messages


def test_the_fix_declares_that_it_changes_the_base_and_says_what_it_carried_over():
    result = lint_text("FROM node:20\nRUN apt-get install -y git\n", "Dockerfile", policy(), Selection(select=["FL102"]))
    fix = result.findings[0].fix
    assert fix.changes == {"base"}
    assert fix.description == ("use the policy's base node:20-alpine, with the stage's commands carried over to "
                               "Alpine from Debian/Ubuntu")


def test_the_same_family_is_switched_without_touching_the_commands():
    text = "FROM node:18-alpine\nRUN apk add curl && rm -rf /var/lib/apt/lists/*\n"
    assert fixed(text) == "FROM node:20-alpine\nRUN apk add curl && rm -rf /var/lib/apt/lists/*\n"
