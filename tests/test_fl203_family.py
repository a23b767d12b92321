"""The base image's OS family (rules/lib/families) and FL203 on real files.

FL203's catalogue cases (rules/FL203.md) run through the whole pipeline in test_rule_cases; here the family table
on image names seen in the corpus and elsewhere, the os-release reader, the guard reading, and the corpus
(tests/data): real Dockerfiles that build, where FL203 must not fire, with the two files that come closest (useradd on
Alpine after ``apk add shadow``) shown to fire once the shadow install is taken away.
"""

from __future__ import annotations

import pytest

from conftest import CORPUS, corpus_files
from fastlint.engine.config import builtin_policy
from fastlint.engine.runner import Selection, lint_text
from fastlint.parser import parse
from fastlint.parser.shell import parse_shell
from fastlint.parser.stages import ImageRef
from fastlint.rules.fl203 import guarded
from fastlint.rules.lib.families import family_from_os_release, image_family, stage_family


@pytest.mark.parametrize(("image", "family"), [
    ("alpine", "alpine"), ("alpine:3.19", "alpine"), ("docker.io/library/alpine:edge", "alpine"),
    ("node:20-alpine", "alpine"), ("node:lts-alpine3.19", "alpine"), ("golang:1.26-alpine3.23", "alpine"),
    ("mvdan/shfmt:v3.1.2-alpine", "alpine"), ("nginx:1.25-alpine-slim", "alpine"),
    ("busybox", "busybox"), ("busybox:1.36-glibc", "busybox"),
    ("debian:bookworm-slim", "debian"), ("ubuntu:22.04", "debian"), ("cpuguy83/ubuntu", "debian"),
    ("node:20", "debian"), ("node:latest", "debian"), ("node", "debian"), ("node:hydrogen", "debian"),
    ("node:20-bullseye-slim", "debian"), ("python:3.12-slim", "debian"), ("golang:1.26-trixie", "debian"),
    ("php:7.4-apache", "debian"), ("nginx:1.21.6", "debian"), ("haskell:8.8", "debian"),
    ("eclipse-temurin:21-jre-jammy", "debian"),
    ("fedora:40", "rhel"), ("public.ecr.aws/amazonlinux/amazonlinux:2023", "rhel"),
    ("registry.access.redhat.com/ubi9/ubi-minimal:9.4", "rhel"), ("eclipse-temurin:21-ubi9-minimal", "rhel"),
    ("opensuse/leap:15.6", "suse"), ("python:3.12-windowsservercore-ltsc2022", "windows"),
    ("maven:3-amazoncorretto-17-al2023", "rhel"), ("golang:1.22-nanoserver-ltsc2022", "windows"),
    # the name says nothing: not judged
    ("r.j3ss.co/curl", None), ("l.gcr.io/google/bazel:latest", None), ("bitnami/node:20", None),
    ("gcr.io/distroless/nodejs20-debian12", None), ("example.com/team/base:1.2", None), ("mysql:5.7", None),
    ("openjdk:17", None),
])
def test_image_family(image, family):
    assert image_family(ImageRef.parse(image)) == family


def test_stage_family_follows_the_chain_and_build_argument_defaults():
    df = parse("ARG BASE=ubuntu:22.04\nFROM ${BASE} AS a\nFROM a AS b\nFROM b\nFROM scratch\nFROM ${NOPE}\n")
    assert [stage_family(s) for s in df.stages] == ["debian", "debian", "debian", None, None]


@pytest.mark.parametrize(("text", "family"), [
    ('NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.19.1\n', "alpine"),
    ('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\n', "debian"),
    ('NAME="Ubuntu"\nID=ubuntu\nID_LIKE=debian\n', "debian"),
    ('NAME="Amazon Linux"\nID="amzn"\nID_LIKE="fedora"\n', "rhel"),
    ('ID="rocky"\nID_LIKE="rhel centos fedora"\n', "rhel"),
    ('ID="opensuse-leap"\nID_LIKE="suse opensuse"\n', "suse"),
    ('ID=wolfi\n', None), ("", None),
])
def test_family_from_os_release(text, family):
    assert family_from_os_release(text) == family


