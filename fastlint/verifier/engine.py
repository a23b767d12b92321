"""The only code in fastlint that talks to a Docker engine (through the `docker` SDK).

What it promises:
- `docker.from_env()`, so DOCKER_HOST and friends are respected; every call is bounded by a timeout.
- Never pulls: builds run with `pull=False`, and the FROM images are checked first, so a missing base image is
  one clear error naming it (`EngineError`), not a pull attempt against an unreachable registry.
- The classic builder (what `images.build` drives): builds stream their log, which gives progress and the id of
  every image a step made, so that everything a build created can be removed again.
- `Session` tracks every container and image it made; `close()` removes them (images unless kept) and is
  called from `finally`, so a failure, a timeout or Ctrl-C (SIGINT/SIGTERM become KeyboardInterrupt) leaves
  nothing behind.
"""

from __future__ import annotations

import re
import signal
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

DEFAULT_TIMEOUT = 900.0


class EngineError(Exception):
    """The engine cannot be reached or refused something: exit code 2, one line for the user."""


class MissingBaseImage(EngineError):
    """A FROM image is not in the engine (fastlint never pulls). For the image being verified this is an engine
    error (exit 2); for the baseline it makes the baseline unavailable, and the new image is still verified."""


class BuildFailed(Exception):
    """A Dockerfile did not build (a failed check for that service, not an engine error). ``first_errors`` are
    the first error lines the failing tool printed (npm's ``npm error code ...`` and its message, yarn's,
    pnpm's, apk's, apt's, the shell's), which the tail of a long log often hides."""

    def __init__(self, message: str, log_tail: str = "", first_errors: list[str] | None = None) -> None:
        super().__init__(message)
        self.log_tail = log_tail
        self.first_errors = first_errors or []

    def describe(self, prefix: str = "") -> str:
        """The builder's message, the tool's first error lines, then the end of the log."""
        parts = [f"{prefix}{self}"]
        if self.first_errors:
            parts.append("\n".join(self.first_errors))
        if self.log_tail:
            parts.append("--- end of the build log ---\n" + self.log_tail)
        return "\n".join(parts).strip()


# The first error lines of the tools a build runs: (how a line starts the error, how its continuation lines look).
_ERROR_STARTS = [
    (re.compile(r"^npm (?:error|ERR!) code \S+"), re.compile(r"^npm (?:error|ERR!)(?: |$)")),
    (re.compile(r"^npm (?:error|ERR!) (?:Missing script|404|enoent|ERESOLVE|notarget)", re.I),
     re.compile(r"^npm (?:error|ERR!)(?: |$)")),
    (re.compile(r"^\s*ERR_PNPM_\w+"), None),
    (re.compile(r"^error (?:Your lockfile|An unexpected error|Couldn't find|Command \"|Package \"|.*ENOENT)"),
     re.compile(r"^error ")),
    (re.compile(r"^\W*YN\d{4}: .*(?:error|Error|lockfile|would have been modified)", re.I), re.compile(r"^\W*YN\d{4}: ")),
    (re.compile(r"^ERROR: unable to select packages"), re.compile(r"^\s+\S")),
    (re.compile(r"^ERROR: "), None),
    (re.compile(r"^E: "), re.compile(r"^E: ")),
    (re.compile(r"^COPY failed: |^ADD failed: "), None),
    (re.compile(r"^curl: \(\d+\) |^wget: (?:bad address|server returned error|can't connect)|^fatal: "), None),
    (re.compile(r"^(?:/bin/)?(?:ba|da)?sh: (?:\d+: )?\S+: (?:not found|Permission denied)|: command not found$"), None),
    (re.compile(r"error TS\d+: "), re.compile(r"error TS\d+: ")),
    (re.compile(r"^Error: Cannot find module"), re.compile(r"^(?:Require stack:|- )")),
    (re.compile(r"^gyp ERR! (?:stack )?Error"), re.compile(r"^gyp ERR! ")),
]
_NPM_NOISE = re.compile(r"^npm (?:error|ERR!)(?:\s*$| (?:A complete log of this run|Clean install a project|Usage:|"
                        r"Options:|aliases:|Run \"npm help|\s{2}|\[))")


