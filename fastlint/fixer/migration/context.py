"""Step 2: decide the template's context from what step 1 read (the legacy Dockerfile, and the service's folder as
``fastlint.project`` reads it): the service's type and port, how its dependencies are installed (manager,
lockfile, native modules), what the builder builds and what production needs, the start command, the health
check, ENV/ARG/LABEL lines, the runtime packages, the policy's user and images. No file is read here.

Where the template cannot make an image that builds and starts, this step refuses with one sentence
(``MigrationError``): a build that reads files outside the build context, a lockfile-less service whose
package.json only yarn classic or pnpm can install (yarn berry installs without one), yarn berry's Plug'n'Play
(no node_modules), no port, a native module with glibc builds only, a dependency version that does not run on the
policy's Node (FL410)."""

from __future__ import annotations

import json
import posixpath
import re

from .model import MigrationError
from .read import LegacyReader
from .vocabulary import exec_form, is_secret, plain_words

# Lockfile-less installs fall back to npm, which cannot install these package.json protocols (yarn's and pnpm's).
NPM_CANNOT = ("patch:", "workspace:", "portal:", "catalog:", "exec:")
# Dependency folders and manifests: production gets them from the template's own COPY lines.
NOT_COPIED = {"node_modules", "package.json", "package-lock.json", "npm-shrinkwrap.json", "yarn.lock",
              "pnpm-lock.yaml", ".yarn", ".pnp.cjs", ".pnp.loader.mjs", ".", ""}
# What FL404's .dockerignore (which `fastlint fix` writes or completes) always leaves out of the build context.
IGNORED_BY_FL404 = ("node_modules", ".git", "dist", "logs", ".env", "coverage")
# Init programs a legacy image ran its command under: the Alpine package and where Alpine puts the program.
INIT_PROGRAMS = {"tini": ("tini", "/sbin/tini"), "dumb-init": ("dumb-init", "/usr/bin/dumb-init")}
ENV_WRAPPERS = ("cross-env", "env", "dotenv")
BUILD_WORDS = re.compile(r"^(?:(?:npm|pnpm)\s+run(?:-script)?\s+build\S*|yarn\s+(?:run\s+)?build\S*|tsc\b|nest\s+build"
                         r"|npm\s+run\s+(?:re)?build\S*)")


def build_context(r: LegacyReader, port: int | None = None) -> dict:
    """The template's context (``fastlint/policy/template.py`` documents it) from what was read; ``port`` is the
    one ``fastlint fix --port`` gives."""
    project = r.project
    _refuse_outside_inputs(r)
    workdir = r.app_dir
    service_name = r.service.name if r.service else r.folder.resolve().name
    svc_type = _type(r)
    ctx: dict = {"service": service_name, "type": svc_type, "workdir": workdir}
    ctx["port"], ctx["extra_ports"] = _port(r, svc_type, port)
    tcp_why = "a TCP server, no HTTP route to ask"
    if svc_type == "grpc" and r.service is None and project.grpc_health is None:
        svc_type = ctx["type"] = "tcp"  # the template's port check, no grpc_health_probe
        tcp_why = ("the gRPC server serves no grpc.health.v1 Health service: no grpc-health-check or similar "
                   "dependency, no health.proto, no registration in the source; grpc_health_probe would get "
                   "UNIMPLEMENTED and the container would never turn healthy. Serve the health service, then "
                   "migrate again for grpc_health_probe")
    if svc_type == "grpc":
        name = r.service.health_service if r.service is not None and r.service.health_service else None
        if name is None and project.grpc_service is not None:
            name = project.grpc_service.value
            r.warn(0, f"grpc_health_probe asks for {name}, the service of {project.grpc_service.where}")
        if name:
            ctx["health_service"] = name
    ctx.update(_install(r))
    ctx.update(_build(r))
    env: dict[str, str] = {}
    ctx["start_command"] = _start_command(r, workdir, env)
    _dotenv(r, env)
    health = _health(r, ctx, svc_type, workdir, tcp_why)
    ctx.update(health)
    for sources, dest, line in r._copies:
        _place_copy(r, sources, dest, line, workdir)
    extra, outputs = _runtime_files(r, ctx, workdir)
    files = [p for p in extra if p not in r.extra_copy and not (r.folder / p).is_dir() and p not in r.made_files
             or (p in r.made_files and "." in p)]
    if len(files) < 2:
        files = []
    ctx["extra_copy"] = [p for p in extra if p not in files]
    if files:
        ctx["extra_files"] = files  # one COPY for the service's loose files (one layer, not one per file)
    ctx["output_copy"] = outputs
    ctx["builder_runs"] = [script for script, _ in r.file_runs]
    env_lines = [f"ENV {k}={_quote(v)}" for k, v in env.items() if k not in r.env]
    ctx["extra_lines"] = list(dict.fromkeys(r.extra_lines + env_lines))
    ctx["runtime_packages"] = r.runtime_packages
    dirs = [d for d in r.runtime_dirs if not (d == workdir or workdir.startswith(d.rstrip("/") + "/"))]
    if dirs:
        ctx["runtime_dirs"] = " ".join(dirs)
    user = r.policy.user or {}
    for key, name in (("user", "name"), ("uid", "uid"), ("gid", "gid")):
        if user.get(name) is not None:
            ctx[key] = user[name]
    bases = r.policy.bases or {}
    stages = r.policy.stages or []
    if len(stages) == 4:
        node = bases.get(stages[3]) or bases.get(stages[0])
        tools = bases.get(stages[2])
        if node:
            ctx["node_image"] = node
        if tools:
            ctx["tools_image"] = tools
    _refuse_what_does_not_run(r, ctx.get("node_image", "node:20-alpine"))
    _node_version(r, ctx.get("node_image", "node:20-alpine"))
    return ctx


