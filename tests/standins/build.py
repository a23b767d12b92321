"""Build the stand-in base images fastlint's engine tests use, from this machine's own binaries.

No image registry can be reached here, so `FROM node:20-alpine` and friends cannot be pulled. This module builds
local images under the names the fixtures use, each only if it is missing (or with --force):

  alpine:3.19                  busybox-static with its applets, /etc/passwd and /etc/group, the CA bundle, and
                               stand-ins for `apk` and `wget` that fetch from the package store (store.py)
  node:20-alpine               alpine:3.19 plus the host's node (glibc-dynamic: copied with its libraries and the
                               dynamic loader) and npm, laid out as the real image lays them out
  node:20 node:18 node:latest  a debootstrapped Debian bookworm with a subset of buildpack-deps (gcc, g++, make,
  node                         python3, git, -dev packages) plus the host's node and npm; all carry node v20

It also fills the package store folder: a `curl` package (the host's curl with its libraries), the base
packages' index entries (so `apk upgrade` finds nothing newer) and the stand-in grpc_health_probe (probe/,
bundled with esbuild) at the path of the real GitHub release download.

Everything bulky is cached under .ci-cache/standins/ (git ignores it; FASTLINT_CACHE_DIR moves it): the
debootstrap tarball, the probe's node_modules and bundle, the store. See docs/standins.md.

Usage:  python tests/standins/build.py [--force] [--only alpine,node-alpine,node-debian] [--serve SECONDS]
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
CACHE = Path(os.environ.get("FASTLINT_CACHE_DIR", REPO / ".ci-cache")) / "standins"
STORE = CACHE / "store"
ALPINE_REPO = "dl-cdn.alpinelinux.org/alpine/v3.19/main"
CA_BUNDLE = Path("/etc/ssl/certs/ca-certificates.crt")
LABEL = "org.fastlint.standin"

ALPINE_TAGS = ["alpine:3.19"]
NODE_ALPINE_TAGS = ["node:20-alpine"]
NODE_DEBIAN_TAGS = ["node:20", "node:18", "node:latest", "node"]

# A faithful subset of buildpack-deps:bookworm (the base of the real node:20): its curl, scm and full layers,
# less a few rarely used -dev packages. Enough that the legacy images carry the compilers and headers the real
# ones carry, so the size comparison is honest.
DEBIAN_PACKAGES = [
    # buildpack-deps:bookworm-curl
    "ca-certificates", "curl", "gnupg", "netbase", "wget",
    # buildpack-deps:bookworm-scm
    "git", "mercurial", "openssh-client", "subversion", "procps",
    # buildpack-deps:bookworm
    "autoconf", "automake", "bzip2", "default-libmysqlclient-dev", "dpkg-dev", "file", "g++", "gcc",
    "imagemagick", "libbz2-dev", "libc6-dev", "libcurl4-openssl-dev", "libdb-dev", "libevent-dev", "libffi-dev",
    "libgdbm-dev", "libglib2.0-dev", "libgmp-dev", "libjpeg-dev", "libkrb5-dev", "liblzma-dev",
    "libmagickwand-dev", "libmaxminddb-dev", "libncurses-dev", "libpng-dev", "libpq-dev", "libreadline-dev",
    "libsqlite3-dev", "libssl-dev", "libtool", "libwebp-dev", "libxml2-dev", "libxslt1-dev", "libyaml-dev",
    "make", "patch", "python3", "unzip", "xz-utils", "zlib1g-dev",
]
DEBIAN_MIRROR = "http://deb.debian.org/debian"

# Packages recorded as installed in the alpine stand-in; the store's index lists them at the same versions,
# so `apk upgrade` really compares and finds nothing to do.
ALPINE_BASE_PACKAGES = {
    "alpine-baselayout": "3.4.3-r2", "alpine-release": "3.19.1-r0", "busybox": "1.35.0-r0",
    "busybox-binsh": "1.35.0-r0", "ca-certificates-bundle": "20240226-r0", "apk-tools": "2.14.0-r5",
}
NODE_PACKAGE_NAME = "nodejs-standin"
# Bumped when what a group's images hold changes: an image of an older revision is rebuilt (ensure_standins).
REVISIONS = {"alpine": "2", "node-alpine": "7", "node-debian": "2"}


def log(message: str) -> None:
    print(f"[standins] {message}", file=sys.stderr, flush=True)


def run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    """Run a command, raising with its output when it fails."""
    result = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({result.returncode}):\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
    return result


# --- host files -------------------------------------------------------------------------------------------

def shared_libraries(binary: Path) -> list[Path]:
    """The shared libraries `ldd` lists for a binary, plus the dynamic loader (absolute host paths)."""
    out = run(["ldd", str(binary)]).stdout
    libs = []
    for line in out.splitlines():
        m = re.search(r"=>\s*(/\S+)", line) or re.match(r"\s*(/\S+)\s+\(", line)
        if m:
            libs.append(Path(m.group(1)))
    return libs


def add_host_file(tar: tarfile.TarFile, path: Path, arcname: str | None = None, mode: int | None = None,
                  seen: set[str] | None = None) -> None:
    """Add a host file to a tar under its host path (or `arcname`); a symlink is kept as a link and its
    target added too, so `libstdc++.so.6 -> libstdc++.so.6.0.30` arrives as it is on the host."""
    arcname = arcname or str(path).lstrip("/")
    if seen is not None:
        if arcname in seen:
            return
        seen.add(arcname)
    if path.is_symlink():
        link = os.readlink(path)
        info = tarfile.TarInfo(arcname)
        info.type = tarfile.SYMTYPE
        info.linkname = link
        tar.addfile(info)
        target = Path(link) if os.path.isabs(link) else path.parent / link
        target_arc = str(Path(link)).lstrip("/") if os.path.isabs(link) else str(Path(arcname).parent / link)
        add_host_file(tar, target, target_arc, seen=seen)
        return
    info = tar.gettarinfo(str(path), arcname)
    info.uid = info.gid = 0
    info.uname = info.gname = "root"
    if mode is not None:
        info.mode = mode
    with open(path, "rb") as f:
        tar.addfile(info, f)


def add_bytes(tar: tarfile.TarFile, arcname: str, data: bytes | str, mode: int = 0o644) -> None:
    if isinstance(data, str):
        data = data.encode()
    info = tarfile.TarInfo(arcname)
    info.size = len(data)
    info.mode = mode
    info.mtime = int(time.time())
    tar.addfile(info, io.BytesIO(data))


def add_dir(tar: tarfile.TarFile, arcname: str, mode: int = 0o755) -> None:
    info = tarfile.TarInfo(arcname)
    info.type = tarfile.DIRTYPE
    info.mode = mode
    tar.addfile(info)


def add_symlink(tar: tarfile.TarFile, arcname: str, target: str) -> None:
    info = tarfile.TarInfo(arcname)
    info.type = tarfile.SYMTYPE
    info.linkname = target
    tar.addfile(info)


def add_glibc_program(tar: tarfile.TarFile, binary: Path, seen: set[str]) -> None:
    """Add a host binary's shared libraries and dynamic loader under the paths `ldd` gives (skipping ones
    already in `seen`), so the glibc binary runs in an image that has no glibc of its own."""
    for lib in shared_libraries(binary):
        add_host_file(tar, lib, seen=seen)


def npm_package_dir() -> Path:
    npm = Path(shutil.which("npm") or "/usr/bin/npm").resolve()
    return npm.parents[1]  # .../node_modules/npm/bin/npm-cli.js -> .../node_modules/npm


def host_node_version() -> str:
    return run(["node", "--version"]).stdout.strip().lstrip("v")


# --- images -----------------------------------------------------------------------------------------------

HOST_PACKAGES = {"/bin/busybox": "busybox-static", "/bin/bash-static": "bash-static",
                 # the store's data packages (DATA_PACKAGES)
                 "/usr/share/zoneinfo": "tzdata", "/usr/share/ca-certificates": "ca-certificates"}


def ensure_host_packages() -> None:
    """Install the Debian packages whose files the alpine stand-in and the store are made of, if missing."""
    missing = [pkg for path, pkg in HOST_PACKAGES.items() if not Path(path).exists()]
    if Path("/bin/busybox").exists() and "static" not in run(["file", "-L", "/bin/busybox"]).stdout:
        missing.append("busybox-static")
    if missing:
        log(f"installing {' '.join(missing)}")
        run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing], timeout=600,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})


OWN_ENGINE = REPO / "scripts" / "engine" / "own-engine.sh"


def own_engine(command: str = "start", timeout: float = 900) -> subprocess.CompletedProcess:
    """``scripts/engine/own-engine.sh COMMAND``: the tests' own Docker engine (start / stop / status / host);
    ``start`` and ``host`` print its DOCKER_HOST."""
    return subprocess.run(["bash", str(OWN_ENGINE), command], capture_output=True, text=True, timeout=timeout)


def docker_client():
    """A client of the tests' own engine, started if it is not running (by hand it is left running; stop it
    with ``bash scripts/engine/own-engine.sh stop``). Never the default engine: the stand-ins' tags would replace
    a user's images."""
    import docker  # imported here: only the engine tests need it

    result = own_engine("start")
    if result.returncode != 0:
        raise SystemExit(f"build.py: the tests' own engine did not start: {result.stderr.strip()[-300:]}")
    return docker.DockerClient(base_url=result.stdout.strip(), timeout=600)


