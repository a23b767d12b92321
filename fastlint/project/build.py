"""The build step of a service (and what it produces), its start command and entry file, and what the started
service reads from its folder at run time."""

from __future__ import annotations

import posixpath
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

from .facts import Fact, line_of, read_json
from .sources import read_text

# build tools -> how their output folder is found
_OUT_FLAG = re.compile(r"(?:^|\s)(?:-d|--out-dir|--outDir|--outdir|-o|--out|--output-path|--dist-dir)(?:=|\s+)(['\"]?)([^\s'\"&;|]+)\1")
_OUTFILE = re.compile(r"(?:^|\s)--outfile(?:=|\s+)(['\"]?)([^\s'\"&;|]+)\1")
_PROJECT = re.compile(r"(?:^|\s)(?:-p|--project)(?:=|\s+)(['\"]?)([^\s'\"&;|]+)\1")
_WEBPACK_OUT = re.compile(r"path\s*:\s*(?:path\.(?:resolve|join)\(\s*__dirname\s*,\s*|fileURLToPath\(\s*new URL\(\s*)?"
                          r"['\"`]\.?/?([^'\"`]+)['\"`]")
_NODE_RUNNERS = {"node", "nodejs", "ts-node", "ts-node-dev", "tsx", "nodemon", "babel-node", "pm2-runtime",
                 "supervisor", "forever"}
_ENV_WRAPPERS = {"cross-env", "env", "dotenv", "exec", "nice"}


@dataclass(frozen=True)
class BuildStep:
    script: str  # the package.json script ("build")
    command: str  # its text
    tool: str | None  # tsc | nest | swc | babel | webpack | lb-tsc | esbuild | tsup | vite | rollup | ncc | None
    output: Fact[str] | None  # the folder (or file) it writes, relative to the service folder


@dataclass(frozen=True)
class Start:
    command: str  # what `npm start` runs (the start script, or npm's default `node server.js`)
    entry: Fact[str] | None  # the file node runs, relative to the service folder
    builds_first: bool = False  # the start script runs the build itself (`npm run build && node dist/x.js`)
    runner: str | None = None  # node | ts-node | nest | nodemon | pm2-runtime | a script path


@dataclass
class RuntimeNeeds:
    """Top-level files and folders of the service folder that the started service needs, each with where the
    need was seen (the require, the static folder, the read)."""

    paths: dict[str, Fact[str]] = field(default_factory=dict)

    def add(self, top: str, file: str, line: int, how: str) -> None:
        self.paths.setdefault(top, Fact(top, file, line, how))


# -- tsconfig ----------------------------------------------------------------------------------------------------

def _strip_json_comments(text: str) -> str:
    out, i, n, in_str = [], 0, len(text), False
    while i < n:
        ch = text[i]
        if in_str:
            out.append(ch)
            if ch == "\\" and i + 1 < n:
                out.append(text[i + 1])
                i += 2
                continue
            if ch == '"':
                in_str = False
        elif ch == '"':
            in_str = True
            out.append(ch)
        elif text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
            continue
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            out.append("\n" * text.count("\n", i, n if j < 0 else j))
            i = n if j < 0 else j + 2
            continue
        else:
            out.append(ch)
        i += 1
    return re.sub(r",(\s*[}\]])", r"\1", "".join(out))


def tsconfig_option(folder: Path, name: str, option: str, depth: int = 0) -> Fact[str] | None:
    """A compilerOptions value of a tsconfig file, following ``extends`` to files in the folder tree; the path
    value is made relative to ``folder``."""
    import json

    path = (folder / name)
    if path.is_dir():
        path = path / "tsconfig.json"
    if not path.is_file() and not name.endswith(".json"):
        path = folder / (name + ".json")
    try:
        text = path.read_text(encoding="utf-8-sig")
        data = json.loads(_strip_json_comments(text))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    opts = data.get("compilerOptions") if isinstance(data.get("compilerOptions"), dict) else {}
    value = opts.get(option)
    rel_file = posixpath.normpath(path.relative_to(folder).as_posix()) if path.is_relative_to(folder) else path.name
    if isinstance(value, str):
        m = re.search(rf'"{option}"\s*:', text)
        base = posixpath.dirname(rel_file)
        return Fact(posixpath.normpath(posixpath.join(base, value)), rel_file, line_of(text, m.start()) if m else 0,
                    f"tsconfig {option}")
    ext = data.get("extends")
    if isinstance(ext, str) and depth < 5 and ext.startswith("."):
        target = (path.parent / ext)
        try:
            rel = target.resolve().relative_to(folder.resolve()).as_posix()
        except ValueError:
            return None
        return tsconfig_option(folder, rel, option, depth + 1)
    return None