# -- what cannot be built -----------------------------------------------------------------------------------------

def _refuse_outside_inputs(r) -> None:
    outside = r.project.outside_inputs
    if outside and r.project.build is not None:
        first = outside[0]
        raise MigrationError(f"the build reads files outside the build context ({first.where}: {first.how} "
                             f"{first.value}; a workspace member built without its monorepo): the image cannot be "
                             "built from this folder")


def _refuse_what_does_not_run(r, image: str) -> None:
    """A dependency whose installed version does not run on the Node of the policy's base (FL410's table): the
    migrated image would build and exit at start. A policy that turns FL410 off takes that risk."""
    from ...engine.ids import matches
    from ...project.compat import image_node_major

    major = image_node_major(image)
    if major is None or matches("FL410", r.policy.ignore):
        return
    found = r.project.breakages(major)
    if found:
        b = found[0].value
        raise MigrationError(f"{b.describe(found[0].where)}, the policy's base ({image}): {b.remedy}, then migrate "
                             "(FL410)")


# -- type and port ------------------------------------------------------------------------------------------------

def _type(r) -> str:
    if r.service is not None and r.service.type in ("grpc", "http"):
        return r.service.type
    if r.health is not None:
        probe = " ".join(r.health.value)
        if "grpc_health_probe" in probe:
            return "grpc"
        if re.search(r"\b(curl|wget)\b", probe):
            return "http"
        script = _legacy_health_script(r, r.app_dir)
        if script is not None and _makes_http_requests(r, script):
            return "http"  # the service's own check script asks an HTTP endpoint (maildev's bin/healthcheck.js)
    kind = r.project.kind
    if kind is not None:
        return kind.value
    raise MigrationError("cannot tell whether the service is gRPC or HTTP (it is not in the service matrix, "
                         "and neither its health check, its dependencies nor its source say): add it to "
                         "fastlint.yaml")


def _makes_http_requests(r, script: list[str]) -> bool:
    """The file a check script runs (``node dist/bin/healthcheck.js``) sends HTTP requests."""
    words = script[1:] if script[0].rsplit("/", 1)[-1] in ("node", "nodejs") else script
    files = [w for w in words if not w.startswith("-")][:1]
    if not files:
        return False
    from ...project.sources import read_text

    workdir = r.app_dir
    text = read_text(r.folder / (_under(files[0], workdir) or files[0]))
    if re.search(r"\bfetch\s*\(", text):
        return True
    imports_http = re.search(r"""(?:require\(\s*|from\s+)['"](?:node:)?https?['"]""", text)
    return bool(imports_http) and re.search(r"\.(?:get|request)\s*\(", text) is not None