def current(client, tag: str, group: str) -> bool:
    """The image is of the group's current revision (REVISIONS)."""
    labels = client.images.get(tag).attrs.get("Config", {}).get("Labels") or {}
    return labels.get(f"{LABEL}.revision", "1") == REVISIONS[group]


def image_exists(client, tag: str) -> bool:
    import docker

    try:
        client.images.get(tag)
        return True
    except docker.errors.ImageNotFound:
        return False


def build_image(client, context: Path, tags: list[str], timeout: float = 1200, revision: str = "1") -> str:
    """Build `context` (its Dockerfile) with the classic builder, never pulling; tag it with every name."""
    import docker

    start = time.monotonic()
    try:
        image, _ = client.images.build(path=str(context), tag=tags[0], pull=False, rm=True, forcerm=True,
                                       network_mode="host", timeout=timeout,
                                       labels={LABEL: "1", f"{LABEL}.revision": revision})
    except docker.errors.BuildError as err:
        tail = "".join(str(chunk.get("stream", chunk.get("error", ""))) for chunk in err.build_log)[-3000:]
        raise RuntimeError(f"building stand-in {tags[0]} failed: {err.msg}\n{tail}") from None
    for tag in tags[1:]:
        repo, _, name = tag.partition(":")
        image.tag(repo, name or "latest")
    log(f"built {', '.join(tags)} in {time.monotonic() - start:.1f}s")
    return image.id