def outside_inputs(folder: Path) -> list[Fact[str]]:
    """What the TypeScript build reads from outside the folder: tsconfig ``references`` and relative ``extends``
    that leave it (a workspace member built alone, without the monorepo around it)."""
    import json

    out: list[Fact[str]] = []
    for path in sorted(folder.glob("tsconfig*.json")):
        try:
            text = path.read_text(encoding="utf-8-sig")
            data = json.loads(_strip_json_comments(text))
        except (OSError, ValueError):
            continue
        if not isinstance(data, dict):
            continue
        refs = [r.get("path") for r in data.get("references") or [] if isinstance(r, dict)]
        ext = data.get("extends")
        wanted = [(r, "tsconfig references") for r in refs if isinstance(r, str)]
        wanted += [(e, "tsconfig extends") for e in (ext if isinstance(ext, list) else [ext])
                   if isinstance(e, str) and e.startswith(".")]
        for target, how in wanted:
            if not posixpath.normpath(target).startswith(".."):
                continue
            m = re.search(re.escape(json.dumps(target)), text)
            out.append(Fact(target, path.name, line_of(text, m.start()) if m else 0, how))
    return out


# -- the build step ----------------------------------------------------------------------------------------------

def _script_chain(scripts: dict, name: str, depth: int = 0) -> list[str]:
    """The commands a script runs, with `npm run X` / `yarn X` / `pnpm X` expanded (pre/post scripts too)."""
    if depth > 4 or not isinstance(scripts.get(name), str):
        return []
    out = []
    for part in ([f"pre{name}"] if f"pre{name}" in scripts else []) + [name] + \
                ([f"post{name}"] if f"post{name}" in scripts else []):
        for cmd in re.split(r"&&|\|\||;", scripts[part]):
            cmd = cmd.strip()
            m = re.match(r"^(?:npm\s+run(?:-script)?|yarn(?:\s+run)?|pnpm(?:\s+run)?|bun\s+run)\s+([\w:.-]+)", cmd)
            if m and m.group(1) in scripts and m.group(1) != name:
                out.extend(_script_chain(scripts, m.group(1), depth + 1))
            else:
                out.append(cmd)
    return out


def _tool_of(cmd: str) -> str | None:
    words = [w for w in cmd.split() if "=" not in w or w.startswith("-")]
    while words and (words[0] in _ENV_WRAPPERS or words[0] in ("npx", "pnpm", "yarn", "exec")):
        words = words[1:]
    if not words:
        return None
    w = words[0].rsplit("/", 1)[-1]
    if w == "nest" and len(words) > 1 and words[1] == "build":
        return "nest"
    return w if w in {"tsc", "swc", "babel", "webpack", "lb-tsc", "esbuild", "tsup", "vite", "rollup", "ncc",
                      "parcel", "tsc-alias", "copyfiles", "cpx", "rimraf", "gulp", "grunt", "next", "prisma",
                      "browserify", "uglifyjs", "del-cli", "shx", "mkdirp", "echo", "rm", "cp", "mkdir"} else None


def build_step(folder: Path, package: dict, key_lines: dict) -> Fact[BuildStep] | None:
    scripts = package.get("scripts") if isinstance(package.get("scripts"), dict) else {}
    if not isinstance(scripts.get("build"), str) or not scripts["build"].strip():
        return None
    command = scripts["build"]
    output: Fact[str] | None = None
    main_tool = None
    for cmd in _script_chain(scripts, "build"):
        tool = _tool_of(cmd)
        if tool in (None, "tsc-alias", "copyfiles", "cpx", "rimraf", "del-cli", "shx", "mkdirp", "echo", "rm", "cp",
                    "mkdir", "prisma"):
            continue
        main_tool = main_tool or tool
        found = _output_of(folder, tool, cmd, key_lines)
        if found is not None and output is None:
            output = found
    return Fact(BuildStep("build", command, main_tool, output), "package.json", key_lines.get(("scripts", "build"), 0),
                "scripts.build")


