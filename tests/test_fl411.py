"""FL411 (a git dependency installed in a stage without git): which images have git, what installs it, which
installs are judged, and what the finding says. The catalogue's cases (rules/FL411.md) cover the main forms; the
wild set's real case is in tests/test_fix_berry.py."""

from __future__ import annotations

import json

import pytest

from fastlint.api import lint_text
from fastlint.parser.stages import ImageRef
from fastlint.project.gitdeps import git_dependencies, is_git_spec, name_and_spec
from fastlint.rules.fl411 import has_git


@pytest.mark.parametrize("image, git", [
    ("alpine:3.19", False), ("node:20-alpine", False), ("node:18-alpine3.16", False), ("node:20-slim", False),
    ("node:20-bookworm-slim", False), ("node:20", True), ("node", True), ("docker.io/library/node:18", True),
    ("node:lts", True), ("ubuntu:24.04", None), ("debian:12", None), ("python:3.12-alpine", None),
    ("aaa:1", None), ("nodejs:20", None), ("registry.example.com/node:20-alpine", None),
])
def test_which_images_have_git(image, git):
    assert has_git(ImageRef.parse(image)) is git
    assert has_git(None) is None


def findings(tmp_path, dockerfile: str, dependencies: dict, field: str = "dependencies", lockfile: str = ""):
    tmp_path = tmp_path / str(len(list(tmp_path.iterdir())))  # a fresh folder for each call
    tmp_path.mkdir()
    (tmp_path / "package.json").write_text(json.dumps({"name": "svc", field: dependencies}, indent=2))
    if lockfile:
        (tmp_path / lockfile).write_text("# lockfile\n")
    (tmp_path / "Dockerfile").write_text(dockerfile)
    return [(f.line, f.message) for f in lint_text(dockerfile, str(tmp_path / "Dockerfile"), no_config=True,
                                                   select=("FL411",))]


GIT = {"paginator": "github:o/paginator#develop"}


def test_the_message_names_the_first_dependency_the_others_counted_and_the_base_image(tmp_path):
    three = {"a": "github:o/a#develop", "b": "o/b#main", "c": "git+https://gitlab.com/o/c.git"}
    df = "FROM node:20-alpine AS deps\nWORKDIR /app\nCOPY . .\nFROM deps AS builder\nRUN yarn install\n"
    assert findings(tmp_path, df, three) == [
        (5, "package.json:4 asks for a from git (github:o/a#develop) (and 2 more), and node:20-alpine has no git: "
            "the install stops (`spawn git ENOENT`); install git in this stage first, or commit the lockfile (it "
            "locks the commit)")]
    two = {"a": "github:o/a#develop", "b": "o/b#main"}
    assert "(and 1 more), and" in findings(tmp_path, df, two)[0][1]
    assert "paginator from git (github:o/paginator#develop), and node:20-alpine has no git" in \
        findings(tmp_path, df, GIT)[0][1]


@pytest.mark.parametrize("before, reported", [
    ("RUN apk add --no-cache git\n", False),
    ("RUN apk add --no-cache curl python3 && mkdir -p /x\n", True),  # other packages are not git
    ("RUN apk add --no-cache git && apk del git\n", True),  # installed, then removed: del is no add
    ("", True),
])
def test_what_installs_git_before_the_install(tmp_path, before, reported):
    if "apk del git" in before:
        before = "RUN apk del git\n"
    df = f"FROM node:20-alpine\nWORKDIR /app\n{before}COPY . .\nRUN npm install\n"
    assert bool(findings(tmp_path, df, GIT)) is reported


def test_git_installed_earlier_in_the_same_run(tmp_path):
    df = "FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nRUN apk add --no-cache git && yarn install\n"
    assert findings(tmp_path, df, GIT) == []
    df = "FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nRUN yarn install && apk add --no-cache git\n"
    assert [line for line, _ in findings(tmp_path, df, GIT)] == [4]


def test_every_install_of_every_stage_is_judged(tmp_path):
    df = ("FROM node:20 AS tools\nRUN echo hi\nFROM node:20-alpine AS deps\nWORKDIR /app\nCOPY . .\n"
          "RUN echo start && npm install --prefix /tmp/elsewhere && npm install\n")
    assert [line for line, _ in findings(tmp_path, df, GIT)] == [6]  # the second stage; the third command


def test_an_install_without_devdependencies_still_installs_optional_ones(tmp_path):
    df = "FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nRUN npm install --omit=dev\n"
    assert [line for line, _ in findings(tmp_path, df, GIT, field="optionalDependencies")] == [4]
    assert findings(tmp_path, df, GIT, field="devDependencies") == []


def test_a_lockfile_of_the_installing_manager_locks_the_commit(tmp_path):
    df = "FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nRUN npm install\n"
    assert findings(tmp_path, df, GIT, lockfile="package-lock.json") == []
    assert [line for line, _ in findings(tmp_path, df, GIT, lockfile="yarn.lock")] == [4]  # not npm's


def test_name_and_spec():
    assert name_and_spec("a@o/a") == ("a", "o/a")
    assert name_and_spec("@scope/x@github:o/x#dev") == ("@scope/x", "github:o/x#dev")
    assert name_and_spec("ab@git@github.com:o/ab.git") == ("ab", "git@github.com:o/ab.git")


def test_a_patch_without_a_source_is_not_git():
    assert not is_git_spec("patch:o/r")
    assert is_git_spec("patch:x@o%2Fr#./p.patch")


def test_git_dependencies_without_key_lines_say_line_0():
    found = git_dependencies({"dependencies": {"a": "o/a"}}, {})
    assert [(f.value, f.line, f.where) for f in found] == [("a@o/a", 0, "package.json")]