def alpine_rootfs(tar: tarfile.TarFile) -> None:
    """The alpine:3.19 stand-in's files: busybox, its applets, base config, apk and wget stand-ins."""
    for d in ["bin", "sbin", "usr", "usr/bin", "usr/sbin", "usr/local", "usr/local/bin", "usr/local/sbin",
              "usr/local/lib", "usr/lib", "usr/share", "etc", "etc/apk", "etc/ssl", "etc/ssl/certs", "lib",
              "lib/apk", "lib/apk/db", "lib/apk/db/files", "var", "var/cache", "var/cache/apk", "var/log",
              "home", "root", "run", "opt", "srv", "mnt", "media", "proc", "sys", "dev"]:
        add_dir(tar, d, 0o700 if d == "root" else 0o755)
    add_dir(tar, "tmp", 0o1777)
    add_host_file(tar, Path("/bin/busybox"), "bin/busybox", mode=0o755)
    # /bin/sh is a static bash, not busybox ash: Debian's busybox-static runs its own applets before looking
    # at PATH ("standalone shell"), which would bypass the wget stand-in in every RUN line.
    add_host_file(tar, Path("/bin/bash-static"), "bin/sh", mode=0o755)
    applets = run(["/bin/busybox", "--list-full"]).stdout.split()
    own = {"usr/bin/wget", "sbin/apk", "bin/busybox", "bin/sh", "usr/sbin/addgroup", "usr/sbin/adduser"}
    for applet in sorted(set(applets)):
        if applet in own:
            continue
        add_symlink(tar, applet, "/bin/busybox")
    add_host_file(tar, HERE / "rootfs" / "apk", "sbin/apk", mode=0o755)
    add_host_file(tar, HERE / "rootfs" / "wget", "usr/bin/wget", mode=0o755)
    add_host_file(tar, HERE / "rootfs" / "addgroup", "usr/sbin/addgroup", mode=0o755)
    add_host_file(tar, HERE / "rootfs" / "adduser", "usr/sbin/adduser", mode=0o755)
    if "sbin/nologin" not in applets:
        add_symlink(tar, "sbin/nologin", "/bin/false")
    add_bytes(tar, "etc/passwd", "root:x:0:0:root:/root:/bin/sh\nbin:x:1:1:bin:/bin:/sbin/nologin\n"
              "daemon:x:2:2:daemon:/sbin:/sbin/nologin\nnobody:x:65534:65534:nobody:/:/sbin/nologin\n")
    add_bytes(tar, "etc/group", "root:x:0:root\nbin:x:1:root,bin,daemon\ndaemon:x:2:root,bin,daemon\n"
              "nogroup:x:65533:\nnobody:x:65534:\n")
    add_bytes(tar, "etc/shadow", "root:*::0:::::\nbin:!::0:::::\ndaemon:!::0:::::\nnobody:!::0:::::\n", 0o640)
    add_bytes(tar, "etc/shells", "/bin/sh\n/bin/ash\n")
    add_bytes(tar, "etc/alpine-release", "3.19.1\n")
    add_bytes(tar, "etc/os-release", 'NAME="Alpine Linux (fastlint stand-in)"\nID=alpine\nVERSION_ID=3.19.1\n'
              'PRETTY_NAME="Alpine Linux v3.19 (fastlint stand-in: busybox-static)"\n')
    add_bytes(tar, "etc/apk/repositories", f"https://{ALPINE_REPO}\n")
    add_bytes(tar, "etc/apk/world", "".join(f"{name}\n" for name in ALPINE_BASE_PACKAGES))
    add_bytes(tar, "lib/apk/db/installed", "".join(f"{n}|{v}\n" for n, v in ALPINE_BASE_PACKAGES.items()))
    add_host_file(tar, CA_BUNDLE, "etc/ssl/certs/ca-certificates.crt")
    add_symlink(tar, "etc/ssl/cert.pem", "certs/ca-certificates.crt")


ALPINE_DOCKERFILE = f"""\
# fastlint stand-in for alpine:3.19 (tests/standins/build.py); one layer, like the real image.
FROM scratch
ADD rootfs.tar /
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
LABEL {LABEL}.image="alpine:3.19"
CMD ["/bin/sh"]
"""