def _port(r, svc_type: str, given: int | None) -> tuple[int, list[str]]:
    """The port the health check probes, and the other ports the original image exposed (kept in EXPOSE)."""
    from ...project.ports import dockerfile_ports

    dockerfile = posixpath.basename(r.path)
    # the original text is what is migrated (it may not be on disk yet): its EXPOSE and ENV PORT, then the rest
    from_file = dockerfile_ports(r.df, dockerfile)
    candidates = from_file + [c for c in r.project.ports.candidates if c.file != dockerfile]
    served: list[str] = []  # other ports a gRPC service serves (its HTTP server's), kept in EXPOSE
    if given is not None:
        port, why = given, "fix --port"
    elif r.service is not None:
        port, why = r.service.port, "the service matrix"
        for c in from_file:
            if c.value != port and c.how == "EXPOSE":
                r.warn(c.line, f"EXPOSE {c.value} replaced by the service matrix's port {port}")
            elif c.value != port:
                r.warn(c.line, f"ENV PORT={c.value} differs from the service matrix's "
                               f"port {port}: check which port the service listens on")
    else:
        chosen = None
        if svc_type == "http" and len({c.value for c in candidates}) > 1:
            named = {h.value for h in r.project.ports.http}
            chosen = next((c for c in candidates if c.value in named and not c.how.startswith("source")), None)
        elif svc_type == "grpc" and len({c.value for c in candidates}) > 1:
            # a gRPC server beside an HTTP one (NestJS's hybrid app): the probe asks the port the gRPC server binds
            # or a Kubernetes probe names; the other ports the Dockerfile or the manifests give stay exposed
            named = {h.value for h in r.project.ports.grpc}
            chosen = next((c for c in candidates if c.value in named), None)
            if chosen is not None:
                served = [str(c.value) for c in candidates if c.value != chosen.value and not c.how.startswith("source")]
        chosen = chosen or (candidates[0] if candidates else None)
        if chosen is None:
            raise MigrationError("no port: the service is not in the service matrix, and neither the Dockerfile "
                                 "(EXPOSE, ENV PORT), a compose file, Kubernetes manifests, Helm values, .env nor "
                                 "the source say which port it listens on: give it with `fastlint fix --port N`")
        port, why = chosen.value, f"{chosen.how} at {chosen.where}"
        others = sorted({c.value for c in candidates if c.value != port and not c.how.startswith("source")})
        if others:
            at = next((c.line for c in from_file if c.value in others), 0)  # the first other port's line here
            r.warn(at, f"the health check probes port {port} ({why}); other ports found: "
                      f"{', '.join(map(str, others))}")
    extra = served
    for word, _line in r.exposed:
        value = r._expand(word)
        m = re.fullmatch(r"(\d{1,5})(?:/(tcp|udp))?", value)
        if m and (int(m.group(1)) != port or m.group(2) == "udp") and (r.service is None or given is not None):
            extra.append(value if m.group(2) == "udp" else m.group(1))
    return port, list(dict.fromkeys(extra))


# -- dependencies -------------------------------------------------------------------------------------------------

def _install(r) -> dict:
    """How the dependencies stage installs, how the builder makes the production node_modules, and what native
    modules need."""
    project = r.project
    lock = project.lockfile
    in_context = lock is not None and not lock.file.startswith("..") and lock.error is None
    natives = _natives(r)
    built = [n.name for n in natives if n.how != "platform package"]
    rebuild = _rebuild(r, built)

    def then_rebuild(tool: str, modules: str = "node_modules") -> str:
        return f" && {rebuild.format(tool=tool, modules=modules)}" if rebuild else ""

    out: dict = {}
    if natives:
        out["build_packages"] = ["python3", "make", "g++"] if rebuild else []
        names = ", ".join(f"{n.name} ({n.how})" for n in natives)
        r.warn(0, f"native modules {names}: built in the dependencies stage"
                  + (" with python3, make and g++, their install scripts allowed (`rebuild`)" if rebuild else ""))
    _git_dependencies(r, out)
    berry = project.manager.value.name == "yarn" and project.manager.value.flavor == "berry"
    if not in_context and berry:
        return {**out, **_berry_unlocked(r, lock, rebuild)}
    if not in_context:
        return {**out, **_npm_install(r, lock, then_rebuild("npm rebuild"))}
    if lock.kind == "npm" and lock.version == "1":
        out.update(_legacy_peers(r))
    sync = project.lock_sync
    frozen = sync.in_sync is True
    if not frozen:
        detail = sync.summary(limit=2) if sync.in_sync is False else (lock.error or "cannot be checked")
        r.warn(0, f"{lock.file} is out of sync with package.json ({detail}): the dependencies stage installs "
                  "without freezing it, so the image does not get what the lockfile locks (FL406); update the "
                  "lockfile and commit it")
    if lock.kind == "npm":
        command = ("npm ci" if frozen else "npm install") + out.get("prune_flags", "") + " --ignore-scripts"
        return {**out, "manager": "npm", "install_sources": "package*.json",
                "install_command": command + then_rebuild("npm rebuild")}
    sources = ["package.json", lock.path.name] + [f for f in (".npmrc", ".yarnrc") if _exists(r, f)]
    if lock.kind == "yarn-classic":
        command = "yarn install" + (" --frozen-lockfile" if frozen else "") + " --ignore-scripts"
        return {**out, "manager": "yarn-classic", "install_sources": " ".join(sources),
                "install_command": command + then_rebuild("npm rebuild"),
                "prune_flags": " --ignore-scripts" + then_rebuild("npm rebuild --prefix /prod", "/prod/node_modules")}
    if lock.kind == "yarn-berry":
        _berry_linker(r)
        sources.append(".yarnrc.yml")
        folders = [".yarn"] if _exists(r, ".yarn") else []
        yarn = "yarn" if _yarn_path(r) else "corepack enable && yarn"
        command = f"{yarn} install" + (" --immutable" if frozen else "") + ("" if rebuild else " --mode=skip-build")
        return {**out, "manager": "yarn-berry", "install_sources": " ".join(dict.fromkeys(sources)),
                "install_folders": folders, "install_command": command}
    # pnpm, through corepack: the version packageManager pins, else the major that writes this lockfile
    pinned = project.manager.value.name == "pnpm" and project.manager.value.version
    prepare = "" if pinned else f" && corepack prepare pnpm@{_pnpm_major(lock.version)} --activate"
    if _exists(r, "pnpm-workspace.yaml"):
        sources.append("pnpm-workspace.yaml")
    command = f"corepack enable{prepare} && pnpm install" + (" --frozen-lockfile" if frozen else
                                                              " --no-frozen-lockfile") + " --ignore-scripts"
    return {**out, "manager": "pnpm", "install_sources": " ".join(sources),
            "install_command": command + then_rebuild("pnpm rebuild"),
            "prune_flags": " --ignore-scripts" + then_rebuild("pnpm --dir /prod rebuild", "/prod/node_modules")}


