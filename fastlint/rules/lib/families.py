"""The OS family of a stage's base image, and which package and user tools each family has.

A stage runs its RUN commands with the tools of the image at the root of its ``FROM`` chain: ``apk`` and BusyBox's
``addgroup``/``adduser`` on Alpine, ``apt-get`` and shadow's ``groupadd``/``useradd`` on Debian and Ubuntu,
``dnf``/``yum``/``microdnf`` on the Red Hat family, ``zypper`` on SUSE, no package manager at all on BusyBox.

The family is read, in this order:

1. from the image's name and tag (``image_family``): ``alpine``, ``busybox``, ``debian``, ``ubuntu``,
   ``fedora``... by name; ``-alpine``, ``-bookworm``, ``-jammy``, ``-ubi9``... in the tag; the official images
   whose default variant is Debian (``node:20``, ``python:3.12-slim``, ``golang:1.22``) by name;
2. through the stage chain: a stage built ``FROM`` another stage has the family of the chain's root image
   (``FROM ${ARG}`` resolved with the argument's default, as BuildKit does);
3. from ``/etc/os-release`` of the image when a local engine has it (``family_from_os_release``), for images the
   name says nothing about, when the caller passes the run's ``fastlint.images.Lookups`` (FL203 does): the engine
   reads the file through a container it creates and removes, never pulling.

Nothing here imports anything heavy: this is on the lint path.
"""

from __future__ import annotations

from functools import lru_cache

from .images import normalize_image
from .stages import chain

FAMILIES = ("alpine", "debian", "rhel", "suse", "busybox", "windows")

# Which family's package manager each tool is (BusyBox has none); shadow's user tools (Debian, Ubuntu, the Red Hat
# family, SUSE; Alpine only with the shadow package); BusyBox's adduser/addgroup options that Debian's reject.
PACKAGE_MANAGERS = {"apk": "alpine", "apt-get": "debian", "apt": "debian", "aptitude": "debian", "yum": "rhel",
                    "dnf": "rhel", "microdnf": "rhel", "zypper": "suse"}
NATIVE_INSTALL = {"alpine": "apk add --no-cache", "debian": "apt-get install -y", "rhel": "dnf install -y",
                  "suse": "zypper install -y"}
SHADOW_TOOLS = frozenset({"useradd", "groupadd", "usermod", "groupmod", "userdel", "groupdel", "chage"})
BUSYBOX_USER_FLAGS = frozenset("SDGgsk")
FAMILY_NAMES = {"alpine": "Alpine", "debian": "Debian/Ubuntu", "rhel": "Red Hat family", "suse": "SUSE",
                "busybox": "BusyBox", "windows": "Windows"}

_BY_NAME = {
    "alpine": "alpine", "busybox": "busybox",
    "debian": "debian", "ubuntu": "debian", "buildpack-deps": "debian",
    "fedora": "rhel", "centos": "rhel", "rockylinux": "rhel", "almalinux": "rhel", "oraclelinux": "rhel",
    "amazonlinux": "rhel", "ubi": "rhel", "ubi-minimal": "rhel", "ubi-micro": "rhel", "ubi-init": "rhel",
    "ubi8": "rhel", "ubi9": "rhel", "ubi8-minimal": "rhel", "ubi9-minimal": "rhel", "amazoncorretto": "rhel",
    "leap": "suse", "tumbleweed": "suse",
}
# Official images whose default variant (a version tag, ``latest``, ``-slim``, ``-bookworm``...) is Debian.
DEBIAN_DEFAULT = frozenset({
    "node", "python", "ruby", "golang", "php", "perl", "rust", "gcc", "buildpack-deps", "httpd", "nginx", "redis",
    "postgres", "haproxy", "memcached", "elixir", "erlang", "haskell", "julia", "pypy", "hylang", "clojure",
})
_TAG_WORDS = (  # a word of the tag that names the family (checked in this order)
    ("alpine", "alpine"),
    ("windowsservercore", "windows"), ("nanoserver", "windows"), ("ltsc", "windows"),
    ("ubi", "rhel"), ("al", "rhel"), ("amazonlinux", "rhel"), ("centos", "rhel"),
    ("rockylinux", "rhel"), ("oraclelinux", "rhel"), ("fedora", "rhel"),
    ("bookworm", "debian"), ("bullseye", "debian"), ("buster", "debian"), ("stretch", "debian"),
    ("jessie", "debian"), ("trixie", "debian"), ("sid", "debian"), ("focal", "debian"), ("jammy", "debian"),
    ("noble", "debian"), ("bionic", "debian"), ("xenial", "debian"), ("trusty", "debian"),
)