ENTRYPOINT_SCRIPT = """\
#!/bin/sh
# docker-entrypoint.sh of the node images: run node when the first argument is a flag or not a command.
set -e
if [ "${1#-}" != "${1}" ] || [ -z "$(command -v "${1}")" ] || { [ -f "${1}" ] && ! [ -x "${1}" ]; }; then
  set -- node "$@"
fi
exec "$@"
"""


# yarn classic as the official node:20 images ship it (/opt/yarn-v1.22.22, from the npm registry's yarn package)
YARN_VERSION = "1.22.22"
NODE_HEADERS = Path("/usr/include/node")  # the host node's headers (the official images have /usr/local/include/node)
HEADERS_ARCH = "linux-x86_64"  # the host node's openssl configuration (include/node/openssl/archs/<this>)


def yarn_package_dir() -> Path:
    """yarn@YARN_VERSION from the npm registry (`npm pack`), unpacked once into the cache."""
    out = CACHE / f"yarn-v{YARN_VERSION}"
    if (out / "bin" / "yarn").is_file():
        return out
    CACHE.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="yarn-", dir=CACHE) as tmp:
        packed = run(["npm", "pack", "-q", f"yarn@{YARN_VERSION}"], cwd=tmp, timeout=600).stdout.strip().splitlines()[-1]
        with tarfile.open(Path(tmp) / packed) as t:
            t.extractall(tmp, filter="tar") if hasattr(tarfile, "data_filter") else t.extractall(tmp)
        (top,) = [p for p in Path(tmp).iterdir() if p.is_dir()]
        shutil.move(str(top), out)
    return out


def node_tar(path: Path, with_libraries: bool) -> None:
    """The host's node, npm and corepack, laid out as the official node images lay them out (/usr/local/bin/node,
    /usr/local/lib/node_modules/npm and corepack, the headers in /usr/local/include/node), yarn classic in
    /opt/yarn-vX, with node's glibc libraries and loader when the base has none."""
    with tarfile.open(path, "w") as tar:
        for d in ["usr", "usr/local", "usr/local/bin", "usr/local/lib", "usr/local/lib/node_modules",
                  "usr/local/share", "usr/local/share/ca-certificates", "usr/local/include", "opt"]:
            add_dir(tar, d)
        if with_libraries:
            add_glibc_program(tar, Path("/usr/bin/node"), set())
        add_host_file(tar, Path("/usr/bin/node").resolve(), "usr/local/bin/node", mode=0o755)

        def as_root(info: tarfile.TarInfo) -> tarfile.TarInfo:
            info.uid = info.gid = 0
            info.uname = info.gname = "root"
            return info

        def this_arch_headers(info: tarfile.TarInfo) -> tarfile.TarInfo | None:
            # openssl's configuration headers of the host's architecture only: Debian ships those of 23 targets
            # (51 MB, which made the stand-in 56 MB larger than the real image and its users' images with it)
            parts = info.name.split("/")
            if "archs" in parts and len(parts) > parts.index("archs") + 1 and \
                    parts[parts.index("archs") + 1] != HEADERS_ARCH:
                return None
            return as_root(info)

        tar.add(str(npm_package_dir()), "usr/local/lib/node_modules/npm", filter=as_root)
        add_symlink(tar, "usr/local/bin/npm", "../lib/node_modules/npm/bin/npm-cli.js")
        add_symlink(tar, "usr/local/bin/npx", "../lib/node_modules/npm/bin/npx-cli.js")
        corepack = npm_package_dir().parent / "corepack"
        if corepack.is_dir():
            tar.add(str(corepack), "usr/local/lib/node_modules/corepack", filter=as_root)
            add_symlink(tar, "usr/local/bin/corepack", "../lib/node_modules/corepack/dist/corepack.js")
        tar.add(str(yarn_package_dir()), f"opt/yarn-v{YARN_VERSION}", filter=as_root)
        add_symlink(tar, "usr/local/bin/yarn", f"/opt/yarn-v{YARN_VERSION}/bin/yarn")
        add_symlink(tar, "usr/local/bin/yarnpkg", f"/opt/yarn-v{YARN_VERSION}/bin/yarnpkg")
        if NODE_HEADERS.is_dir():
            tar.add(str(NODE_HEADERS), "usr/local/include/node", filter=this_arch_headers)
        add_host_file(tar, CA_BUNDLE, "usr/local/share/ca-certificates/host-ca.crt")