_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")  # the classic builder colours a step's stderr


def first_error_lines(log: str, limit: int = 10) -> list[str]:
    """The first error a tool printed in a build log, with its continuation lines (at most ``limit``): where the
    cause is, before the usage text and the stack traces that follow it."""
    lines = [_ANSI.sub("", ln).rstrip() for ln in log.splitlines()]
    for i, line in enumerate(lines):
        for start, more in _ERROR_STARTS:
            if not start.search(line):
                continue
            out = [line]
            for nxt in lines[i + 1:]:
                if more is None or len(out) >= limit or not more.search(nxt):
                    break
                if nxt.startswith("npm ") and _NPM_NOISE.match(nxt):
                    if re.match(r"^npm (?:error|ERR!) (?:Clean install|Usage:|A complete log)", nxt):
                        break
                    continue
                if nxt.strip():
                    out.append(nxt)
            return out
    return _last_step_output(lines, limit)


def _last_step_output(lines: list[str], limit: int) -> list[str]:
    """No known error form: the last lines the failing step printed (the builder's own lines left out)."""
    start = max((i for i, ln in enumerate(lines) if re.match(r"^Step \d+/\d+ : ", ln)), default=None)
    if start is None:
        return []
    body = [ln for ln in lines[start + 1:] if ln.strip() and not re.match(
        r"^(?: ---> |Removing intermediate container |The command '.*' returned a non-zero code|Successfully )", ln)]
    return body[-min(limit, 5):]


@dataclass
class BuildResult:
    image_id: str
    seconds: float
    step_images: list[str] = field(default_factory=list)  # every image id a step produced or reused
    log: str = ""
    reused_from_before: list[str] = field(default_factory=list)  # cached steps whose image predates this build

    @property
    def cached_images(self) -> list[str]:
        """The (short) ids of the images the builder took from its cache, one per cached step."""
        return re.findall(r"---> Using cache\s*\n\s*---> ([0-9a-f]{12})", self.log)

    @property
    def reran_steps(self) -> list[str]:
        """The Dockerfile steps the builder ran (not taken from its cache), as the log names them."""
        steps = re.split(r"^Step \d+/\d+ : ", self.log, flags=re.M)[1:]
        out = []
        for step in steps:
            instruction, _, rest = step.partition("\n")
            if "Using cache" not in rest and not re.match(r"(FROM|ARG|ENV|LABEL|EXPOSE|USER|CMD|ENTRYPOINT|"
                                                         r"HEALTHCHECK|WORKDIR|STOPSIGNAL|SHELL)\b", instruction):
                out.append(instruction.strip())
        return out


def connect(timeout: float = DEFAULT_TIMEOUT):
    """A docker client from the environment, or EngineError saying why there is none."""
    try:
        import docker
    except ImportError:
        raise EngineError("the docker package is not installed: pip install 'fastlint[verify]'") from None
    try:
        client = docker.from_env(timeout=int(max(timeout, 30)))
        client.ping()
    except Exception as err:  # the SDK raises several types for "no engine"; all mean the same to the user
        raise EngineError(f"no Docker engine answers ({_short(err)}); start one (scripts/engine/start-engine.sh) "
                          "or set DOCKER_HOST") from None
    return client


def _short(err: BaseException) -> str:
    text = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
    return text[:300]


_FROM = re.compile(r"^\s*FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?", re.I | re.M)
_ARG = re.compile(r"^\s*ARG\s+([A-Za-z_][A-Za-z0-9_]*)(?:=(\S*))?", re.I | re.M)


