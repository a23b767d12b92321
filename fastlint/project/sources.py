"""The service's own source files (JavaScript and TypeScript), read once: what the port, health, gRPC and
run-time readers scan. Skips node_modules, build output, tests and VCS folders."""

from __future__ import annotations

import os
from pathlib import Path

SOURCE_SUFFIXES = (".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".jsx", ".tsx")
SKIP_DIRS = {"node_modules", ".git", "dist", "build", "coverage", "test", "tests", "__tests__", "spec", ".next",
             "out", "lib-cov", "bower_components", "vendor", "public", "static", "www", "web", "assets", ".yarn",
             "docs", "examples", "example", "fixtures"}
MAX_FILES = 2000
MAX_BYTES = 512 * 1024


def source_files(folder: Path, skip: set[str] | None = None) -> list[Path]:
    """Source files under ``folder``, sorted, at most MAX_FILES (bundles and minified files over MAX_BYTES are
    left out: they are not the service's code)."""
    skip = SKIP_DIRS if skip is None else skip
    out: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if d not in skip and not d.startswith("."))
        for name in sorted(filenames):
            if name.endswith(SOURCE_SUFFIXES) and not name.endswith((".d.ts", ".min.js", ".test.js", ".spec.js",
                                                                      ".test.ts", ".spec.ts")):
                path = Path(dirpath) / name
                try:
                    if path.stat().st_size > MAX_BYTES:
                        continue
                except OSError:
                    continue
                out.append(path)
                if len(out) >= MAX_FILES:
                    return out
    return out


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