def node_layers(image_name: str, add_user: str) -> str:
    """The Dockerfile lines that add node to a base, as in the official images (after their FROM), with their
    `node` user (uid/gid 1000), which legacy Dockerfiles use (`USER node`)."""
    version = host_node_version()
    return f"""\
ENV NODE_VERSION={version}
RUN {add_user}
ADD node.tar /
# The npm registry is reached through this machine's TLS proxy: node must trust the host's CA bundle.
ENV NODE_EXTRA_CA_CERTS=/usr/local/share/ca-certificates/host-ca.crt
# node-gyp takes node's headers from the image (the real one downloads them from nodejs.org, unreachable here).
ENV npm_config_nodedir=/usr/local
# The registries are reached directly: yarn 1 and corepack would otherwise send their https requests to the
# HTTP_PROXY build argument (the stand-in package store, which is not a general proxy).
ENV NO_PROXY=registry.npmjs.org,registry.yarnpkg.com,repo.yarnpkg.com no_proxy=registry.npmjs.org,registry.yarnpkg.com,repo.yarnpkg.com
# The npm registry reachable here serves package metadata without npm's signatures, which corepack checks before
# it installs pnpm or yarn berry ("No compatible signature found in package metadata"): it skips the check here.
ENV COREPACK_INTEGRITY_KEYS=0
COPY docker-entrypoint.sh /usr/local/bin/
LABEL {LABEL}.image="{image_name}"
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["node"]
"""


def build_alpine(client) -> None:
    ensure_host_packages()
    with tempfile.TemporaryDirectory(prefix="standin-alpine-") as tmp:
        ctx = Path(tmp)
        with tarfile.open(ctx / "rootfs.tar", "w") as tar:
            alpine_rootfs(tar)
        (ctx / "Dockerfile").write_text(ALPINE_DOCKERFILE)
        build_image(client, ctx, ALPINE_TAGS, revision=REVISIONS["alpine"])


def build_node_alpine(client) -> None:
    with tempfile.TemporaryDirectory(prefix="standin-node-alpine-") as tmp:
        ctx = Path(tmp)
        node_tar(ctx / "node.tar", with_libraries=True)
        (ctx / "docker-entrypoint.sh").write_text(ENTRYPOINT_SCRIPT)
        (ctx / "docker-entrypoint.sh").chmod(0o755)
        (ctx / "Dockerfile").write_text(
            "# fastlint stand-in for node:20-alpine (tests/standins/build.py): the host's node and npm.\n"
            "FROM alpine:3.19\n"
            + node_layers("node:20-alpine", "addgroup -g 1000 node && adduser -u 1000 -G node -s /bin/sh -D node"))
        build_image(client, ctx, NODE_ALPINE_TAGS, revision=REVISIONS["node-alpine"])


def debootstrap_tarball() -> Path:
    """A bookworm userland with the buildpack-deps subset, made once with debootstrap and cached as a tar."""
    cached = CACHE / "debian-bookworm-rootfs.tar"
    stamp = CACHE / "debian-bookworm-rootfs.packages"
    wanted = ",".join(DEBIAN_PACKAGES)
    if cached.exists() and stamp.exists() and stamp.read_text() == wanted:
        return cached
    if shutil.which("debootstrap") is None:
        log("installing debootstrap")
        run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", "debootstrap"], timeout=600)
    CACHE.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="debootstrap-", dir=CACHE))
    try:
        root = work / "rootfs"
        log(f"debootstrap bookworm with {len(DEBIAN_PACKAGES)} packages (several minutes, cached afterwards)")
        start = time.monotonic()
        run(["debootstrap", "--variant=minbase", f"--include={wanted}", "bookworm", str(root), DEBIAN_MIRROR],
            timeout=1800)
        log(f"debootstrap took {time.monotonic() - start:.0f}s")
        (root / "etc/apt/sources.list").write_text(
            "deb http://deb.debian.org/debian bookworm main\n"
            "deb http://deb.debian.org/debian bookworm-updates main\n"
            "deb http://deb.debian.org/debian-security bookworm-security main\n")
        # As the real Debian images: no package lists or .deb cache left in the image.
        for leftover in [root / "var/cache/apt/archives", root / "var/lib/apt/lists"]:
            for item in leftover.glob("*"):
                if item.is_file():
                    item.unlink()
        partial = cached.with_suffix(".tar.partial")
        run(["tar", "-C", str(root), "--numeric-owner", "-cf", str(partial), "."], timeout=600)
        partial.replace(cached)
        stamp.write_text(wanted)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return cached


def build_node_debian(client) -> None:
    rootfs = debootstrap_tarball()
    with tempfile.TemporaryDirectory(prefix="standin-node-debian-", dir=CACHE) as tmp:
        ctx = Path(tmp)
        os.link(rootfs, ctx / "rootfs.tar")
        node_tar(ctx / "node.tar", with_libraries=False)  # bookworm has node's libraries already
        (ctx / "docker-entrypoint.sh").write_text(ENTRYPOINT_SCRIPT)
        (ctx / "docker-entrypoint.sh").chmod(0o755)
        (ctx / "Dockerfile").write_text(
            "# fastlint stand-in for the Debian-based node images (tests/standins/build.py): debootstrapped\n"
            "# bookworm with a buildpack-deps subset, then the node layers.\n"
            "FROM scratch\nADD rootfs.tar /\n"
            "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n"
            + node_layers("node:20 (also node:18, node:latest, node)",
                          "groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node"))
        build_image(client, ctx, NODE_DEBIAN_TAGS, revision=REVISIONS["node-debian"])


# --- the package store ------------------------------------------------------------------------------------