_TAG_FAMILY = dict(_TAG_WORDS)
_TAG_ORDER = list(dict.fromkeys(fam for _, fam in _TAG_WORDS))


def image_family(ref) -> str | None:
    """The family an image reference names (``ImageRef``), or None when its name and tag do not say."""
    name, tag, _ = normalize_image(ref)
    parts = name.split("/")
    base = parts[-1]
    tag = (tag or "").lower()
    words = [w for w in tag.replace("_", "-").replace(".", "-").split("-") if w]
    if name.startswith("gcr.io/distroless/") or "distroless" in parts:
        return None  # no shell and no package manager: RUN is another matter
    if base == "busybox":
        return "busybox"
    found = [_TAG_FAMILY[w.rstrip("0123456789")] for w in words if w.rstrip("0123456789") in _TAG_FAMILY]
    if found:  # alpine3.19, ubi9, al2023, bookworm...: the first family of _TAG_WORDS's order
        return min(found, key=_TAG_ORDER.index)
    if base in _BY_NAME:
        return _BY_NAME[base]
    if len(parts) >= 2 and parts[-2] in ("opensuse", "suse", "bci"):
        return "suse"
    if len(parts) >= 2 and parts[-2] in _BY_NAME and parts[-2] != "busybox":  # ubi9/ubi, amazonlinux/amazonlinux
        return _BY_NAME[parts[-2]]
    if base in DEBIAN_DEFAULT and len(parts) == 1:  # official images only (docker.io/library)
        return "debian"
    return None


def family_from_os_release(text: str) -> str | None:
    """The family an ``/etc/os-release`` file names, by its ``ID`` and ``ID_LIKE`` (``ID=alpine``,
    ``ID_LIKE="rhel centos fedora"``, ``ID=ubuntu`` + ``ID_LIKE=debian``...), or None."""
    values: dict[str, str] = {}
    for line in text.splitlines():
        key, sep, value = line.strip().partition("=")
        if sep:
            values[key] = value.strip().strip("'\"").lower()
    ids = [values.get("ID", "")] + values.get("ID_LIKE", "").split()
    for ident in ids:
        if ident == "alpine":
            return "alpine"
        if ident in ("debian", "ubuntu"):
            return "debian"
        if ident in ("rhel", "fedora", "centos", "amzn", "ol", "rocky", "almalinux"):
            return "rhel"
        if ident in ("suse", "opensuse", "sles") or ident.startswith("opensuse"):
            return "suse"
    return None


def family(stage) -> str | None:
    """``alpine`` or ``debian`` (Debian and Ubuntu) for a stage whose base image is known to be one of them (the
    families whose commands the fixes write), else None."""
    fam = stage_family(stage)
    return fam if fam in ("alpine", "debian") else None


def stage_family(stage, images=None) -> str | None:
    """The family of a stage's base: the root image of its FROM chain, by name, else (``images``: the run's
    ``fastlint.images.Lookups``) by the local image's ``/etc/os-release``."""
    root = chain(stage)[0]
    if root.unresolved or root.image is None:
        return None
    fam = name_family(root.resolved)
    if fam is None and images is not None:
        release = images.os_release(root.resolved)
        fam = family_from_os_release(release) if release else None
    return fam


@lru_cache(maxsize=1024)
def name_family(image: str) -> str | None:
    """The family an image's name and tag say (``image_family``), looked up once per image name."""
    from ...parser.stages import ImageRef

    return image_family(ImageRef.parse(image))