@pytest.mark.parametrize(("script", "name", "tried"), [
    ("apt-get update && apt-get install -y curl", "apt-get", False),
    ("apt-get update || apk update", "apk", True),
    ("apt-get update || apk update", "apt-get", True),
    ("if command -v apt-get; then apt-get update; fi", "apt-get", True),
    ("case $ID in alpine) apk add curl ;; esac", "apk", True),
    ("command -v yum && yum install -y curl", "yum", True),
    ("[ -f /etc/debian_version ] && apt-get install -y curl", "apt-get", True),
    ("set -e; cd /tmp && apk add curl", "apk", False),
    ("for p in a b; do apk add $p; done", "apk", True),
])
def test_guarded(script, name, tried):
    sh = parse_shell(script)
    cmd = [c for c in sh.commands if c.name == name][-1]
    assert guarded(script, cmd) is tried


def fl203(text: str, path: str = "Dockerfile"):
    policy = builtin_policy()
    policy.shellcheck = False
    return [f for f in lint_text(text, path, policy, Selection(select=["FL203"])).findings if f.code == "FL203"]


def test_fl203_fires_nowhere_on_the_corpus():
    files = corpus_files()
    assert len(files) > 300
    found = []
    for p in files:
        try:
            text = p.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            continue
        found += [f"{p.relative_to(CORPUS)}:{f.line}: {f.message}" for f in fl203(text, str(p))]
    assert found == []


@pytest.mark.parametrize(("rel", "shadow", "line"), [
    ("jessfraz__dockerfiles/runc-rootless__Dockerfile", "\tshadow \\\n", 27),
    ("moby__buildkit/Dockerfile", "apk add --no-cache shadow shadow-uidmap ", 437),
])
def test_fl203_would_fire_on_the_closest_corpus_files_without_their_shadow_install(rel, shadow, line):
    """useradd on Alpine is right in these two files only because the stage installs shadow first."""
    text = (CORPUS / rel).read_text()
    assert fl203(text) == []
    assert shadow in text
    without = text.replace(shadow, "\t\\\n" if shadow.startswith("\t") else "apk add --no-cache ")
    assert [f.line for f in fl203(without)] == [line]


# -- the family of an image whose name says nothing, from the local engine's copy of its /etc/os-release ---------
def test_fl203_reads_a_nameless_image_s_os_release_once_per_run(tmp_path, monkeypatch):
    """Two files on the same nameless image: the engine is asked once (FL203.prefetch) and both are judged with
    the family its /etc/os-release names; a stage without package or user tools asks nothing."""
    from fake_engine import FakeEngine

    from fastlint import api

    ref = "registry.example.com/team/base:1.4"
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "Dockerfile").write_text(f"FROM {ref}\nRUN apt-get update && apt-get install -y curl\n")
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "Dockerfile").write_text("FROM other.example.com/quiet:1\nRUN make\n")
    with FakeEngine(tmp_path / "e.sock", {ref: {"Os": "linux", "Architecture": "amd64"},
                                          "other.example.com/quiet:1": {"Os": "linux", "Architecture": "amd64"}},
                    files={ref: {"/etc/os-release": "ID=alpine\n"}}) as engine:
        monkeypatch.setenv("DOCKER_HOST", engine.docker_host)
        run = api.check([str(tmp_path / n / "Dockerfile") for n in "abc"], no_config=True, select=("FL203",),
                        shellcheck=False)
        creates = [a for a in engine.asked if a.startswith("POST /containers/create")]
        assert len(creates) == 1 and engine.containers == {}
    found = [(r.path.split("/")[-2], f.line, f.message) for r in run.results for f in r.findings]
    assert [(d, line) for d, line, _ in found] == [("a", 2), ("a", 2), ("b", 2), ("b", 2)]  # update, install
    assert "(Alpine, which has `apk`)" in found[0][2] and "(the family read from its /etc/os-release)" in found[0][2]


def test_fl203_does_not_ask_for_an_image_its_name_places(tmp_path, monkeypatch):
    from fake_engine import FakeEngine

    with FakeEngine(tmp_path / "e.sock", {"alpine:3.19": {"Os": "linux", "Architecture": "amd64"}},
                    files={"alpine:3.19": {"/etc/os-release": "ID=debian\n"}}) as engine:
        monkeypatch.setenv("DOCKER_HOST", engine.docker_host)
        found = lint_text("FROM alpine:3.19\nRUN apt-get install -y curl\n", "Dockerfile", builtin_policy(),
                          Selection(select=["FL203"])).findings
        assert not any("containers" in a for a in engine.asked)
    assert [f.code for f in found] == ["FL203"] and "os-release" not in found[0].message