def _output_of(folder: Path, tool: str, cmd: str, key_lines: dict) -> Fact[str] | None:
    where = ("package.json", key_lines.get(("scripts", "build"), 0))
    m = _OUT_FLAG.search(cmd)
    if m and tool not in ("tsc",):
        return Fact(posixpath.normpath(m.group(2)), *where, f"{tool} output flag")
    m = _OUTFILE.search(cmd)
    if m:
        return Fact(posixpath.normpath(m.group(2)), *where, f"{tool} --outfile")
    if tool in ("tsc", "lb-tsc"):
        m = re.search(r"--outDir(?:=|\s+)(\S+)", cmd)
        if m:
            return Fact(posixpath.normpath(m.group(1)), *where, "tsc --outDir")
        p = _PROJECT.search(cmd)
        return tsconfig_option(folder, p.group(2) if p else "tsconfig.json", "outDir")
    if tool == "nest":
        cfg, text = read_json(folder / "nest-cli.json")
        ts = "tsconfig.build.json" if (folder / "tsconfig.build.json").is_file() else "tsconfig.json"
        if isinstance(cfg, dict):
            opts = cfg.get("compilerOptions") if isinstance(cfg.get("compilerOptions"), dict) else {}
            if isinstance(opts.get("tsConfigPath"), str):
                ts = opts["tsConfigPath"]
        found = tsconfig_option(folder, ts, "outDir")
        return found or Fact("dist", "nest-cli.json" if cfg else "", 0, "nest build's default output")
    if tool == "webpack":
        for name in ("webpack.config.js", "webpack.config.ts", "webpack.config.cjs", "webpack.prod.js"):
            text = read_text(folder / name)
            m = _WEBPACK_OUT.search(text) if "output" in text else None
            if m:
                return Fact(posixpath.normpath(m.group(1)), name, line_of(text, m.start()), "webpack output.path")
        return Fact("dist", "", 0, "webpack's default output")
    if tool in ("vite", "tsup", "ncc", "parcel", "rollup", "esbuild"):
        return Fact("dist", "", 0, f"{tool}'s default output")
    return None


def prebuilt(folder: Path, build: Fact[BuildStep] | None, entry: Fact[str] | None) -> Fact[str] | None:
    """The build's output as published (an npm tarball's ``dist/``), when the build cannot run here: the output
    folder is in the service folder, the start entry is in it, and the build's inputs are not (the tsconfig the
    compiler is given, or the sources folder). The service runs from that folder as it is; None otherwise."""
    if build is None or entry is None:
        return None
    out = build.value.output.value.split("/", 1)[0] if build.value.output is not None else entry.value.split("/", 1)[0]
    if "/" not in entry.value or entry.value.split("/", 1)[0] != out or not (folder / entry.value).is_file():
        return None
    tool = build.value.tool
    missing = None
    if tool in ("tsc", "lb-tsc", "nest"):
        p = _PROJECT.search(build.value.command)
        config = p.group(2) if p else ("tsconfig.build.json" if tool == "nest" and
                                       not (folder / "tsconfig.json").is_file() else "tsconfig.json")
        if not (folder / config).exists():
            missing = config
    root = tsconfig_option(folder, "tsconfig.json", "rootDir")
    src = root.value if root else "src"
    if missing is None and not (folder / src).exists() and tool is not None:
        missing = f"{src}/"
    if missing is None:
        return None
    return Fact(out, build.file, build.line, f"published build output ({build.value.command!r} needs {missing}, "
                                             "which is not in the folder)")


COMPILERS = ("tsc", "nest", "swc", "babel", "webpack", "lb-tsc", "esbuild", "tsup", "vite", "rollup", "ncc", "parcel",
             "next", "browserify")


def runs_build(command: str, scripts: dict) -> bool:
    """A RUN's command line runs the service's build: a script named build* (``npm run build``, ``yarn build``), a
    script that runs a compiler, or a compiler itself (``tsc``, ``nest build``, ``npx webpack``)."""
    for part in re.split(r"&&|\|\||;|\n", command):
        part = part.strip()
        m = re.match(r"^(?:npm\s+run(?:-script)?|yarn(?:\s+run)?|pnpm(?:\s+run)?|bun\s+run)\s+([\w:.-]+)", part)
        if m:
            name = m.group(1)
            if name.startswith("build") or any(_tool_of(c) in COMPILERS for c in _script_chain(scripts, name)):
                return True
        elif _tool_of(part) in COMPILERS:
            return True
    return False