def template_probe_pin() -> tuple[str, str]:
    """The grpc_health_probe version and sha256 the template pins (its ARG defaults)."""
    text = (REPO / "fastlint" / "policy" / "Dockerfile.template").read_text()
    version = re.search(r"ARG GRPC_HEALTH_PROBE_VERSION=(\S+)", text)
    sha = re.search(r"ARG GRPC_HEALTH_PROBE_SHA256(?:_AMD64)?=(\S+)", text)
    if not version or not sha:
        raise RuntimeError("fastlint/policy/Dockerfile.template has no GRPC_HEALTH_PROBE_VERSION/SHA256 ARG")
    return version.group(1), sha.group(1)


def probe_bundle() -> Path:
    """The stand-in grpc_health_probe: probe/probe.js bundled with @grpc/grpc-js by esbuild (cached)."""
    out = CACHE / "probe" / "grpc_health_probe"
    src = HERE / "probe"
    digest = hashlib.sha256(b"".join((src / n).read_bytes() for n in ["probe.js", "health_server.js",
                                                                       "package-lock.json"])).hexdigest()
    stamp = CACHE / "probe" / "source.sha256"
    if out.exists() and stamp.exists() and stamp.read_text() == digest:
        return out
    work = CACHE / "probe"
    work.mkdir(parents=True, exist_ok=True)
    for name in ["package.json", "package-lock.json", "probe.js", "health_server.js"]:
        shutil.copy2(src / name, work / name)
    log("bundling the stand-in grpc_health_probe (npm ci + esbuild)")
    run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=work, timeout=600)
    esbuild = [str(work / "node_modules" / ".bin" / "esbuild"), "--bundle", "--platform=node", "--target=node18",
               "--log-level=warning"]
    run(esbuild + ["probe.js", "--minify", "--banner:js=#!/usr/bin/env node", f"--outfile={out}"], cwd=work)
    run(esbuild + ["health_server.js", f"--outfile={work / 'health_server.bundle.js'}"], cwd=work)
    out.chmod(0o755)
    stamp.write_text(digest)
    return out


def health_server_bundle() -> Path:
    """A bundled grpc.health.v1 test server (probe/health_server.js) for the probe's own tests."""
    probe_bundle()
    return CACHE / "probe" / "health_server.bundle.js"


def curl_package(path: Path) -> None:
    """The `curl` package: the host's curl with its libraries and the loader, at their host paths."""
    with tarfile.open(path, "w:gz") as tar:
        seen: set[str] = set()
        add_glibc_program(tar, Path("/usr/bin/curl"), seen)
        add_host_file(tar, Path("/usr/bin/curl"), mode=0o755)


# Data-only packages the migrated fixtures install at run time (fast-accounting-service: `apk add tzdata
# ca-certificates`), made of the host's files of the same Debian package: name -> (Debian package, host paths).
DATA_PACKAGES = {
    "tzdata": ("tzdata", ["/usr/share/zoneinfo"]),
    "ca-certificates": ("ca-certificates", ["/usr/share/ca-certificates", "/etc/ssl/certs/ca-certificates.crt"]),
}


def data_package(path: Path, roots: list[str]) -> None:
    """A package of host files and folders (recursively, symbolic links kept), owned by root."""
    def as_root(info: tarfile.TarInfo) -> tarfile.TarInfo:
        info.uid = info.gid = 0
        info.uname = info.gname = "root"
        return info

    with tarfile.open(path, "w:gz") as tar:
        for root in roots:
            tar.add(root, arcname=root.lstrip("/"), filter=as_root)


def debian_version(package: str) -> str:
    """The host's version of a Debian package, as an Alpine-style version (20230311+deb12u1 -> 20230311-r0)."""
    version = run(["dpkg-query", "-W", "-f", "${Version}", package]).stdout.strip()
    return re.split(r"[-+~]", version.split(":")[-1])[0] + "-r0"


def store_package(index_dir: Path, name: str, version: str, make) -> tuple[str, str]:
    """Make `name-version.tar.gz` in the store once (make(path) writes it); returns (file name, sha256)."""
    file = f"{name}-{version}.tar.gz"
    if not (index_dir / file).exists():
        make(index_dir / (file + ".partial"))
        (index_dir / (file + ".partial")).replace(index_dir / file)
    return file, hashlib.sha256((index_dir / file).read_bytes()).hexdigest()