def _npm_install(r, lock, then_rebuild: str) -> dict:
    """No lockfile in the build context: npm resolves the versions at every build (never a lockfile invented
    silently: a warning here, FL403's finding on the file)."""
    project = r.project
    for field in ("dependencies", "devDependencies", "optionalDependencies"):
        deps = project.package.get(field)
        for name, spec in (deps.items() if isinstance(deps, dict) else []):
            if isinstance(spec, str) and spec.startswith(NPM_CANNOT):
                line = project.key_lines.get((field, name), 0)
                raise MigrationError(f"no lockfile in the build context, and package.json:{line} asks for {name} "
                                     f"by {spec.split(':', 1)[0]}:, which only {project.manager.value.label} can "
                                     "install: commit its lockfile (a frozen install needs it)")
    where = f" (the workspace's {lock.file} is outside the build context)" if lock is not None else ""
    r.warn(0, f"no lockfile{where}: the dependencies stage runs `npm install`, so every build resolves the "
              "versions again (FL403); commit a package-lock.json and the migration writes `npm ci`")
    peers = _legacy_peers(r)
    return {**peers, "manager": "npm", "install_sources": "package*.json",
            "install_command": "npm install" + peers.get("prune_flags", "") + " --ignore-scripts" + then_rebuild}


def _git_dependencies(r, out: dict) -> None:
    """Dependencies fetched from git: the package manager runs git (to resolve a branch or tag, to clone), so the
    dependencies stage installs it (the builder, built on that stage, has it too; production does not)."""
    found = r.project.git_dependencies
    if not found:
        return
    out["build_packages"] = out.get("build_packages", []) + ["git"]
    names = ", ".join(f"{f.value} ({f.where})" for f in found[:3]) + (f" and {len(found) - 3} more" if len(found) > 3
                                                                       else "")
    r.warn(0, f"git dependencies {names}: the dependencies stage installs git, which the package manager runs to "
              "fetch them")


def _berry_linker(r) -> None:
    """yarn berry installs node_modules only with ``nodeLinker: node-modules`` (or ``pnpm``) in .yarnrc.yml; its
    default, Plug'n'Play, makes none, and the template's production stage copies node_modules."""
    try:
        text = (r.folder / ".yarnrc.yml").read_text(encoding="utf-8", errors="replace")
    except OSError:
        text = ""
    m = re.search(r"^nodeLinker:\s*['\"]?([\w-]+)", text, re.M)
    if m is None or m.group(1) not in ("node-modules", "pnpm"):
        said = f"nodeLinker: {m.group(1)}" if m else "no nodeLinker" if text else "no .yarnrc.yml"
        raise MigrationError(f"yarn berry with Plug'n'Play ({said}) installs no node_modules, which the template's "
                             "production stage copies: set `nodeLinker: node-modules` in .yarnrc.yml")


def _berry_unlocked(r, lock, rebuild: str) -> dict:
    """yarn berry without a lockfile in the build context: an unfrozen install (`--no-immutable`, which a CI
    environment would otherwise turn on), with the files berry reads before it (.yarnrc.yml; its release, patches
    and plugins in .yarn/), and never a lockfile invented silently: a warning here, FL403's finding on the file.
    The lockfile the install writes is the one the builder's production install uses."""
    _berry_linker(r)
    sources = ["package.json", ".yarnrc.yml"] + [f for f in (".npmrc", ".yarnrc") if _exists(r, f)]
    folders = [f for f in (".yarn/releases", ".yarn/patches", ".yarn/plugins") if _exists(r, f)]
    yarn = "yarn" if _yarn_path(r) else "corepack enable && yarn"
    where = f" (the workspace's {lock.file} is outside the build context)" if lock is not None else ""
    r.warn(0, f"no yarn.lock{where}: the dependencies stage runs `yarn install --no-immutable` ("
              f"{r.project.manager.value.label}), so every build resolves the versions again (FL403); commit the "
              "yarn.lock it writes and the migration writes `yarn install --immutable`")
    command = f"{yarn} install --no-immutable" + ("" if rebuild else " --mode=skip-build")
    return {"manager": "yarn-berry", "install_sources": " ".join(sources), "install_folders": folders,
            "install_command": command}