def output_run_as_is(folder: Path, build: Fact[BuildStep] | None, entry: Fact[str] | None,
                     prebuilt: Fact[str] | None, run_commands: list[str], scripts: dict) -> Fact[str] | None:
    """The build output an image runs as it is in the build context: the published one whose build cannot run
    here (``prebuilt``), or, when the Dockerfile's RUNs build nothing, the build's output folder that is in the
    folder and holds the start entry (an npm tarball that publishes ``dist/`` beside ``src/``, a CI that builds
    before ``docker build``). Its build is not the image's: running it anew can fail where the original did not."""
    if prebuilt is not None:
        return prebuilt
    if build is None or entry is None or build.value.output is None:
        return None
    out = build.value.output.value.split("/", 1)[0]
    if entry.value.split("/", 1)[0] != out or not (folder / entry.value).is_file():
        return None
    if any(runs_build(c, scripts) for c in run_commands):
        return None
    return Fact(out, entry.file, entry.line, f"the build output in the build context ({out}/, with the start "
                                             f"entry {entry.value}): the Dockerfile runs no build")


# -- the start command -------------------------------------------------------------------------------------------

def start_command(folder: Path, package: dict, key_lines: dict) -> Start:
    scripts = package.get("scripts") if isinstance(package.get("scripts"), dict) else {}
    start = scripts.get("start")
    if isinstance(start, str) and start.strip():
        line = key_lines.get(("scripts", "start"), 0)
        chain = _script_chain(scripts, "start")
        builds = any(_tool_of(c) in ("tsc", "nest", "swc", "babel", "webpack", "lb-tsc", "esbuild", "tsup")
                     for c in chain) or bool(re.search(r"\b(?:npm|yarn|pnpm)\s+(?:run\s+)?build\b", start))
        for cmd in reversed(chain):
            entry, runner = _entry_of(folder, package, cmd, key_lines)
            if entry is not None or runner is not None:
                if entry is not None and not entry.file:
                    entry = Fact(entry.value, "package.json", line, entry.how)
                return Start(start, entry, builds, runner)
        return Start(start, None, builds, None)
    if (folder / "server.js").is_file():  # npm's default start
        return Start("node server.js", Fact("server.js", "", 0, "npm start's default (server.js)"), False, "node")
    main = _main(folder, package, key_lines)
    return Start(f"node {main.value}" if main else "", main, False, "node" if main else None)


def _main(folder: Path, package: dict, key_lines: dict) -> Fact[str] | None:
    main = package.get("main")
    if isinstance(main, str) and main.strip():
        value = posixpath.normpath(main.strip())
        return Fact(_with_ext(folder, value), "package.json", key_lines.get(("main",), 0), "main")
    if (folder / "index.js").is_file():
        return Fact("index.js", "", 0, "node's default (index.js)")
    return None


def _with_ext(folder: Path, rel: str) -> str:
    if (folder / rel).is_file():
        return rel
    for ext in (".js", ".cjs", ".mjs", "/index.js"):
        if (folder / (rel + ext)).is_file():
            return rel + ext
    return rel if rel.endswith((".js", ".cjs", ".mjs", ".ts")) else rel + ".js" if "." not in posixpath.basename(rel) else rel


def _entry_of(folder: Path, package: dict, cmd: str, key_lines: dict) -> tuple[Fact[str] | None, str | None]:
    try:
        words = shlex.split(cmd)
    except ValueError:
        words = cmd.split()
    while words and (words[0] in _ENV_WRAPPERS or re.match(r"^[A-Z_][A-Z0-9_]*=", words[0])):
        words = words[1:]
    if len(words) > 1 and words[0] in ("yarn", "pnpm", "npx", "bunx") and words[1] in _NODE_RUNNERS:
        words = words[1:]  # `yarn node app.js`: the package manager runs node (berry's PnP loader, PATH)
    if not words:
        return None, None
    prog = words[0].rsplit("/", 1)[-1]
    if prog == "nest" and words[1:2] == ["start"]:
        cfg, _ = read_json(folder / "nest-cli.json")
        entry = cfg.get("entryFile", "main") if isinstance(cfg, dict) else "main"
        out = tsconfig_option(folder, "tsconfig.build.json" if (folder / "tsconfig.build.json").is_file()
                              else "tsconfig.json", "outDir")
        return Fact(f"{out.value if out else 'dist'}/{entry}.js", "", 0, "nest start"), "nest"
    if prog in _NODE_RUNNERS:
        args = words[1:]
        i = 0
        while i < len(args):
            a = args[i]
            if a in ("-r", "--require", "--loader", "--import", "--experimental-loader", "-e", "--eval",
                     "--max-old-space-size", "--exec", "-x", "--watch-path"):
                i += 2
                continue
            if a.startswith("-") or a in ("start",):
                i += 1
                continue
            if a in (".", "./"):
                return _main(folder, package, key_lines), prog
            return Fact(_with_ext(folder, posixpath.normpath(a)), "", 0, f"{prog} in the start script"), prog
        return None, prog
    if words[0].startswith(("./", "bin/")) or (folder / words[0]).is_file():
        return Fact(posixpath.normpath(words[0]), "", 0, "the start script runs it"), "script"
    return None, None