# Alpine packages the migrated wild services install (`apk add`), made of the host's Debian packages: their files
# and those of the packages they depend on (installed ones; a package not installed is fetched with `apt-get
# download` from Debian's archive). name -> (Debian packages, {Debian path: Alpine path, or a new link: its target}).
# The compilers are the host's gcc 12, glibc programs like everything on the alpine stand-in (docs/standins.md).
# python3, make and g++ are also what the fixed legacy FAST fixtures install for node-gyp (fast-enrichment-service's
# and fast-vammediation-service's `apt-get install -y python3 make g++`, carried over to Alpine by FL102): real
# programs now, where they were placeholders that failed when run.
APK_FROM_DEBIAN = {
    "python3": (["python3"], {}),
    "make": (["make"], {}),
    # Debian's cc and c++ are alternatives (update-alternatives), no package's file: Alpine's gcc and g++ have them
    "g++": (["g++"], {"/usr/bin/cc": "gcc", "/usr/bin/c++": "g++"}),
    "gcc": (["gcc"], {"/usr/bin/cc": "gcc"}),
    "build-base": (["make", "gcc", "g++", "libc6-dev"], {"/usr/bin/cc": "gcc", "/usr/bin/c++": "g++"}),
    "jq": (["jq"], {}),
    "sed": (["sed"], {}),
    "tini": (["tini"], {"/usr/bin/tini": "/sbin/tini"}),
    "dumb-init": (["dumb-init"], {}),
    # the package managers run git to fetch a git dependency (github:owner/repo#branch): the migration installs it
    "git": (["git"], {}),
}
SKIPPED_PATHS = ("/usr/share/doc", "/usr/share/man", "/usr/share/info", "/usr/share/locale", "/usr/share/lintian",
                 "/usr/share/bug", "/usr/lib/x86_64-linux-gnu/gconv")


def _installed(package: str) -> bool:
    out = subprocess.run(["dpkg-query", "-W", "-f", "${Status}", package], capture_output=True, text=True)
    return out.returncode == 0 and "install ok installed" in out.stdout


def debian_closure(packages: list[str]) -> list[str]:
    """The packages and, recursively, the installed packages they depend on (Depends and Pre-Depends)."""
    seen: list[str] = []
    todo = list(packages)
    while todo:
        pkg = todo.pop()
        if pkg in seen:
            continue
        seen.append(pkg)
        if not _installed(pkg):
            continue
        deps = run(["dpkg-query", "-W", "-f", "${Depends}, ${Pre-Depends}", pkg]).stdout
        for alternatives in deps.split(","):
            names = [re.sub(r"[\s(].*", "", a.strip()).split(":")[0] for a in alternatives.split("|")]
            installed = [n for n in names if n and _installed(n)]
            if installed:
                todo.append(installed[0])
    return seen


