"""Reading a Node.js service's folder: what rules and the migration need to know about it, each answer with the
file and line it was read from (``Fact.where``).

    from fastlint.project import Project
    p = Project("services/api")              # the folder with package.json (and usually the Dockerfile)
    p.manager.value.label                    # "yarn classic", "pnpm 9.1.0", "npm"   (Fact[Manager])
    p.lock_sync.in_sync, p.lock_sync.summary()
    p.build                                  # Fact[BuildStep] | None: script, tool, output folder
    p.prebuilt                               # Fact[str] | None: the output published ready to run (no inputs)
    p.start.entry                            # Fact[str] | None: the file node runs
    p.runtime_needs.paths                    # {"dist": Fact, "public": Fact, ...}
    p.ports.port                             # Fact[int] | None, p.ports.candidates for all of them
    p.kind, p.grpc_service, p.health         # Fact[str] | None (grpc, http, tcp), Fact[str] | None, Fact[Health] | None
    p.outside_inputs                         # [Fact[str]]: tsconfig references/extends outside the folder
    p.native                                 # [Fact[Native]]
    p.git_dependencies                       # [Fact[str]]: "name@spec" of the dependencies fetched with git
    p.node_version                           # Fact[str] | None ("14 || 16", from engines, .nvmrc, ...)
    p.breakages(20)                          # [Fact[Breakage]]: installed dependency versions Node 20 cannot run

Everything is read lazily (each property once), with no network and nothing installed; no heavy module is
imported at import time (ruamel.yaml only for compose/Kubernetes/pnpm files, the semver matcher only for a
lockfile check, the Dockerfile parser only for the Dockerfile's ports). A folder without a readable
package.json gives empty answers (``p.package == {}``, ``p.has_package`` False), never an exception."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from .facts import Fact


class Project:
    def __init__(self, folder: str | Path, dockerfile: str = "Dockerfile"):
        self.folder = Path(folder)
        self.dockerfile = dockerfile  # relative to the folder; its EXPOSE/ENV PORT count for the port

    # -- package.json -----------------------------------------------------------------------------------------
    @cached_property
    def _package(self) -> tuple[dict, dict, bool]:
        from .facts import json_key_lines, read_json

        data, text = read_json(self.folder / "package.json")
        ok = isinstance(data, dict)
        return (data if ok else {}), json_key_lines(text) if ok else {}, ok

    @property
    def package(self) -> dict:
        return self._package[0]

    @property
    def key_lines(self) -> dict:
        """The line of each package.json key, by path: ``key_lines[("scripts", "build")]``."""
        return self._package[1]

    @property
    def has_package(self) -> bool:
        return self._package[2]

    @cached_property
    def package_error(self) -> str | None:
        """Why package.json cannot be read (one line, with file and line), or None when it can."""
        import json

        path = self.folder / "package.json"
        try:
            text = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            return f"no package.json in {self.folder.as_posix() or '.'}"
        except (OSError, UnicodeDecodeError) as err:
            return f"{path}: cannot read: {getattr(err, 'strerror', None) or err}"
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            return f"{path}:{err.lineno}: invalid JSON: {err.msg}"
        if not isinstance(data, dict):
            return f"{path}:1: not a package.json (the top level is not an object)"
        return None

    @property
    def scripts(self) -> dict:
        s = self.package.get("scripts")
        return s if isinstance(s, dict) else {}

    def script(self, name: str) -> Fact[str] | None:
        """A package.json script with its line, or None."""
        value = self.scripts.get(name)
        if not isinstance(value, str):
            return None
        return Fact(value, "package.json", self.key_lines.get(("scripts", name), 0), f"scripts.{name}")

    # -- manager, workspace, lockfile -------------------------------------------------------------------------
    @cached_property
    def workspace_root(self) -> Fact[Path] | None:
        from .manager import workspace_root

        return workspace_root(self.folder)

    @property
    def workspaces(self) -> list[str]:
        """This folder's own workspace patterns (it is a workspace root), from package.json or pnpm-workspace.yaml."""
        from .manager import pnpm_workspace_patterns, workspace_patterns

        return pnpm_workspace_patterns(self.folder) or workspace_patterns(self.package)

    @cached_property
    def lockfile(self):
        """The Lockfile a frozen install here uses (this folder's, else the workspace root's), or None."""
        from .lockfile import find_lockfile

        root = self.workspace_root.value if self.workspace_root else None
        return find_lockfile(self.folder, root)

    @cached_property
    def lock_sync(self):
        """LockSync: ``in_sync`` True / False / None (no lockfile), ``mismatches``, ``summary()``."""
        from .lockfile import check_sync

        return check_sync(self.lockfile, self.package, self.key_lines)

    @cached_property
    def manager(self):
        """Fact[Manager]: npm, yarn classic/berry, pnpm, with the version ``packageManager`` pins."""
        from .manager import package_manager

        root = self.workspace_root.value if self.workspace_root else None
        kind = self.lockfile.kind if self.lockfile is not None else None
        return package_manager(self.folder, self.package, self.key_lines, kind, root)

    @cached_property
    def git_dependencies(self) -> list[Fact[str]]:
        """The dependencies the package manager fetches with git (``github:x/y#develop``, ``git+https://...``):
        ``Fact("name@spec", "package.json", line, field)`` each."""
        from .gitdeps import git_dependencies

        return git_dependencies(self.package, self.key_lines)

    @cached_property
    def node_version(self) -> Fact[str] | None:
        from .manager import node_version

        return node_version(self.folder, self.package, self.key_lines)

    def breakages(self, node_major: int):
        """[Fact[Breakage]]: dependencies whose installed version (an exact pin, else the lockfile's) is known not
        to run on this Node major (``compat.py``, its table ``node_compat.json``)."""
        from .compat import breakages

        return breakages(self, node_major)

    # -- build and start --------------------------------------------------------------------------------------
    @cached_property
    def build(self):
        """Fact[BuildStep] | None: the ``build`` script, its tool and output folder."""
        from .build import build_step

        return build_step(self.folder, self.package, self.key_lines)

    @cached_property
    def outside_inputs(self):
        """[Fact[str]]: files the build reads from outside the folder (tsconfig references, relative extends)."""
        from .build import outside_inputs

        return outside_inputs(self.folder)

    @cached_property
    def prebuilt(self) -> Fact[str] | None:
        """Fact[str] | None: the build output folder, published ready to run, when the build cannot run here (its
        tsconfig or sources are not in the folder: an npm tarball of ``dist/`` only). The service has no build
        step then, and that folder is its code."""
        from .build import prebuilt

        return prebuilt(self.folder, self.build, self.start.entry)

    def output_run_as_is(self, run_commands: list[str]) -> Fact[str] | None:
        """The build output the image runs as it is in the build context, given the command lines of the
        Dockerfile's RUNs: ``prebuilt``, or the output folder when those RUNs build nothing (its build is not the
        image's); None when the image builds it."""
        from .build import output_run_as_is

        return output_run_as_is(self.folder, self.build, self.start.entry, self.prebuilt, run_commands, self.scripts)

    @cached_property
    def start(self):
        """Start: what ``npm start`` runs and the entry file."""
        from .build import start_command

        return start_command(self.folder, self.package, self.key_lines)

    @cached_property
    def runtime_needs(self):
        """RuntimeNeeds: the top-level files and folders the started service needs (``.paths``)."""
        from .build import runtime_needs

        build = None if self.prebuilt else self.build
        return runtime_needs(self.folder, self.start.entry, build, self.package, self.key_lines)

    def runtime_needs_for(self, entry: str):
        """RuntimeNeeds of another entry file (the one a Dockerfile's CMD runs), relative to the folder."""
        from .build import runtime_needs
        from .facts import Fact

        return runtime_needs(self.folder, Fact(entry, "", 0, "the entry file"),
                             None if self.prebuilt else self.build, self.package, self.key_lines)

    # -- the server -------------------------------------------------------------------------------------------
    @cached_property
    def source_files(self) -> list[Path]:
        from .sources import SKIP_DIRS, source_files

        # a published build output is the service's only code: read it as its source
        files = source_files(self.folder, SKIP_DIRS - {self.prebuilt.value} if self.prebuilt else None)
        entry = self.start.entry
        if entry is not None and (self.folder / entry.value).is_file() and (self.folder / entry.value) not in files:
            files.insert(0, self.folder / entry.value)  # an entry without an extension (bin/server)
        return files

    @cached_property
    def ports(self):
        """Ports: every candidate (``.candidates``) in the order EXPOSE, ENV PORT, compose, Kubernetes, Helm
        values, .env, source; ``.port`` is the first."""
        from .ports import read_ports

        dockerfile = self.dockerfile if (self.folder / self.dockerfile).is_file() else None
        names = {self.folder.resolve().name}
        if isinstance(self.package.get("name"), str):
            names.add(self.package["name"].rsplit("/", 1)[-1])
        return read_ports(self.folder, dockerfile, self.source_files, names)

    @cached_property
    def kind(self) -> Fact[str] | None:
        from .service import service_kind

        return service_kind(self.package, self.key_lines, self.source_files, self.folder)

    @cached_property
    def proto_files(self) -> list[str]:
        """The service's .proto files (relative paths, sorted; node_modules, .git and dist left out)."""
        from .service import proto_files

        return proto_files(self.folder)

    @cached_property
    def grpc_service(self) -> Fact[str] | None:
        from .service import proto_service

        return proto_service(self.folder, self.proto_files)

    @cached_property
    def grpc_health(self) -> Fact[str] | None:
        """Where the service serves grpc.health.v1 (what grpc_health_probe asks), or None."""
        from .service import grpc_health

        return grpc_health(self.package, self.key_lines, self.source_files, self.folder, self.proto_files)

    @cached_property
    def health(self):
        """Fact[Health] | None: the health route the source defines."""
        from .service import health_endpoint

        return health_endpoint(self.package, self.source_files, self.folder)

    @cached_property
    def native(self):
        """[Fact[Native]]: native modules (own addon, dependencies), with whether musl builds are shipped."""
        from .service import native_modules

        return native_modules(self.folder, self.package, self.key_lines, self.lockfile)


__all__ = ["Fact", "Project"]
