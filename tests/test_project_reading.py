"""fastlint.project on small synthetic services: build steps and their output, start commands and entry files,
ports from every place, health routes, gRPC, native modules, Node versions. Each answer's citation is checked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fastlint.project import Project


def service(tmp_path: Path, files: dict[str, str | dict]) -> Project:
    for name, content in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(content, indent=2) + "\n" if isinstance(content, dict) else content)
    return Project(tmp_path)


# -- build -------------------------------------------------------------------------------------------------------

def test_nest_build_reads_nest_cli_and_the_tsconfig_it_names(tmp_path):
    p = service(tmp_path, {
        "package.json": {"name": "api", "scripts": {"build": "nest build", "start:prod": "node dist/main",
                                                    "start": "nest start"},
                         "dependencies": {"@nestjs/core": "^10.0.0", "@nestjs/terminus": "^10.0.0"}},
        "nest-cli.json": {"collection": "@nestjs/schematics", "sourceRoot": "src",
                          "compilerOptions": {"tsConfigPath": "tsconfig.app.json"}},
        "tsconfig.json": '{\n  // comments are allowed in tsconfig\n  "compilerOptions": {"outDir": "./dist",}\n}\n',
        "tsconfig.app.json": '{\n  "extends": "./tsconfig.json",\n  "compilerOptions": {\n    "outDir": "./out/app"\n  }\n}\n',
    })
    build = p.build
    assert (build.value.tool, build.value.output.value, build.value.output.where) == \
        ("nest", "out/app", "tsconfig.app.json:4")
    assert build.where == "package.json:4"
    assert p.start.runner == "nest" and p.start.entry.value == "dist/main.js"


def test_tsc_project_flag_and_extends(tmp_path):
    p = service(tmp_path, {
        "package.json": {"scripts": {"build": "rimraf lib && tsc -p tsconfig.build.json && tsc-alias",
                                     "start": "node lib/index.js"}},
        "tsconfig.base.json": '{"compilerOptions": {"outDir": "lib", "rootDir": "src"}}',
        "tsconfig.build.json": '{"extends": "./tsconfig.base.json", "exclude": ["test"]}',
        "src/index.ts": "import { app } from './app';\napp.listen(process.env.PORT || 8080);\n",
        "src/app.ts": "import path from 'path';\nexport const app = express();\n"
                      "app.use(express.static(path.join(__dirname, '..', 'public')));\n",
        "public/index.html": "<html/>",
    })
    assert p.build.value.tool == "tsc"
    assert (p.build.value.output.value, p.build.value.output.file) == ("lib", "tsconfig.base.json")
    assert p.start.entry.value == "lib/index.js"
    assert set(p.runtime_needs.paths) == {"lib", "public"}
    assert p.runtime_needs.paths["public"].where == "src/app.ts:3"
    assert p.ports.port.value == 8080 and p.ports.port.where == "src/index.ts:2"


@pytest.mark.parametrize(("script", "output"), [
    ("swc src -d dist --copy-files", "dist"), ("babel src --out-dir build", "build"),
    ("esbuild src/index.ts --bundle --platform=node --outfile=out/server.js", "out/server.js"),
    ("ncc build src/index.js -o bundle", "bundle"), ("tsup src/index.ts", "dist"),
    ("npm run clean && npm run compile", "compiled"),
])
def test_build_outputs(tmp_path, script, output):
    p = service(tmp_path, {"package.json": {"scripts": {"build": script, "clean": "rimraf compiled",
                                                        "compile": "tsc --outDir compiled"}}})
    assert p.build.value.output.value == output


def test_no_build_script_is_no_build(tmp_path):
    p = service(tmp_path, {"package.json": {"scripts": {"start": "node index.js"}}, "index.js": ""})
    assert p.build is None and p.start.builds_first is False


# -- start -------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("start", "entry", "runner"), [
    ("node --enable-source-maps -r dotenv/config dist/server.js --port 3000", "dist/server.js", "node"),
    ("cross-env NODE_ENV=production node app", "app.js", "node"),
    ("NODE_ENV=production ts-node src/main.ts", "src/main.ts", "ts-node"),
    ("npm run build && node dist/index.js", "dist/index.js", "node"),
    ("./bin/www", "bin/www", "script"),
    ("pm2-runtime start ecosystem.config.js", "ecosystem.config.js", "pm2-runtime"),
])
def test_start_entries(tmp_path, start, entry, runner):
    p = service(tmp_path, {"package.json": {"scripts": {"start": start, "build": "tsc"}}, "app.js": "",
                           "bin/www": "#!/usr/bin/env node\n"})
    assert (p.start.entry.value, p.start.runner) == (entry, runner)
    assert p.start.entry.where == "package.json:3"
    assert p.start.builds_first is ("build" in start)


def test_npm_start_defaults(tmp_path):
    p = service(tmp_path, {"package.json": {"name": "x", "main": "lib/main"}, "lib/main.js": ""})
    assert p.start.entry.value == "lib/main.js" and p.start.entry.how == "main"
    (tmp_path / "server.js").write_text("")
    p = Project(tmp_path)
    assert p.start.command == "node server.js" and p.start.entry.value == "server.js"


# -- ports -------------------------------------------------------------------------------------------------------

def test_port_order_and_sources(tmp_path):
    p = service(tmp_path, {
        "package.json": {"name": "orders", "dependencies": {"fastify": "^4.0.0"}},
        "Dockerfile": "FROM node:20\nARG P=7000\nENV PORT=$P\nEXPOSE ${P}\nEXPOSE 9229/udp\n",
        "docker-compose.yml": "services:\n  orders:\n    build: .\n    ports:\n      - target: 7001\n"
                              "        published: 80\n  db:\n    image: postgres\n    ports: ['5432:5432']\n",
        "k8s/deployment.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: orders}\nspec:\n"
                               "  template:\n    spec:\n      containers:\n        - name: orders\n"
                               "          image: registry.example.com/orders:1.2\n          ports:\n"
                               "            - containerPort: 7002\n",
        "helm/orders/values.yaml": "image:\n  repository: orders\nservice:\n  port: 80\n  targetPort: 7003\n",
        ".env": "LOG=debug\nPORT=7004\n",
        "src/server.js": "const port = Number(process.env.PORT ?? 7005)\nfastify.listen({ port: 7006 })\n",
    })
    got = [(c.value, c.how.split(" (")[0], c.where) for c in p.ports.candidates]
    assert got == [(7000, "EXPOSE", "Dockerfile:4"), (7000, "ENV PORT", "Dockerfile:3"), (7001, "compose", "docker-compose.yml:5"),
                   (7002, "Kubernetes containerPort", "k8s/deployment.yaml:11"),
                   (7003, "Helm values", "helm/orders/values.yaml:5"), (7004, ".env PORT", ".env:2"),
                   (7005, "source", "src/server.js:1"), (7006, "source", "src/server.js:2")]
    assert p.ports.port.value == 7000


def test_env_port_without_expose(tmp_path):
    p = service(tmp_path, {"package.json": {}, "Dockerfile": "FROM node:20\nENV PORT=8088\nCMD node s.js\n"})
    assert (p.ports.port.value, p.ports.port.how, p.ports.port.where) == (8088, "ENV PORT", "Dockerfile:2")


def test_an_env_port_a_later_one_overrides_is_not_a_candidate(tmp_path):
    p = service(tmp_path, {"package.json": {}, "Dockerfile": "FROM node:20\nENV PORT=3000\nENV PORT=8081\nCMD node s.js\n"})
    assert [(c.value, c.where) for c in p.ports.candidates] == [(8081, "Dockerfile:3")]


# -- the server: kind, health, gRPC --------------------------------------------------------------------------------

def test_grpc_service_with_proto(tmp_path):
    p = service(tmp_path, {
        "package.json": {"dependencies": {"@grpc/grpc-js": "^1.9.0", "express": "^4"}},
        "proto/health.proto": "syntax = 'proto3';\npackage grpc.health.v1;\nservice Health {}\n",
        "proto/orders.proto": "syntax = \"proto3\";\npackage shop.orders.v1;\n\nservice OrderService {\n}\n",
        "src/main.js": "const server = new grpc.Server();\nserver.bindAsync('0.0.0.0:50051', creds, cb);\n",
    })
    assert (p.kind.value, p.kind.where) == ("grpc", "src/main.js:1")
    assert (p.grpc_service.value, p.grpc_service.where) == ("shop.orders.v1.OrderService", "proto/orders.proto:4")
    assert p.ports.port.value == 50051 and p.ports.port.how == "source (bind(host:N))"


HYBRID_MAIN = ("const app = await NestFactory.create(AppModule);\napp.connectMicroservice(grpcOptions);\n"
               "await app.listen(process.env.HTTP_PORT || 3001);\n")
HYBRID_OPTIONS = ("import { Transport } from '@nestjs/microservices';\n"
                  "export const options = {\n  transport: Transport.GRPC,\n"
                  "  url: process.env.BIND_ADDRESS || '127.0.0.1:8080',\n};\n")


def test_the_grpc_servers_url_in_the_source_is_a_grpc_port(tmp_path):
    """NestJS's hybrid app (grpc-health of the wild set): the gRPC server's address is an option `url`."""
    p = service(tmp_path, {"package.json": {"dependencies": {"@nestjs/microservices": "7", "grpc": "1"}},
                           "src/main.ts": HYBRID_MAIN, "src/grpc-options.ts": HYBRID_OPTIONS})
    assert [(c.value, c.how, c.where) for c in p.ports.candidates] == [
        (3001, "source (process.env.PORT || N)", "src/main.ts:3"),
        (8080, "source (a gRPC server's url)", "src/grpc-options.ts:4")]
    assert [(g.value, g.where) for g in p.ports.grpc] == [(8080, "src/grpc-options.ts:4")]


def test_a_url_in_a_file_that_does_not_speak_grpc_is_no_port(tmp_path):
    p = service(tmp_path, {"package.json": {}, "src/db.js": "module.exports = { url: 'localhost:5432' };\n"})
    assert p.ports.candidates == [] and p.ports.grpc == []


@pytest.mark.parametrize("probe", [
    'exec:\n              command: ["/bin/grpc_health_probe", "-addr=:8080"]',
    'exec:\n              command: ["grpc_health_probe", "--addr=localhost:8080", "-service=x"]',
    "grpc:\n              port: 8080",
])
def test_a_kubernetes_grpc_probe_names_the_grpc_port(tmp_path, probe):
    p = service(tmp_path, {
        "package.json": {"name": "svc"},
        "inf/prod/deployment.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: svc}\nspec:\n"
                                    "  template:\n    spec:\n      containers:\n        - name: svc\n"
                                    "          image: svc:1\n          ports:\n            - containerPort: 3001\n"
                                    "          readinessProbe:\n            " + probe + "\n",
    })
    assert [(c.value, c.how, c.where) for c in p.ports.candidates] == [
        (3001, "Kubernetes containerPort", "inf/prod/deployment.yaml:11"),
        (8080, "Kubernetes gRPC probe", "inf/prod/deployment.yaml:14")]
    assert [g.value for g in p.ports.grpc] == [8080]


def test_a_probe_of_another_program_names_no_grpc_port(tmp_path):
    p = service(tmp_path, {
        "package.json": {"name": "svc"},
        "k8s/deployment.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: svc}\nspec:\n"
                               "  template:\n    spec:\n      containers:\n        - name: svc\n          image: svc:1\n"
                               "          livenessProbe:\n            exec:\n              command: [\"/bin/check\", \"-addr=:9000\"]\n",
    })
    assert p.ports.candidates == [] and p.ports.grpc == []


@pytest.mark.parametrize(("files", "where"), [
    ({"package.json": {"dependencies": {"@grpc/grpc-js": "1", "grpc-health-check": "2"}}}, "package.json:4"),
    ({"package.json": {"dependencies": {"grpc": "1"}},
      "protos/health.proto": "syntax = 'proto3';\n\npackage grpc.health.v1;\n"}, "protos/health.proto:3"),
    ({"package.json": {}, "src/a.ts": "x\n@GrpcMethod('Health')\nCheck() {}\n"}, "src/a.ts:2"),
    ({"package.json": {}, "src/a.js": "const h = pkg.lookup('grpc.health.v1.Health')\n"}, "src/a.js:1"),
    ({"package.json": {"dependencies": {"@grpc/grpc-js": "1"}}, "src/a.js": "// health: TODO\n"}, None),
    ({"package.json": {}, "proto/a.proto": "package grpc.health.v2;\n"}, None),
])
def test_where_the_grpc_health_service_is_served(tmp_path, files, where):
    p = service(tmp_path, files)
    assert (p.grpc_health.where if p.grpc_health else None) == where


def test_old_native_grpc_is_grpc(tmp_path):
    p = service(tmp_path, {"package.json": {"dependencies": {"grpc": "^1.24.11"}}})
    assert p.kind.value == "grpc" and p.kind.where == "package.json:3"
    assert [(n.value.name, n.value.musl) for n in p.native] == [("grpc", True)]


@pytest.mark.parametrize(("files", "path", "how"), [
    ({"src/app.js": "router.get('/status', s)\napp.get('/healthz', h)\napp.get(\"/health\", h)\n"}, "/health", "route"),
    ({"src/app.ts": "fastify.route({ method: 'GET', url: '/ready', handler })\n"}, "/ready", "route"),
    ({"src/main.ts": "app.setGlobalPrefix('api');\n",
      "src/health/health.controller.ts": "import { HealthCheck } from '@nestjs/terminus';\n"
                                         "@Controller('health')\nexport class HealthController {\n"
                                         "  @Get()\n  @HealthCheck()\n  check() {}\n}\n"}, "/api/health", "nest terminus"),
    ({"src/ping.controller.ts": "export class PingController {\n  @get('/ping')\n  ping() {}\n}\n"}, "/ping",
     "loopback"),
])
def test_health_routes(tmp_path, files, path, how):
    p = service(tmp_path, {"package.json": {"dependencies": {"express": "^4"}}, **files})
    assert (p.health.value.path, p.health.value.how) == (path, how)
    text = (tmp_path / p.health.file).read_text().splitlines()[p.health.line - 1]
    assert path.rsplit("/", 1)[-1] in text or "@Get" in text


def test_no_health_route(tmp_path):
    p = service(tmp_path, {"package.json": {"dependencies": {"koa": "^2"}}, "index.js": "app.use(ctx => 1)\n"})
    assert p.health is None and p.kind.value == "http"


# -- native modules and Node versions ------------------------------------------------------------------------------

def test_native_modules(tmp_path):
    p = service(tmp_path, {
        "package.json": {"dependencies": {"sharp": "^0.33.0", "left-pad": "1.3.0", "weird-addon": "1.0.0"},
                         "devDependencies": {"canvas": "^2"}},
        "node_modules/weird-addon/package.json": {"name": "weird-addon", "gypfile": True},
        "node_modules/weird-addon/binding.gyp": "{}",
        "node_modules/weird-addon/prebuilds/linux-x64/node.napi.node": "",
        "binding.gyp": "{}",
    })
    got = {n.value.name: (n.value.how.split(":")[0], n.value.musl, n.value.runtime) for n in p.native}
    assert got == {".": ("binding.gyp", None, True), "sharp": ("known", True, True),
                   "weird-addon": ("binding.gyp", False, True), "canvas": ("known", False, False)}


def test_native_module_from_the_lockfile(tmp_path):
    lock = {"lockfileVersion": 3, "packages": {"": {}, "node_modules/fancy": {"version": "1.0.0",
                                                                               "hasInstallScript": True}}}
    p = service(tmp_path, {"package.json": {"dependencies": {"fancy": "^1.0.0"}}, "package-lock.json": lock})
    assert [(n.value.name, n.value.how) for n in p.native] == [("fancy", "lockfile hasInstallScript")]


def test_node_version_sources(tmp_path):
    p = service(tmp_path, {"package.json": {"engines": {"node": ">=18 <21"}}})
    assert (p.node_version.value, p.node_version.where) == (">=18 <21", "package.json:3")
    (tmp_path / ".nvmrc").write_text("# pinned\nv16.20.2\n")
    p = Project(tmp_path)
    assert (p.node_version.value, p.node_version.where) == ("16.20.2", ".nvmrc:2")


@pytest.mark.parametrize(("spec", "majors"), [("14 || 16 || 17 || 18", (14, 18)), (">=8", (8, None)),
                                               ("^18.0.0", (18, 18)), ("18.x", (18, 18)), ("lts/*", (None, None)),
                                               (">=14 <21", (14, 20)), ("v20.11.0", (20, 20))])
def test_node_major_range(spec, majors):
    """The lowest and highest Node major a spec allows: what the migration compares with the policy's base."""
    from fastlint.project.manager import node_major_range

    assert node_major_range(spec) == majors