# -- what the started service reads --------------------------------------------------------------------------------

_IMPORT = re.compile(r"""(?:\brequire\s*\(\s*|\bimport\s*\(\s*|\bfrom\s+|^\s*import\s+)['"`](\.{1,2}/[^'"`]*|\.{1,2})['"`]""",
                     re.M)
_DIRNAME_JOIN = re.compile(r"""path\.(?:join|resolve)\(\s*__dirname\s*((?:,\s*['"`][^'"`]+['"`]\s*)+)\)""")
_DIRNAME_PLUS = re.compile(r"""__dirname\s*\+\s*['"`]([^'"`]+)['"`]""")
_STATIC = re.compile(r"""(?:\.static|serve|koaStatic|serveStatic|express\.static|static)\(\s*['"`]\.?/?([\w@.-][\w@./-]*)['"`]""")
_READ = re.compile(r"""(?:readFileSync|readFile|createReadStream|existsSync|readdirSync)\(\s*['"`]\.?/?([\w@.-][\w@./-]*)['"`]""")
# `${env.APP_ROOT}/static/...`, `${__dirname}/../public`: a folder named after a root or a dir variable
_ROOT_TEMPLATE = re.compile(r"""\$\{[^}]*(?:ROOT|Root|root|DIR|Dir|dir|__dirname)[^}]*\}/((?:\.\./)*[\w@.-]+)""")
# a string of the source naming a path of the service's folder: './privatekey.pem' in a config object, the
# './servers/' of a require built at run time
_LOCAL_LITERAL = re.compile(r"""['"`]\./([\w@][\w@.-]*)(?:/[^'"`]*)?['"`]""")
_EXTS = ("", ".js", ".ts", ".mjs", ".cjs", ".mts", ".cts", ".json", ".jsx", ".tsx", "/index.js", "/index.ts",
         "/index.mjs", "/index.json")