def _rebuild(r, names: list[str]) -> str:
    """The command that runs the native modules' install scripts, ``{tool}`` standing for the rebuilding program
    (``npm rebuild``, ``pnpm rebuild``) and ``{modules}`` for its node_modules folder: an optional dependency that does not build is removed, as npm does when
    an optional dependency's install script fails (the service does without it), instead of failing the build."""
    optional = r.project.package.get("optionalDependencies")
    optional = set(optional) if isinstance(optional, dict) else set()
    needed = [n for n in names if n not in optional]
    parts = [f"{{tool}} {' '.join(needed)}"] if needed else []
    for name in (n for n in names if n in optional):
        parts.append(f"({{tool}} {name} || rm -rf {{modules}}/{name})")
        r.warn(0, f"{name} is an optional dependency: if it does not build here, it is left out of the image, as "
                  "npm leaves out an optional dependency whose install fails")
    return " && ".join(parts)


def _legacy_peers(r) -> dict:
    """npm before 7 (Node before 15) did not install peer dependencies: a service written for it may declare
    ranges npm 7+ rejects as a conflict (ERESOLVE). Without a lockfile of npm 7+ its install keeps npm 6's
    behaviour (``--legacy-peer-deps``), which npm's own error message offers."""
    legacy = re.match(r"^(?:[\w.-]+/)*node:(\d+)", r.legacy_base or "")
    if legacy is None or int(legacy.group(1)) >= 15:
        return {}
    r.warn(0, f"the original image ran npm 6 (Node {legacy.group(1)}), which does not install peer dependencies: "
              "npm install and npm prune keep that behaviour (--legacy-peer-deps)")
    return {"prune_flags": " --legacy-peer-deps"}


def _natives(r) -> list:
    """The native modules production needs (dependencies, optional ones), each with how it is built; a module
    with glibc builds only is refused (the policy's node images are Alpine: musl)."""
    out = []
    for fact in r.project.native:
        n = fact.value
        if not n.runtime or n.name == ".":
            continue
        if n.musl is False:
            raise MigrationError(f"{n.name} ({fact.where}) ships glibc builds only ({n.how}) and the policy's "
                                 "node images are Alpine (musl): it would not load there")
        how = "platform package" if "platform package" in n.how else n.how
        out.append(type(n)(n.name, how, n.musl, n.runtime))
    return out


def _pnpm_major(lockfile_version: str) -> str:
    major = lockfile_version.split(".")[0]
    return {"9": "9", "6": "8", "5": "7"}.get(major, "9")


def _yarn_path(r) -> bool:
    try:
        text = (r.folder / ".yarnrc.yml").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    m = re.search(r"^yarnPath:\s*['\"]?(\S+?)['\"]?\s*$", text, re.M)
    return bool(m) and _exists(r, m.group(1))


def _output_as_is(r):
    """Fact | None: the build output the original image ran as it was in the build context (published ready to
    run, or not built by its Dockerfile): production takes it as it is, and FL404 leaves it in the context."""
    return r.project.output_run_as_is([ins.args_text or "" for ins in r.df.instructions if ins.keyword == "RUN"])


def _ignored(r) -> tuple[str, ...]:
    """What FL404's .dockerignore leaves out of this service's build context: not the build output a service runs
    as it is (FL404 leaves it in then)."""
    kept = _output_as_is(r)
    return tuple(p for p in IGNORED_BY_FL404 if kept is None or p != kept.value)


def _exists(r, rel: str) -> bool:
    """The path is in the build context the migrated file will have (after .dockerignore and FL404's)."""
    from ...rules.lib.context import BuildContext

    rel = posixpath.normpath(rel)  # "./x" -> "x"; ".yarn" stays (not lstrip, which drops a dotfile's dot)
    top = rel.split("/", 1)[0]
    if top in _ignored(r) or top.startswith(".env.") or top.startswith("Dockerfile") or top.endswith(".log"):
        return False
    return BuildContext(r.path).exists(rel)


# -- build --------------------------------------------------------------------------------------------------------