def base_images(dockerfile_text: str, build_args: dict[str, str] | None = None) -> list[str]:
    """The external images a Dockerfile's FROM lines name (stage names and `scratch` left out), with
    `${ARG}` references before the first FROM resolved from their defaults and `build_args`."""
    text = re.sub(r"\\\n", " ", dockerfile_text)
    first_from = _FROM.search(text)
    args: dict[str, str] = {}
    for m in _ARG.finditer(text[: first_from.start() if first_from else len(text)]):
        args[m.group(1)] = (m.group(2) or "").strip("\"'")
    args.update(build_args or {})
    stages: set[str] = set()
    images: list[str] = []
    for m in _FROM.finditer(text):
        name = re.sub(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?", lambda a: args.get(a.group(1), ""), m.group(1))
        if name.lower() not in stages and name.lower() != "scratch" and name not in images:
            images.append(name)
        if m.group(2):
            stages.add(m.group(2).lower())
    return images


@contextmanager
def interrupts_as_exceptions() -> Iterator[None]:
    """Turn SIGTERM into KeyboardInterrupt for the duration, so `finally` clean-up runs on both."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, frame):  # noqa: ARG001 - the signal module's signature
        raise KeyboardInterrupt(f"signal {signum}")

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


class Session:
    """One verify or build run against the engine: builds, runs and removes, and remembers what it made."""

    def __init__(self, client=None, timeout: float = DEFAULT_TIMEOUT, network: str = "host",
                 keep_images: bool = False, progress: Callable[[str], None] | None = None) -> None:
        self.timeout = timeout
        self.client = client or connect(timeout)
        self.network = None if network in ("default", "", None) else network
        self.keep_images = keep_images
        self.progress = progress
        self._lock = threading.Lock()
        self._containers: list[str] = []
        self._images: list[str] = []  # images this session created (removed unless keep_images)
        self._tags: list[str] = []  # tags this session set on images (removed unless keep_images)
        self._known_images = self._all_image_ids()

    @property
    def created_images(self) -> list[str]:
        """Ids (short or full) of the images this session's builds made."""
        with self._lock:
            return list(self._images)

    # --- images ----------------------------------------------------------------------------------------

    def _all_image_ids(self) -> set[str]:
        try:
            return set(self.client.api.images(all=True, quiet=True))
        except Exception as err:
            raise EngineError(f"cannot list the engine's images: {_short(err)}") from None

    def missing_images(self, names: list[str]) -> list[str]:
        import docker

        missing = []
        for name in names:
            try:
                self.client.images.get(name)
            except docker.errors.ImageNotFound:
                missing.append(name)
            except Exception as err:
                raise EngineError(f"cannot inspect image {name}: {_short(err)}") from None
        return missing

    def check_bases(self, dockerfile: Path, build_args: dict[str, str] | None = None) -> None:
        """EngineError naming every FROM image the engine lacks (nothing is ever pulled)."""
        try:
            text = dockerfile.read_text(encoding="utf-8")
        except OSError as err:
            raise EngineError(f"{dockerfile}: cannot read: {err.strerror}") from None
        missing = self.missing_images(base_images(text, build_args))
        if missing:
            raise MissingBaseImage(f"{dockerfile}: base image{'s' if len(missing) > 1 else ''} "
                              f"{', '.join(missing)} not present in the engine, and fastlint never pulls "
                              "(load or build it first; for tests: python tests/standins/build.py)")

    def build(self, context: Path, dockerfile: str, tag: str, build_args: dict[str, str] | None = None,
              nocache: bool = False, platform: str | None = None, label: str = "") -> BuildResult:
        """Build with the classic builder, never pulling, bounded by the session timeout; BuildFailed when
        the Dockerfile fails. Every image the build's steps produced is recorded for removal."""
        self.check_bases(context / dockerfile, build_args)
        before = self._all_image_ids()
        start = time.monotonic()
        deadline = start + self.timeout
        log: list[str] = []
        step_images: list[str] = []
        image_id = None
        error = None
        kwargs: dict[str, Any] = dict(path=str(context), dockerfile=dockerfile, tag=tag, pull=False, rm=True,
                                      forcerm=True, nocache=nocache, buildargs=build_args or {}, decode=True,
                                      network_mode=self.network, labels={"org.fastlint.run": label or tag})
        if platform:
            kwargs["platform"] = platform
        try:
            stream = self.client.api.build(**kwargs)
            try:
                for chunk in stream:
                    if "stream" in chunk:
                        text = chunk["stream"]
                        log.append(text)
                        for m in re.finditer(r"---> ([0-9a-f]{12})\b", text):
                            step_images.append(m.group(1))
                        m = re.search(r"Successfully built ([0-9a-f]{12})", text)
                        if m:
                            image_id = m.group(1)
                        if self.progress and text.startswith("Step "):
                            self.progress(f"{tag}: {text.strip()}")
                    elif "error" in chunk:
                        error = chunk["error"].strip()
                        log.append(error + "\n")
                    elif "aux" in chunk and isinstance(chunk["aux"], dict) and "ID" in chunk["aux"]:
                        image_id = chunk["aux"]["ID"]
                    if time.monotonic() > deadline:
                        raise BuildFailed(f"build of {tag} timed out after {self.timeout:.0f}s", "".join(log)[-3000:],
                                          first_error_lines("".join(log)))
            finally:
                close = getattr(stream, "close", None)
                if close:
                    close()
        except BuildFailed:
            self._record_build_images(step_images)
            raise
        except Exception as err:
            self._record_build_images(step_images)
            if _is_api_error(err):
                raise BuildFailed(f"build of {tag} refused by the engine: {_short(err)}", "".join(log)[-3000:],
                                  first_error_lines("".join(log))) from None
            raise EngineError(f"engine connection lost while building {tag}: {_short(err)}") from None
        self._record_build_images(step_images)
        if error or not image_id:
            raise BuildFailed(error or f"build of {tag} produced no image", "".join(log)[-3000:],
                              first_error_lines("".join(log)))
        with self._lock:
            self._tags.append(tag)
        seconds = time.monotonic() - start
        full_id = self.client.images.get(image_id).id
        self._record_build_images([full_id])
        result = BuildResult(full_id, seconds, step_images, "".join(log))
        result.reused_from_before = [i for i in result.cached_images
                                     if any(k.split(":")[-1].startswith(i) for k in before)]
        return result

    def _record_build_images(self, ids: list[str]) -> None:
        with self._lock:
            for short in ids:
                full = next((k for k in self._known_images if k.split(":")[-1].startswith(short)), None)
                if full is None and short not in self._images:
                    self._images.append(short)

    def inspect(self, image_id: str) -> dict:
        return self.client.api.inspect_image(image_id)

    def save(self, image_id: str) -> Iterator[bytes]:
        """The image as `docker save` gives it (a tar stream), chunk by chunk."""
        return self.client.api.get_image(image_id, chunk_size=1024 * 1024)

    def tag(self, image_id: str, repository: str, tag: str) -> None:
        self.client.api.tag(image_id, repository, tag)
        with self._lock:
            self._tags.append(f"{repository}:{tag}")

    def push(self, repository: str, tag: str) -> None:
        """Push one tag; EngineError with the registry's message when it fails."""
        try:
            for chunk in self.client.api.push(repository, tag, stream=True, decode=True):
                if "error" in chunk:
                    raise EngineError(f"push of {repository}:{tag} failed: {chunk['error'].strip()}")
        except EngineError:
            raise
        except Exception as err:
            raise EngineError(f"push of {repository}:{tag} failed: {_short(err)}") from None

    def keep(self, image_id: str, *tags: str) -> None:
        """Do not remove this image (and these tags) at close: the product of a `build` run."""
        with self._lock:
            self._images = [i for i in self._images if not image_id.split(":")[-1].startswith(i.split(":")[-1][:12])]
            self._tags = [t for t in self._tags if t not in tags]

    # --- containers --------------------------------------------------------------------------------------

    def run_until_healthy(self, image_id: str, timeout: float, health_interval: float | None = None,
                          network: str = "none", environment: dict[str, str] | None = None) -> dict:
        """Start the image detached; wait until the engine reports it healthy, unhealthy, exited or `timeout`.

        Returns {"healthy": bool|None, "seconds_to_healthy": float|None, "uid": int|None, "status": str,
        "logs": str}. `healthy` is None when the image has no HEALTHCHECK. `uid` is what `id -u` prints inside
        the running container. `health_interval` (seconds) probes more often than the image's own interval;
        None keeps the image's. `environment`: variables the container gets (what a deployment would give it).
        """
        kwargs: dict[str, Any] = dict(detach=True, network_mode=network, labels={"org.fastlint.run": "verify"},
                                      environment=environment or {})
        if health_interval:
            # Test left empty: the engine keeps the image's command and takes only the new interval. The image's
            # start period stays (a zero field is the image's): a check that passes within it ends it at once, and
            # one that fails within it does not count, so a service that needs longer than the new interval times
            # the retries to start (a Fastify server with big dependencies on a loaded machine: 9 s) is not
            # reported unhealthy before it could answer.
            kwargs["healthcheck"] = {"test": [], "interval": int(health_interval * 1e9)}
        container = self.client.containers.create(image_id, **kwargs)
        with self._lock:
            self._containers.append(container.id)
        start = time.monotonic()
        try:
            container.start()
        except Exception as err:
            if not _is_api_error(err):
                raise
            self.remove_container(container.id)
            return {"healthy": False, "seconds_to_healthy": None, "uid": None, "logs": "",
                    "status": f"could not start: {_short(err)}"}
        has_health = bool((self.inspect(image_id).get("Config") or {}).get("Healthcheck"))
        result: dict[str, Any] = {"healthy": None, "seconds_to_healthy": None, "uid": None, "status": "", "logs": ""}
        deadline = start + timeout
        while True:
            container.reload()
            state = container.attrs["State"]
            health = (state.get("Health") or {}).get("Status")
            if not state.get("Running"):
                result["status"] = f"exited with code {state.get('ExitCode')}"
                if has_health:
                    result["healthy"] = False
                break
            if not has_health:
                result["status"] = "running (no HEALTHCHECK)"
                time.sleep(1.0)  # let it start before asking who it runs as
                break
            if health == "healthy":
                result["healthy"] = True
                result["seconds_to_healthy"] = round(time.monotonic() - start, 1)
                result["status"] = "healthy"
                break
            if health == "unhealthy":
                result["healthy"] = False
                result["status"] = "unhealthy"
                break
            if time.monotonic() > deadline:
                result["healthy"] = False
                result["status"] = f"not healthy within {timeout:.0f}s (health status: {health})"
                break
            time.sleep(0.5)
        container.reload()
        if container.attrs["State"].get("Running"):
            code, out = container.exec_run(["id", "-u"], demux=False)
            text = (out or b"").decode(errors="replace").strip()
            if code == 0 and text.isdigit():
                result["uid"] = int(text)
        if result["healthy"] is False or not container.attrs["State"].get("Running"):
            result["logs"] = container.logs(tail=30).decode(errors="replace")
            health_log = (container.attrs["State"].get("Health") or {}).get("Log") or []
            if health_log:
                result["logs"] += "\nlast health check: " + str(health_log[-1].get("Output", "")).strip()
        self.remove_container(container.id)
        return result

    def remove_container(self, container_id: str) -> None:
        try:
            self.client.api.remove_container(container_id, force=True, v=True)
        except Exception as err:
            if not _is_not_found(err):
                raise
        with self._lock:
            if container_id in self._containers:
                self._containers.remove(container_id)

    # --- clean-up ----------------------------------------------------------------------------------------

    def close(self) -> list[str]:
        """Remove every container, and unless keep_images every image and tag, this session made.
        Returns the problems met (the clean-up never raises: it runs in `finally`)."""
        problems: list[str] = []
        for cid in list(self._containers):
            try:
                self.remove_container(cid)
            except Exception as err:
                problems.append(f"container {cid[:12]}: {_short(err)}")
        if self.keep_images:
            return problems
        for tag in reversed(self._tags):
            try:
                self.client.api.remove_image(tag, force=False, noprune=False)
            except Exception as err:
                if not _is_not_found(err) and not _is_conflict(err):
                    problems.append(f"image {tag}: {_short(err)}")
        # Step images: newest first, twice, since a parent can only go once its children are gone.
        for _ in range(2):
            for image in reversed(self._images):
                try:
                    self.client.api.remove_image(image, force=True, noprune=False)
                except Exception as err:
                    if not _is_not_found(err) and not _is_conflict(err):
                        problems.append(f"image {image}: {_short(err)}")
        return problems


def _status(err: BaseException) -> int | None:
    response = getattr(err, "response", None)
    return getattr(response, "status_code", None)


def _is_api_error(err: BaseException) -> bool:
    return _status(err) is not None


def _is_not_found(err: BaseException) -> bool:
    return _status(err) == 404


def _is_conflict(err: BaseException) -> bool:
    return _status(err) == 409