def runtime_needs(folder: Path, entry: Fact[str] | None, build: Fact[BuildStep] | None,
                  package: dict, key_lines: dict) -> RuntimeNeeds:
    """Follow the entry file's relative imports through the source tree; note the folders and files they read
    (``path.join(__dirname, ...)``, static folders, ``readFileSync``). With a build step the entry is in its
    output: the output folder is needed, and the sources (``rootDir``, or ``src``) are followed instead."""
    needs = RuntimeNeeds()
    out_dir = build.value.output.value if build and build.value.output else None
    start_files: list[str] = []
    if entry is not None:
        top = entry.value.split("/", 1)[0]
        in_output = out_dir is not None and (entry.value == out_dir or entry.value.startswith(out_dir + "/"))
        if in_output:
            needs.add(top, entry.file, entry.line, "the entry is build output")
            root = tsconfig_option(folder, "tsconfig.json", "rootDir")
            src = root.value if root else "src"
            rest = entry.value[len(out_dir) + 1:]
            for ext in (".ts", ".js", ".mts"):
                cand = posixpath.join(src, rest.rsplit(".", 1)[0] + ext)
                if (folder / cand).is_file():
                    start_files.append(cand)
                    break
        else:
            needs.add(top, entry.file, entry.line, entry.how or "the entry file")
            start_files.append(entry.value)
    files_field = package.get("files")
    seen: set[str] = set()
    queue = [f for f in start_files if (folder / f).is_file()]
    while queue and len(seen) < 3000:
        rel = queue.pop()
        if rel in seen:
            continue
        seen.add(rel)
        text = read_text(folder / rel)
        here = posixpath.dirname(rel)
        out_top = out_dir.split("/", 1)[0] if out_dir else None
        for m in _IMPORT.finditer(text):
            target = _resolve(folder, posixpath.normpath(posixpath.join(here, m.group(1))))
            if target is None or target.startswith(".."):
                continue
            if (folder / target).is_dir() and (folder / target / "package.json").is_file():
                pkg, _ = read_json(folder / target / "package.json")  # require('..'): that package's main
                main = pkg.get("main") if isinstance(pkg, dict) and isinstance(pkg.get("main"), str) else "index.js"
                target = _resolve(folder, posixpath.normpath(posixpath.join(target, main))) or target
            top = target.split("/", 1)[0]
            if not (out_top and rel.startswith(_src_prefix(folder))):
                needs.add(top, rel, line_of(text, m.start()), "required")
            elif top != _src_prefix(folder).rstrip("/"):
                needs.add(top, rel, line_of(text, m.start()), "required")
            if target.endswith((".js", ".ts", ".mjs", ".cjs", ".mts", ".cts", ".jsx", ".tsx")) and target not in seen:
                queue.append(target)
        for rx, how, base in ((_DIRNAME_JOIN, "read beside the code", "dirname"),
                              (_DIRNAME_PLUS, "read beside the code", "dirname"),
                              (_STATIC, "served as static files", "cwd"), (_READ, "read", "cwd")):
            for m in rx.finditer(text):
                if rx is _DIRNAME_JOIN:
                    parts = re.findall(r"['\"`]([^'\"`]+)['\"`]", m.group(1))
                    raw = posixpath.join(*parts)
                else:
                    raw = m.group(1)
                cand = posixpath.normpath(posixpath.join(here if base == "dirname" else "", raw.lstrip("/")))
                if out_dir and base == "dirname" and rel.startswith(_src_prefix(folder)):
                    # compiled code runs from the output folder at the same depth
                    cand = posixpath.normpath(posixpath.join(here.replace(_src_prefix(folder).rstrip("/"), out_dir, 1),
                                                             raw.lstrip("/")))
                if cand.startswith("..") or cand in (".", ""):
                    continue
                top = cand.split("/", 1)[0]
                if (folder / top).exists() or (out_dir and top == out_dir.split("/", 1)[0]):
                    needs.add(top, rel, line_of(text, m.start()), how)
        for m in _LOCAL_LITERAL.finditer(text):
            top = m.group(1)
            if here in ("", ".") and (folder / top).exists() and top not in needs.paths \
                    and not (out_dir and rel.startswith(_src_prefix(folder))):
                needs.add(top, rel, line_of(text, m.start()), "named in the source")
        for m in _ROOT_TEMPLATE.finditer(text):
            top = posixpath.normpath(m.group(1)).split("/")[-1] if m.group(1).startswith("..") else m.group(1)
            if top and (folder / top).is_dir():
                needs.add(top, rel, line_of(text, m.start()), "read under the service's root folder")
    deps = package.get("dependencies") if isinstance(package.get("dependencies"), dict) else {}
    if "config" in deps and (folder / "config").is_dir():  # node-config reads ./config (NODE_CONFIG_DIR)
        needs.add("config", "package.json", key_lines.get(("dependencies", "config"), 0),
                  "read by the config package (./config)")
    if isinstance(files_field, list):
        for f in files_field:
            if isinstance(f, str) and not f.startswith("!"):
                top = posixpath.normpath(f.lstrip("./")).split("/", 1)[0]
                if top and "*" not in top and (folder / top).exists():
                    needs.add(top, "package.json", key_lines.get(("files",), 0), "package.json files")
    return needs


def _src_prefix(folder: Path) -> str:
    root = tsconfig_option(folder, "tsconfig.json", "rootDir")
    return (root.value if root else "src").rstrip("/") + "/"


def _resolve(folder: Path, rel: str) -> str | None:
    for ext in _EXTS:
        cand = rel + ext
        if (folder / cand).is_file():
            return posixpath.normpath(cand)
    for ext in (".ts", ".tsx", ".mts"):
        if rel.endswith(".js") and (folder / (rel[:-3] + ext)).is_file():  # TS sources import their .js output
            return rel[:-3] + ext
    if (folder / rel).is_dir():
        return rel
    return None