def _build(r) -> dict:
    out: dict = {}
    build = r.project.build
    lock, pm = r.project.lockfile, r.project.manager.value
    # no lockfile: npm installs, except for yarn berry (which installs without one, `_berry_unlocked`)
    manager = lock.manager if lock is not None else "yarn" if (pm.name, pm.flavor) == ("yarn", "berry") else "npm"
    runner = {"npm": "npm run", "yarn": "yarn run", "pnpm": "pnpm run"}.get(manager, "npm run")
    as_is = _output_as_is(r)
    if as_is is not None:
        out["build_command"] = ""
        if as_is == r.project.prebuilt:
            r.warn(0, f"{as_is.where}: the build cannot run from this folder: {as_is.how}; production takes "
                      f"{as_is.value}/ as it is")
        else:
            r.warn(0, f"{as_is.where}: the original image ran the {as_is.value}/ of the build context (its Dockerfile "
                      f"builds nothing): production takes {as_is.value}/ as it is, with no build step (a build "
                      "from a fresh install may not do what the original did)")
        build = None
    elif build is not None:
        out["build_command"] = f"{runner} build"
    else:
        out["build_command"] = ""
        r.warn(0, "package.json has no build script: the builder copies the sources, production takes what the "
                  "start command needs")
    proto_script = next((k for k in r.scripts if "proto" in k.lower() and isinstance(r.scripts[k], str)), None)
    if r.protos and proto_script:
        out["has_proto"] = True
        build_text = build.value.command if build is not None else ""
        runs_it = re.search(rf"\brun(-script)?\s+{re.escape(proto_script)}\b", build_text)
        out["proto_command"] = "" if runs_it else f"{runner} {proto_script}"
    return out


# -- start --------------------------------------------------------------------------------------------------------

def _start_command(r, workdir: str, env: dict) -> list[str]:
    command: list[str] = []
    if r.entrypoint is not None:
        command = exec_form(r.entrypoint)
        if r.entrypoint.json and r.cmd is not None:
            command += exec_form(r.cmd)
    elif r.cmd is not None:
        command = exec_form(r.cmd)
    if not command:
        start = r.scripts.get("start")
        if isinstance(start, str) and start.strip():
            command = ["npm", "start"]
        elif isinstance(r.package.get("main"), str):
            command = ["node", r.package["main"]]
            r.warn(0, f"no CMD and no start script: the image runs `node {r.package['main']}`")
        else:
            raise MigrationError("no start command: the Dockerfile has no CMD or ENTRYPOINT and package.json "
                                 "no start script or main")
    init: list[str] = []
    name = command[0].rsplit("/", 1)[-1]
    if name in INIT_PROGRAMS:
        package, program = INIT_PROGRAMS[name]
        rest = command[1:]
        init = [program] + (["--"] if rest[:1] == ["--"] else [])
        command = rest[1:] if rest[:1] == ["--"] else rest
        if package not in r.runtime_packages:
            r.runtime_packages.append(package)
    return init + _resolve_start(r, command, env)


def _resolve_start(r, command: list[str], env: dict) -> list[str]:
    """``npm start`` (``yarn start``, ``npm run start``) -> what the start script runs, when it is node running a
    file: node runs as PID 1 and gets the signals, and no package manager is needed in production. A start
    script that builds first (``npm run build && node dist/x.js``) runs the built file: the builder built it."""
    starts = (["npm", "start"], ["npm", "run", "start"], ["npm", "run-script", "start"], ["yarn", "start"],
              ["yarn", "run", "start"], ["pnpm", "start"], ["pnpm", "run", "start"])
    if command not in starts:
        return command
    start = r.scripts.get("start")
    if not isinstance(start, str) or "poststart" in r.scripts:
        return command
    if "prestart" in r.scripts and not BUILD_WORDS.match(str(r.scripts["prestart"]).strip()):
        return command
    words = plain_words(start)
    if words:
        return _unwrap(words, env) or words
    parts = [p.strip() for p in start.split("&&")]
    if any(not p for p in parts) or any(ch in start for ch in "|;`$<>"):
        return command
    *before, last = parts
    if any(not BUILD_WORDS.match(p) for p in before):
        return command
    try:
        import shlex

        words = shlex.split(last)
    except ValueError:
        return command
    return _unwrap(words, env) or command