def debian_files(package: str, work: Path) -> list[tuple[Path, str]]:
    """(file on this machine, its path in the image) of a Debian package: the installed files, or those of the
    package downloaded from the archive and unpacked in ``work``."""
    if _installed(package):
        paths = [Path(p) for p in run(["dpkg", "-L", package]).stdout.splitlines() if p.startswith("/")]
        # a link to a folder (merged /usr's /lib64 -> usr/lib64) is left out: the image has its own folders
        return [(p, str(p)) for p in paths if (p.is_file() or p.is_symlink()) and not p.is_dir()
                and not str(p).startswith(SKIPPED_PATHS)]
    where = work / package
    where.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(["apt-get", "download", package], cwd=where, capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        run(["apt-get", "update", "-qq"], timeout=600)
        run(["apt-get", "download", package], cwd=where, timeout=600)
    (deb,) = list(where.glob("*.deb"))
    root = where / "root"
    run(["dpkg-deb", "-x", str(deb), str(root)])
    out = []
    for p in sorted(root.rglob("*")):
        inside = "/" + p.relative_to(root).as_posix()
        if (p.is_file() or p.is_symlink()) and not p.is_dir() and not inside.startswith(SKIPPED_PATHS):
            out.append((p, inside))
    return out


def debian_package(path: Path, packages: list[str], moves: dict[str, str]) -> None:
    """An apk stand-in package made of Debian packages and what they depend on."""
    with tempfile.TemporaryDirectory(prefix="apk-from-deb-", dir=CACHE) as tmp, \
            tarfile.open(path, "w:gz", compresslevel=1) as tar:  # fast: made once, read over 127.0.0.1
        seen: set[str] = set()
        for link, target in moves.items():
            if not Path(link).exists() or Path(link).is_symlink() and not os.readlink(link).startswith("/etc/"):
                continue
            if Path(link).is_symlink():  # an alternative (/usr/bin/cc -> /etc/alternatives/cc): the plain link
                seen.add(link.lstrip("/"))
                add_symlink(tar, link.lstrip("/"), target)
        for pkg in debian_closure(packages):
            for host, inside in debian_files(pkg, Path(tmp)):
                arcname = moves.get(inside, inside).lstrip("/")
                if arcname in seen:
                    continue
                seen.add(arcname)
                if host.is_symlink():
                    info = tarfile.TarInfo(arcname)
                    info.type = tarfile.SYMTYPE
                    info.linkname = os.readlink(host)
                    tar.addfile(info)
                else:
                    add_host_file(tar, host, arcname)


def debian_package_version(package: str) -> str:
    if _installed(package):
        return debian_version(package)
    out = run(["apt-cache", "show", "--no-all-versions", package]).stdout
    m = re.search(r"^Version:\s*(\S+)", out, re.M)
    return re.split(r"[-+~]", (m.group(1) if m else "0").split(":")[-1])[0] + "-r0"


def build_store() -> Path:
    """Fill the store folder (idempotent): APKINDEX, the curl and data packages, the probe download."""
    ensure_host_packages()
    index_dir = STORE / ALPINE_REPO / "x86_64"
    index_dir.mkdir(parents=True, exist_ok=True)
    lines = [f"{name}|{version}|-|-|stand-in base package" for name, version in ALPINE_BASE_PACKAGES.items()]
    curl_version = run(["curl", "--version"]).stdout.split()[1] + "-r0"
    curl_file, curl_sum = store_package(index_dir, "curl", curl_version, curl_package)
    lines.append(f"curl|{curl_version}|{curl_file}|{curl_sum}|the host's curl with its libraries")
    for name, (debian, roots) in DATA_PACKAGES.items():
        version = debian_version(debian)
        file, digest = store_package(index_dir, name, version, lambda path, roots=roots: data_package(path, roots))
        lines.append(f"{name}|{version}|{file}|{digest}|the host's {debian} files")
    for name, (debian, moves) in APK_FROM_DEBIAN.items():
        version = debian_package_version(debian[0])
        file, digest = store_package(index_dir, name, version,
                                     lambda path, debian=debian, moves=moves: debian_package(path, debian, moves))
        lines.append(f"{name}|{version}|{file}|{digest}|the host's Debian {', '.join(debian)} with what it needs")
    (index_dir / "APKINDEX").write_text("\n".join(lines) + "\n")

    version, _ = template_probe_pin()
    probe_dir = STORE / "github.com/grpc-ecosystem/grpc-health-probe/releases/download" / version
    probe_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy2(probe_bundle(), probe_dir / "grpc_health_probe-linux-amd64")
    return STORE


def probe_sha256() -> str:
    """The sha256 of the stand-in probe download (what GRPC_HEALTH_PROBE_SHA256 must be with the stand-ins)."""
    return hashlib.sha256(probe_bundle().read_bytes()).hexdigest()


def build_args(store_url: str) -> dict[str, str]:
    """The build arguments a template-based build needs with the stand-ins and the store at `store_url`."""
    sha = probe_sha256()  # the template's amd64 checksum (GRPC_HEALTH_PROBE_SHA256 for files of older templates)
    return {"HTTP_PROXY": store_url, "GRPC_HEALTH_PROBE_SHA256_AMD64": sha, "GRPC_HEALTH_PROBE_SHA256": sha}


# --- entry points -----------------------------------------------------------------------------------------

GROUPS = {
    "alpine": (ALPINE_TAGS, build_alpine),
    "node-alpine": (NODE_ALPINE_TAGS, build_node_alpine),
    "node-debian": (NODE_DEBIAN_TAGS, build_node_debian),
}


def ensure_standins(client=None, force: bool = False, only: list[str] | None = None) -> dict[str, dict]:
    """Build each missing stand-in image (all of them with force) and the store; return what each tag is.

    Returns {tag: {"id", "size_bytes", "layers", "built_seconds" (None when it was already there)}}.
    """
    client = client or docker_client()
    build_store()
    summary: dict[str, dict] = {}
    for group in only or list(GROUPS):
        tags, builder = GROUPS[group]
        seconds = None
        if force or not all(image_exists(client, t) and current(client, t, group) for t in tags):
            previous = {client.images.get(t).id for t in tags if image_exists(client, t)}
            start = time.monotonic()
            builder(client)
            seconds = round(time.monotonic() - start, 1)
            for old in previous - {client.images.get(t).id for t in tags}:
                try:  # the image this one replaced, now untagged
                    client.images.remove(old, noprune=False)
                except Exception as err:
                    log(f"could not remove the replaced image {old[:19]}: {err}")
        for tag in tags:
            image = client.images.get(tag)
            summary[tag] = {"id": image.id, "size_bytes": image.attrs["Size"],
                            "layers": len(image.attrs["RootFS"]["Layers"]), "built_seconds": seconds}
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--force", action="store_true", help="rebuild the images even if they exist")
    parser.add_argument("--only", default="", help="comma-separated groups: " + ",".join(GROUPS))
    parser.add_argument("--serve", type=float, metavar="SECONDS",
                        help="then serve the package store on 127.0.0.1 for that long (for builds by hand)")
    args = parser.parse_args(argv)
    only = [g for g in args.only.split(",") if g] or None
    for g in only or []:
        if g not in GROUPS:
            parser.error(f"unknown group {g!r} (known: {', '.join(GROUPS)})")
    start = time.monotonic()
    try:
        summary = ensure_standins(force=args.force, only=only)
    except Exception as err:  # one clear line, no traceback, for a script run by hand or by CI
        print(f"standins: {err}", file=sys.stderr)
        return 1
    for tag, info in summary.items():
        built = f"built in {info['built_seconds']}s" if info["built_seconds"] is not None else "already present"
        print(f"{tag:14} {info['size_bytes'] / 1e6:8.1f} MB  {info['layers']} layers  {built}")
    print(f"total {time.monotonic() - start:.1f}s; store at {STORE}")
    print(json.dumps({"probe_sha256": probe_sha256()}))
    if args.serve:
        sys.path.insert(0, str(HERE))
        from store import serve

        serve(STORE, args.serve)
    return 0


if __name__ == "__main__":
    sys.exit(main())
