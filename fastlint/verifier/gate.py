"""``fastlint fix --verify``: prove a fixed Dockerfile before it is written. The fixed text is built in a copy of
its folder (the build context) on the engine of the environment (DOCKER_HOST, else the default socket; nothing is
ever pulled), and the image is started and watched until the engine reports it healthy, unhealthy or exited.
The file is written only when the image builds, and, if it has a HEALTHCHECK, turns healthy, and, when the
template rewrote it, runs as a user other than root. Otherwise ``fix`` leaves the file untouched and says why in
one line. Everything built and run is removed afterwards (images the engine had before are kept).

Why: a lint-clean file is not a file that builds (a lockfile npm refuses, a folder nothing produces, a service
that fails on a newer Node.js). With an engine at hand, the fixer can know instead of hoping."""

from __future__ import annotations

import shutil
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from .engine import BuildFailed, EngineError, Session
from .verify import slug

RUN_TIMEOUT = 300.0  # the wait for healthy (seconds)
HEALTH_INTERVAL = 2.0  # probe every 2 s: the gate asks whether it turns healthy, not how fast


@dataclass
class GateOptions:
    build_args: dict[str, str] = field(default_factory=dict)
    network: str = "host"  # for the build (npm needs the registry); the container runs with no network
    timeout: float = 900.0  # per build


class Gate:
    """One engine session for a whole ``fix`` run; ``close()`` removes what it made."""

    def __init__(self, options: GateOptions, client=None) -> None:
        self.options = options
        self.session = Session(client, timeout=options.timeout, network=options.network)
        self.run_id = uuid.uuid4().hex[:8]

    def why_not(self, dockerfile: Path, text: str, other_files: dict[str, str], migrated: bool) -> str | None:
        """None when the fixed ``text`` (with ``other_files``, e.g. a new .dockerignore) builds and runs as
        described above; else one sentence saying why not. EngineError when the engine fails or lacks a base."""
        folder = dockerfile.parent.resolve()
        with tempfile.TemporaryDirectory(prefix="fastlint-fix-verify-") as tmp:
            context = Path(tmp) / (folder.name or "context")
            shutil.copytree(folder, context, symlinks=True, ignore=shutil.ignore_patterns(".git"))
            name = dockerfile.name  # the copy's Dockerfile becomes the fixed text
            (context / name).write_text(text, encoding="utf-8")
            for path, content in other_files.items():
                inside = _inside(Path(path).resolve(), folder)
                if inside is not None:
                    (context / inside).parent.mkdir(parents=True, exist_ok=True)
                    (context / inside).write_text(content, encoding="utf-8")
            tag = f"fastlint-fix-verify/{slug(folder.name)}:{self.run_id}"
            try:
                built = self.session.build(context, name, tag, self.options.build_args, label="fix-verify")
            except BuildFailed as err:
                cause = "; ".join(err.first_errors[:2]) or str(err)
                return f"it does not build: {_one_line(cause)}"
        config = self.session.inspect(built.image_id).get("Config") or {}
        has_health = bool((config.get("Healthcheck") or {}).get("Test")) and \
            config["Healthcheck"]["Test"] != ["NONE"]
        run = self.session.run_until_healthy(built.image_id, timeout=RUN_TIMEOUT, health_interval=HEALTH_INTERVAL)
        if has_health and not run["healthy"]:
            cause = _last_words(run.get("logs") or "")
            return f"its image builds but does not turn healthy ({run['status']})" + (f": {cause}" if cause else "")
        if not has_health and run["status"].startswith("exited"):
            cause = _last_words(run.get("logs") or "")
            return f"its image builds but {run['status']} at start" + (f": {cause}" if cause else "")
        if migrated and run["uid"] == 0:
            return "its image runs as root (uid 0)"
        return None

    def close(self) -> list[str]:
        return self.session.close()


def _inside(path: Path, folder: Path) -> Path | None:
    try:
        return path.relative_to(folder)
    except ValueError:
        return None


def _one_line(text: str, limit: int = 300) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 3] + "..."


def _last_words(logs: str) -> str:
    """The last short line of a container's log that is not the health check's own output: node's error message
    (the failing source line before it can be a minified line of hundreds of kilobytes)."""
    lines = [line.strip() for line in logs.splitlines()
             if line.strip() and len(line) < 400 and not line.startswith("last health check")]
    errors = [line for line in lines if "Error" in line or "error" in line]
    return _one_line((errors or lines or [""])[-1], 200)


__all__ = ["EngineError", "Gate", "GateOptions"]