def _unwrap(words: list[str], env: dict) -> list[str] | None:
    """``cross-env A=1 node x.js`` / ``A=1 yarn node x.js`` -> ``node x.js`` with A=1 in ``env`` (NODE_ENV=production
    is the template's already); None when what is left is not node."""
    found: dict[str, str] = {}
    while words and (words[0] in ENV_WRAPPERS or re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", words[0])):
        if "=" in words[0]:
            key, _, value = words[0].partition("=")
            found[key] = value
        words = words[1:]
    if len(words) > 1 and words[0] in ("yarn", "pnpm") and words[1] == "node":
        words = words[1:]
    if not words or words[0] not in ("node", "nodejs"):
        return None
    for key, value in found.items():
        if not (key == "NODE_ENV" and value == "production"):
            env[key] = value
    return words


def _dotenv(r, env: dict) -> None:
    """A service that loads its settings with dotenv from a file the build context leaves out (FL404 excludes
    .env files): the settings of the production file become ENV lines, the secrets among them left to run time."""
    deps = r.package.get("dependencies") if isinstance(r.package.get("dependencies"), dict) else {}
    if "dotenv" not in deps:
        return
    for name in (".env.production.local", ".env.production", ".env"):
        path = r.folder / name
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        secrets = []
        for line in text.splitlines():
            m = re.match(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$", line)
            if not m or line.lstrip().startswith("#"):
                continue
            key, value = m.group(1), m.group(2)
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
                value = value[1:-1]
            if key == "NODE_ENV":
                continue
            if is_secret(key, value):
                secrets.append(key)
                continue
            env.setdefault(key, value)
        r.warn(0, f"the service reads {name} with dotenv, which the build context leaves out: its settings are ENV "
                  "lines" + (f"; the secrets {', '.join(secrets)} are not (give them at run time)" if secrets else ""))
        return


def _quote(value: str) -> str:
    return value if value and re.fullmatch(r"[A-Za-z0-9_./:,@%+=-]+", value) else json.dumps(value)


# -- health -------------------------------------------------------------------------------------------------------

def _health(r, ctx: dict, svc_type: str, workdir: str, tcp_why: str) -> dict:
    """gRPC: grpc_health_probe (the template's). HTTP in the service matrix: the standard's curl check. Otherwise
    node makes the request (the route the service defines, else any answer below 500), or the original image's
    own check script is kept: no curl in production."""
    port = ctx["port"]
    if svc_type == "grpc":
        return {}
    legacy_path = _legacy_health_path(r)
    if svc_type == "http" and r.service is not None:
        path = legacy_path or "/health"
        return {"health_path": path}
    script = _legacy_health_script(r, workdir)
    if script is not None:
        r.warn(r.health.line, f"the original health check ({' '.join(script)}) is kept: the script is the service's own")
        return {"health_command": script}
    if svc_type == "tcp":
        r.warn(0, f"health check: node connects to port {port} ({tcp_why})")
        code = (f"require('net').connect({port}, '127.0.0.1').on('connect', () => process.exit(0))"
                ".on('error', () => process.exit(1))")
        return {"health_command": ["node", "-e", code]}
    route = r.project.health
    if legacy_path:
        path, limit, why = legacy_path, 400, "the path the original health check probed"
    elif route is not None:
        path, limit, why = route.value.path, 400, f"the route at {route.where}"
    else:
        path, limit, why = "/", 500, "no health route in the source: any answer below 500 means it is up"
    r.warn(0, f"health check: node requests http://127.0.0.1:{port}{path} ({why}); no curl in production")
    code = (f"require('http').get('http://127.0.0.1:{port}{path}', (r) => process.exit(r.statusCode < {limit} ? 0 : 1))"
            ".on('error', () => process.exit(1))")
    return {"health_command": ["node", "-e", code]}


def _legacy_health_path(r) -> str | None:
    if r.health is None:
        return None
    m = re.search(r"https?://[^/\s\"']+(/[^\s\"'|;&)]*)", " ".join(r.health.value))
    return m.group(1) if m else None


def _legacy_health_script(r, workdir: str) -> list[str] | None:
    """The original HEALTHCHECK when it runs a file of the service (``bin/healthcheck.js``, or node running one:
    ``node dist/bin/healthcheck.js``), in exec form."""
    if r.health is None or not r.health.value or r.health.value[0].upper() != "CMD":
        return None
    words = list(r.health.value[1:]) if r.health.json else (plain_words(" ".join(r.health.value[1:])) or [])
    if not words:
        return None
    target = words[0]
    if target.rsplit("/", 1)[-1].startswith("grpc_health_probe"):
        return None  # a copy of the probe in the context is not the service's own check: the template has the probe
    if target.rsplit("/", 1)[-1] in ("node", "nodejs"):  # `node dist/bin/healthcheck.js`: the file node runs
        target = next((w for w in words[1:] if not w.startswith("-")), "")
    rel = _under(target, workdir) or (target if target and not target.startswith("/") else None)
    if rel is None or not _exists(r, rel):
        return None
    return words


def _under(path: str, workdir: str) -> str | None:
    """``path`` relative to the workdir when it is inside it."""
    if not path.startswith("/"):
        return None
    path = posixpath.normpath(path)
    base = workdir.rstrip("/") + "/"
    return path[len(base):] if path.startswith(base) else None


# -- what production needs ----------------------------------------------------------------------------------------

def _runtime_files(r, ctx: dict, workdir: str) -> tuple[list[str], list[str]]:
    """(extra_copy, output_copy): the top-level files and folders production takes from the builder. Each must be
    in the build context or made by the builder: a path neither provides is refused, never copied."""
    project = r.project
    build = project.build if _output_as_is(r) is None else None
    outputs: list[str] = []
    if build is not None:
        out = build.value.output.value if build.value.output is not None else None
        if out is None:
            entry = project.start.entry
            out = entry.value.split("/", 1)[0] if entry is not None and "/" in entry.value else None
        if out is not None:
            outputs.append(out.split("/", 1)[0])
    wanted: dict[str, str] = {}
    needs = [project.runtime_needs]
    entry = _entry_of(ctx["start_command"], workdir)
    if entry is not None and (r.folder / entry).is_file() and \
            (project.start.entry is None or project.start.entry.value != entry):
        needs.append(project.runtime_needs_for(entry))  # the file the CMD runs, not package.json's
    for found in needs:
        for top, fact in found.paths.items():
            wanted.setdefault(top, f"{fact.how} ({fact.where})")
    for word in _command_words(r, ctx["start_command"]) + _command_words(r, ctx.get("health_command") or []):
        rel = _under(word, workdir) or (word if not word.startswith(("/", "-")) else None)
        if rel and ("/" in rel or "." in rel) and (_exists(r, rel) or rel in r.made_files):
            wanted.setdefault(posixpath.normpath(rel).split("/", 1)[0], "the start command")
    for asset in r.extra_copy:
        wanted.setdefault(asset, "copied by the original image")
    for made in sorted(r.made_files):
        wanted.setdefault(made.split("/", 1)[0], "made by a RUN of the original image")
    extra = []
    for top, why in wanted.items():
        if top in NOT_COPIED or top in outputs:
            continue
        if _exists(r, top) or top in r.made_files:
            extra.append(top)
            continue
        if top in _ignored(r) or top.startswith(".env"):
            continue  # dist without a build, .env files: never in the context
        raise MigrationError(f"production needs {top} ({why}), which neither the build context nor the build "
                             "provides")
    if not outputs and not extra:
        raise MigrationError("nothing to run: no build output, and the start command's files are not in the build "
                             "context")
    return sorted(extra), outputs


def _entry_of(command: list[str], workdir: str) -> str | None:
    """The file ``node`` runs in an exec-form command (relative to the workdir), or None."""
    words = list(command)
    while words and words[0].rsplit("/", 1)[-1] in ("tini", "dumb-init", "--"):
        words = words[1:]
    if not words or words[0].rsplit("/", 1)[-1] not in ("node", "nodejs"):
        return None
    args = words[1:]
    i = 0
    while i < len(args):
        if args[i] in ("-r", "--require", "--import", "--loader"):
            i += 2
            continue
        if args[i].startswith("-"):
            i += 1
            continue
        path = _under(args[i], workdir) or args[i]
        return None if path.startswith("/") else posixpath.normpath(path)
    return None


def _command_words(r, command: list[str]) -> list[str]:
    """The words of an exec-form command, with the script of ``sh -c SCRIPT`` split into words and its variables
    expanded from the image's ENV."""
    for i in range(len(command) - 2):
        if command[i].rsplit("/", 1)[-1] in ("sh", "bash", "ash") and command[i + 1] == "-c":
            import shlex

            script = re.sub(r"\$\{?(\w+)\}?", lambda m: r.env.get(m.group(1), m.group(0)), command[i + 2])
            try:
                return command[:i + 2] + shlex.split(script)
            except ValueError:
                return command
    return command


def _place_copy(r, sources: list[str], dest: str, line: int, workdir: str) -> None:
    """A COPY of assets from the build context: the builder has them under the workdir."""
    plain = len(sources) == 1 and not any(ch in sources[0] for ch in "*?[ ")
    if plain and posixpath.normpath(dest) == posixpath.join(workdir, sources[0]):
        if sources[0] not in r.extra_copy:
            r.extra_copy.append(sources[0])
        return
    if any(" " in s for s in sources) or " " in dest:
        parts = [f"{workdir}/{s}" for s in sources] + [dest]
        r.copy_lines.append(f"COPY --from=builder --chown={{user}} {json.dumps(parts)}")
    else:
        srcs = " ".join(f"{workdir}/{s}" for s in sources)
        r.copy_lines.append(f"COPY --from=builder --chown={{user}} {srcs} {dest}")


# -- Node version -------------------------------------------------------------------------------------------------

def _node_version(r, image: str) -> None:
    """A service that asks for an older Node than the policy's base gets it anyway, said here and by FL409."""
    from ...project.manager import node_major_range

    m = re.match(r"^(?:[\w.-]+/)*node:(\d+)", image)
    if m is None:
        return
    major = int(m.group(1))
    wanted = r.project.node_version
    if wanted is not None:
        low, high = node_major_range(wanted.value)
        if high is not None and high < major:
            r.warn(0, f"{wanted.where}: the service asks for Node {wanted.value}; the policy's base {image} has Node "
                      f"{major}: the image moves to a newer Node than the service supports (FL409)")
        elif low is not None and low > major:
            r.warn(0, f"{wanted.where}: the service asks for Node {wanted.value}; the policy's base {image} has Node "
                      f"{major} (FL409)")
    legacy = re.match(r"^(?:[\w.-]+/)*node:(\d+)", r.legacy_base or "")
    if legacy and int(legacy.group(1)) < major:
        r.warn(0, f"the original image ran Node {legacy.group(1)} ({r.legacy_base}); the migrated one runs Node "
                  f"{major} ({image}): check what changed between them (e.g. an unhandled promise rejection ends the "
                  "process since Node 15)")
