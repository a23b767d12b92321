"""A fixture service migrated the way a user migrates it, for the engine tests: `fastlint fix` on a copy.

`migrated_copy(service_dir, dest)` copies the service folder to `dest` (without node_modules, dist, .git) and runs
`python -m fastlint fix --no-config` on the copy's Dockerfile, with the built-in policy (the standard's service
matrix). The fix rewrites the legacy Dockerfile from the template, keeps the original as Dockerfile.backup and
writes the standard's .dockerignore. The fixture itself is never touched; a fix that leaves findings in the
Dockerfile or fails is an error here, since the engine tests verify what a clean migration gives. The Dockerfile is
named rather than the folder: on the folder, fix also lints the service's Kubernetes manifests and exits 1 for their
findings (FL702 in deploy/), which no fix changes and the image does not depend on; the files it writes are the same.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path


class MigrationFailed(AssertionError):
    """`fastlint fix` did not migrate the copy cleanly (exit code and output in the message)."""


def migrated_copy(service_dir: Path, dest: Path) -> Path:
    shutil.copytree(service_dir, dest, ignore=shutil.ignore_patterns("node_modules", ".git", "dist"))
    result = subprocess.run([sys.executable, "-m", "fastlint", "fix", "--no-config", str(dest / "Dockerfile")],
                            capture_output=True, text=True, timeout=120)
    if result.returncode != 0 or not (dest / "Dockerfile.backup").is_file():
        raise MigrationFailed(f"fastlint fix {dest} exited {result.returncode}:\n{result.stdout}{result.stderr}")
    if (dest / "Dockerfile.backup").read_bytes() != (service_dir / "Dockerfile").read_bytes():
        raise MigrationFailed(f"{dest}/Dockerfile.backup is not the fixture's Dockerfile")
    return dest