# -- the build output an image runs as it is -------------------------------------------------------------------

@pytest.mark.parametrize(("command", "builds"), [
    ("npm ci && npm run build", True), ("yarn build", True), ("pnpm run build:prod", True), ("npx tsc -p .", True),
    ("nest build", True), ("npm run compile", True),  # a script that runs a compiler
    ("npm install --production", False), ("npm run lint", False), ("apt-get install -y nginx", False),
    ("npm run nope", False),  # a script package.json does not have
])
def test_what_a_run_builds(command, builds):
    from fastlint.project.build import runs_build

    scripts = {"build": "tsc", "compile": "rimraf dist && tsc -p tsconfig.build.json", "lint": "eslint ."}
    assert runs_build(command, scripts) is builds


def test_a_dist_the_dockerfile_does_not_build_is_run_as_it_is(tmp_path):
    p = service(tmp_path, {"package.json": {"scripts": {"build": "nest build", "start:prod": "node dist/main"},
                                            "main": "dist/main.js"},
                           "tsconfig.json": {"compilerOptions": {"outDir": "./dist"}},
                           "src/main.ts": "x\n", "dist/main.js": "x\n"})
    assert p.prebuilt is None  # its build can run here
    found = p.output_run_as_is(["apt-get update", "npm install --production"])
    assert (found.value, found.where) == ("dist", "package.json:6")  # the main field, the entry
    assert p.output_run_as_is(["npm install", "npm run build"]) is None  # the image builds it
    (tmp_path / "dist" / "main.js").unlink()
    assert Project(tmp_path).output_run_as_is(["npm install"]) is None  # no built entry in the context


def test_a_published_output_is_run_as_it_is_whatever_the_dockerfile_runs(tmp_path):
    p = service(tmp_path, {"package.json": {"scripts": {"build": "tsc"}, "main": "dist/index.js"},
                           "dist/index.js": "x\n"})
    assert p.prebuilt is not None and p.output_run_as_is(["npm run build"]) == p.prebuilt
