"""The template rewrite on small legacy Dockerfiles: what is carried over, what is dropped and said, what is kept
as a comment, and the files it refuses."""

from __future__ import annotations

import json

import pytest

from fastlint.engine.config import builtin_policy, reset_caches
from fastlint.fixer.migrate import MigrationError, migrate
from fastlint.parser import parse

PACKAGE = {"name": "svc", "main": "dist/index.js",
           "scripts": {"build": "tsc", "start": "node dist/index.js"},
           "dependencies": {"express": "^4"}}


def run(tmp_path, dockerfile: str, package: dict | None = PACKAGE, folder: str = "svc", protos: bool = False):
    d = tmp_path / folder
    d.mkdir(parents=True, exist_ok=True)
    (d / "Dockerfile").write_text(dockerfile)
    if package is not None:
        (d / "package.json").write_text(json.dumps(package))
    if protos:
        (d / "proto").mkdir(exist_ok=True)
        (d / "proto" / "a.proto").write_text('syntax = "proto3";\n')
    reset_caches()
    m = migrate(dockerfile, str(d / "Dockerfile"), builtin_policy())
    assert parse(m.text).error is None
    return m


def production(text: str):
    df = parse(text)
    return df.stages[-1]


def values(text: str, keyword: str) -> list:
    return [i.value for i in production(text).instructions if i.keyword == keyword]


def warned(m, *words) -> bool:
    return any(all(w in msg for w in words) for _, msg in m.warnings)


def test_no_package_json(tmp_path):
    with pytest.raises(MigrationError, match="no package.json"):
        run(tmp_path, "FROM node:18\nEXPOSE 3000\n", package=None)


def test_no_port_outside_the_matrix(tmp_path):
    with pytest.raises(MigrationError, match="no port"):
        run(tmp_path, "FROM node:18\nCMD node x.js\n")


def test_unknown_type_outside_the_matrix(tmp_path):
    with pytest.raises(MigrationError, match="gRPC or HTTP"):
        run(tmp_path, "FROM node:18\nEXPOSE 8080\n", package={"scripts": {"build": "tsc"}})


def test_port_from_env_and_type_from_dependencies(tmp_path):
    m = run(tmp_path, "FROM node:18\nENV PORT=8081\nCMD node dist/index.js\n")
    assert m.context["type"] == "http" and m.context["port"] == 8081
    assert values(m.text, "EXPOSE") == [["8081"]]


def test_the_migration_reads_the_dockerfile_ports_as_the_project_reader_does(tmp_path):
    # EXPOSE through an ARG, and the ENV PORT in effect (the last): the same answer as `fastlint.project`
    from fastlint.project import Project

    m = run(tmp_path, "FROM node:18\nARG PORT=8080\nEXPOSE ${PORT}\nCMD node dist/index.js\n")
    assert m.context["port"] == 8080 and values(m.text, "EXPOSE") == [["8080"]]
    assert Project(tmp_path / "svc").ports.port.value == 8080
    m = run(tmp_path, "FROM node:18\nENV PORT=3000\nENV PORT=8081\nCMD node dist/index.js\n")
    assert m.context["port"] == 8081 and not warned(m, "other ports")
    assert [c.value for c in Project(tmp_path / "svc").ports.candidates] == [8081]


def test_grpc_from_the_health_check(tmp_path):
    m = run(tmp_path, "FROM node:18\nEXPOSE 7000\nHEALTHCHECK CMD grpc_health_probe -addr=:7000\n",
            package={"main": "dist/index.js", "scripts": {"build": "tsc"},
                     "dependencies": {"grpc-health-check": "^2"}})
    assert m.context["type"] == "grpc"
    assert values(m.text, "HEALTHCHECK")[0][-2:] == ["grpc_health_probe", "-addr=localhost:7000"]


@pytest.mark.parametrize("serves", [None, ("package.json", {"dependencies": {"nice-grpc-server-health": "2"}}),
                                    ("proto/health.proto", 'syntax = "proto3";\npackage grpc.health.v1;\n'),
                                    ("src/main.js", "server.addService(health.service, new HealthImplementation(s))\n")])
def test_a_grpc_server_without_a_health_service_gets_a_port_check(tmp_path, serves):
    """grpc_health_probe asks grpc.health.v1: a server that does not serve it answers UNIMPLEMENTED and the
    container never turns healthy. Without a sign of it the check connects to the port, and says why."""
    package = {"main": "dist/index.js", "scripts": {"build": "tsc"}, "dependencies": {"@grpc/grpc-js": "^1"}}
    if serves is not None and serves[0] == "package.json":
        package["dependencies"].update(serves[1]["dependencies"])
    elif serves is not None:
        (tmp_path / "svc" / serves[0]).parent.mkdir(parents=True)
        (tmp_path / "svc" / serves[0]).write_text(serves[1])
    m = run(tmp_path, "FROM node:18\nEXPOSE 50051\nCMD node dist/index.js\n", package=package)
    check = values(m.text, "HEALTHCHECK")[0]
    if serves is None:
        assert m.context["type"] == "tcp" and check[1:3] == ["node", "-e"] and "connect(50051" in check[3]
        assert "grpc_health_probe" not in m.text
        assert warned(m, "connects to port 50051", "serves no grpc.health.v1")
    else:
        assert m.context["type"] == "grpc" and check[-2:] == ["grpc_health_probe", "-addr=localhost:50051"]
        assert not warned(m, "grpc.health.v1")


HYBRID = {"main": "dist/main.js", "scripts": {"build": "tsc"},
          "dependencies": {"@nestjs/microservices": "7", "@nestjs/platform-express": "7", "grpc": "1",
                           "grpc-health-check": "1"}}


def hybrid(tmp_path, dockerfile: str):
    (tmp_path / "svc" / "src").mkdir(parents=True)
    (tmp_path / "svc" / "src" / "main.ts").write_text(
        "app.connectMicroservice({ transport: Transport.GRPC, url: process.env.BIND || '0.0.0.0:8080' });\n"
        "await app.listen(process.env.HTTP_PORT || 3001);\n")
    return run(tmp_path, dockerfile, package=HYBRID)


def test_a_hybrid_service_is_probed_on_its_grpc_port_and_keeps_its_http_port(tmp_path):
    """The port grpc_health_probe asks is the gRPC server's (its url), not the HTTP server's the source names first
    or the one the original EXPOSEd; the other ports stay exposed."""
    m = hybrid(tmp_path, "FROM node:12-slim\nEXPOSE 3001\nCMD node dist/main.js\n")
    assert m.context["type"] == "grpc" and m.context["port"] == 8080
    assert values(m.text, "HEALTHCHECK")[0][-2:] == ["grpc_health_probe", "-addr=localhost:8080"]
    assert values(m.text, "EXPOSE") == [["8080", "3001"]]
    assert warned(m, "probes port 8080", "other ports found: 3001")


def test_an_http_service_ignores_grpc_hints(tmp_path):
    m = run(tmp_path, "FROM node:18\nEXPOSE 3000\nCMD node dist/index.js\n")
    assert m.context["port"] == 3000 and values(m.text, "EXPOSE") == [["3000"]]


def test_the_originals_grpc_health_probe_download_and_version_are_dropped(tmp_path):
    m = hybrid(tmp_path, "FROM node:12-slim\nENV GRPC_HEALTH_PROBE_VERSION=v0.3.1 TZ=UTC\n"
                         "RUN wget -qO/bin/grpc_health_probe https://github.com/grpc-ecosystem/grpc-health-probe/"
                         "releases/download/${GRPC_HEALTH_PROBE_VERSION}/grpc_health_probe-linux-amd64 && "
                         "chmod +x /bin/grpc_health_probe\nRUN wget -qO /usr/local/bin/tool https://example.com/t\n"
                         "CMD node dist/main.js\n")
    assert "GRPC_HEALTH_PROBE_VERSION=v0.3.1" not in m.text and "/bin/grpc_health_probe https" not in m.text
    assert ["TZ", "UTC"] in values(m.text, "ENV")  # the other variable of that ENV stays
    assert warned(m, "ENV GRPC_HEALTH_PROBE_VERSION dropped") and warned(m, "downloads grpc_health_probe dropped")
    assert "# RUN wget -qO /usr/local/bin/tool" in m.text  # another download is not the template's: kept for review


@pytest.mark.parametrize(("copy", "carried"), [
    # lockfiles if present (grpc-health's idiom): the template copies the manifests; carried over, the COPY
    # --from=builder of globs that match nothing there fails the build
    ("COPY package.json yarn.loc[k] package-lock.jso[n] /app/", None),
    ("COPY *.js /app/", "COPY --from=builder --chown=nodejs:nodejs /app/*.js /app/"),  # the service's files
    ("COPY confi[g] /app/config", "COPY --from=builder --chown=nodejs:nodejs /app/confi[g] /app/config"),
])
def test_glob_copies_of_build_inputs_are_the_templates(tmp_path, copy, carried):
    d = tmp_path / "svc"
    d.mkdir()
    (d / "a.js").write_text("")
    (d / "config").mkdir()
    m = run(tmp_path, f"FROM node:18\nWORKDIR /app\n{copy}\nEXPOSE 3000\nCMD node dist/index.js\n")
    template = ["COPY --from=builder --chown=nodejs:nodejs /prod/node_modules ./node_modules",
                "COPY --from=builder --chown=nodejs:nodejs /app/package.json ./package.json",
                "COPY --from=builder --chown=nodejs:nodejs /app/dist ./dist"]
    copies = [line for line in m.text.splitlines() if line.startswith("COPY --from=builder")]
    assert copies == template + ([carried] if carried else [])


def test_http_health_path_is_kept(tmp_path):
    m = run(tmp_path, "FROM node:18\nEXPOSE 8080\nHEALTHCHECK CMD curl -f http://localhost:8080/healthz || exit 1\n")
    health = values(m.text, "HEALTHCHECK")[0]
    assert health[:3] == ["CMD", "node", "-e"] and "http://127.0.0.1:8080/healthz" in health[3]
    assert "curl" not in m.text  # outside the service matrix node makes the request: no curl in production


def test_env_forms_and_quoting(tmp_path):
    m = run(tmp_path, 'FROM node:18\nEXPOSE 80\nENV TZ Europe/London\nENV GREETING hello world\n'
                      'ENV A="x y" B=2\n')
    env = {p.key: p.value for i in production(m.text).instructions if i.keyword == "ENV" for p in i.pairs}
    assert env["TZ"] == "Europe/London"
    assert env["GREETING"] == "hello world"
    assert env["A"] == "x y" and env["B"] == "2"


def test_secrets_never_reach_the_file_not_even_as_comments(tmp_path):
    m = run(tmp_path, "FROM node:18 AS build\nENV NPM_AUTH_TOKEN=npm_abcdefghijklmnopqrstuvwxyz0123456789 DEBUG=1\n"
                      "RUN npm ci && npm run build\n"
                      "FROM node:18-slim\nARG GITHUB_TOKEN=ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n"
                      "ENV DB_PASS=hunter2 SERVICE_URL=http://x\nEXPOSE 80\nCMD node dist/index.js\n")
    for secret in ("NPM_AUTH_TOKEN", "npm_abcdef", "GITHUB_TOKEN", "ghp_aaaa", "DB_PASS", "hunter2"):
        assert secret not in m.text
    assert 'ENV SERVICE_URL=http://x' in m.text
    assert "# ENV DEBUG=1" in m.text  # a build stage's ENV: kept as a comment, without the secret
    assert warned(m, "NPM_AUTH_TOKEN", "secret") and warned(m, "GITHUB_TOKEN", "secret")
    assert warned(m, "DB_PASS", "secret")


def test_apt_packages_mapped_build_tools_dropped(tmp_path):
    m = run(tmp_path, "FROM node:18\nRUN apt-get update && apt-get install -y --no-install-recommends "
                      "netcat dnsutils libpq-dev curl=7.88.* git g++ tzdata fancylib && rm -rf /var/lib/apt/lists/*\n"
                      "EXPOSE 80\n")
    assert m.context["runtime_packages"] == ["netcat-openbsd", "bind-tools", "curl", "tzdata", "fancylib"]
    assert warned(m, "build tools", "libpq-dev", "git", "g++")
    assert warned(m, "fancylib", "same name")
    assert "apt-get" not in m.text


def test_npm_start_becomes_the_start_script(tmp_path):
    m = run(tmp_path, "FROM node:18\nEXPOSE 80\nCMD npm start\n")
    assert values(m.text, "CMD") == [["node", "dist/index.js"]]


def test_npm_start_with_a_hook_stays_npm_start(tmp_path):
    package = {**PACKAGE, "scripts": {**PACKAGE["scripts"], "prestart": "node migrate.js"}}
    m = run(tmp_path, "FROM node:18\nEXPOSE 80\nCMD npm start\n", package=package)
    assert values(m.text, "CMD") == [["npm", "start"]]


def test_shell_syntax_in_cmd_keeps_the_shell(tmp_path):
    m = run(tmp_path, 'FROM node:18\nEXPOSE 80\nCMD node dist/index.js --port "$PORT"\n')
    assert values(m.text, "CMD") == [["/bin/sh", "-c", 'node dist/index.js --port "$PORT"']]


def test_entrypoint_and_cmd_combined(tmp_path):
    m = run(tmp_path, 'FROM node:18\nEXPOSE 80\nENTRYPOINT ["node"]\nCMD ["dist/server.js"]\n')
    assert values(m.text, "CMD") == [["node", "dist/server.js"]]
    assert values(m.text, "ENTRYPOINT") == []


def test_no_cmd_uses_the_start_script(tmp_path):
    m = run(tmp_path, "FROM node:18\nEXPOSE 80\n")
    assert values(m.text, "CMD") == [["node", "dist/index.js"]]


def test_multi_stage_original(tmp_path):
    m = run(tmp_path, "FROM node:18 AS build\nWORKDIR /src\nCOPY . .\nRUN npm ci && npm run build\n"
                      "FROM node:18-slim\nWORKDIR /srv\nCOPY --from=build /src/dist ./dist\n"
                      "COPY --from=build /src/node_modules ./node_modules\nENV LOG_LEVEL=info\nEXPOSE 8080\n"
                      'CMD ["node", "dist/index.js"]\n')
    assert m.context["workdir"] == "/srv"
    assert "ENV LOG_LEVEL=info" in m.text
    assert m.kept == []  # the stage copies are what the template does


def test_assets_copied_from_the_builder(tmp_path):
    (tmp_path / "svc" / "templates").mkdir(parents=True)
    (tmp_path / "svc" / "certs").mkdir()
    (tmp_path / "svc" / "certs" / "ca.pem").write_text("x")
    m = run(tmp_path, "FROM node:18\nWORKDIR /app\nCOPY package*.json tsconfig.json ./\nCOPY src ./src\n"
                      "COPY templates ./templates\nCOPY certs/ca.pem /etc/ssl/ca.pem\nCOPY .env ./\nEXPOSE 80\n")
    assert m.context["extra_copy"] == ["templates"]
    copies = [" ".join(v) for v in values(m.text, "COPY")]
    assert "/app/templates ./templates" in copies
    assert "/app/certs/ca.pem /etc/ssl/ca.pem" in copies
    assert not any(".env" in c for c in copies)
    assert warned(m, ".env", "secrets")


def test_a_copy_of_what_the_context_does_not_have_is_refused(tmp_path):
    with pytest.raises(MigrationError, match="production needs templates .*neither the build context nor the build"):
        run(tmp_path, "FROM node:18\nWORKDIR /app\nCOPY templates ./templates\nEXPOSE 80\n")


def test_unplaced_instructions_become_a_commented_block(tmp_path):
    m = run(tmp_path, "FROM node:18\nEXPOSE 80\n# cache folder for uploads\nRUN mkdir -p /data/uploads\n"
                      "VOLUME /data\nRUN npm ci && npm run lint\nSHELL [\"/bin/bash\", \"-c\"]\n")
    assert m.kept == [5, 6, 7]
    assert "mkdir -p /data/uploads && \\\n    chown nodejs:nodejs /data/uploads\n" in m.text  # made in production
    assert "# VOLUME /data\n" in m.text and '# SHELL ["/bin/bash", "-c"]\n' in m.text
    assert "# RUN npm ci && npm run lint\n" in m.text
    assert warned(m, "npm run lint")
    assert m.text.count("# fastlint: kept from line") == 3


def test_proto_generation(tmp_path):
    package = {**PACKAGE, "scripts": {**PACKAGE["scripts"], "proto:gen": "protoc ..."}}
    m = run(tmp_path, "FROM node:18\nEXPOSE 80\n", package=package, protos=True)
    assert m.context["has_proto"] and m.context["proto_command"] == "npm run proto:gen"
    assert "RUN npm run proto:gen" in m.text
    package["scripts"]["build"] = "npm run proto:gen && tsc"
    m = run(tmp_path, "FROM node:18\nEXPOSE 80\n", package=package, protos=True)
    assert m.context["proto_command"] == ""  # the build runs it already
    assert "RUN npm run proto:gen" not in m.text


def test_no_build_script(tmp_path):
    (tmp_path / "svc" / "lib").mkdir(parents=True)
    (tmp_path / "svc" / "index.js").write_text("require('./lib/app')\n")
    (tmp_path / "svc" / "lib" / "app.js").write_text("module.exports = 1\n")
    m = run(tmp_path, "FROM node:18\nEXPOSE 80\n", package={"main": "index.js", "dependencies": {"koa": "2"}})
    assert "npm run build" not in m.text and m.context["output_copy"] == []
    assert m.context["extra_copy"] == ["index.js", "lib"]  # what the start command needs, not a dist folder
    assert warned(m, "no build script")


def test_no_build_script_and_an_entry_nothing_makes_is_refused(tmp_path):
    with pytest.raises(MigrationError, match="nothing to run"):
        run(tmp_path, "FROM node:18\nEXPOSE 80\n", package={"main": "dist/index.js", "dependencies": {"koa": "2"}})


def test_matrix_service_gets_matrix_port_and_health_service(tmp_path):
    m = run(tmp_path, "FROM node:18\nEXPOSE 9999\n", folder="fast-validation-service",
            package={"scripts": {"build": "tsc", "start": "node dist/index.js"}})
    assert m.context["port"] == 50052
    assert "-service=gpp.g3.validation.ValidationService" in m.text
    assert warned(m, "EXPOSE 9999 replaced", "50052")


def test_custom_template(tmp_path):
    d = tmp_path / "svc"
    d.mkdir()
    (d / "package.json").write_text(json.dumps(PACKAGE))
    template = "# {{service}} on {{port}}\nFROM {{node_image}} AS production\nCMD {{start_command_json}}\n"
    reset_caches()
    m = migrate("FROM node:18\nEXPOSE 80\n", str(d / "Dockerfile"), builtin_policy(), template)
    assert m.text == '# svc on 80\nFROM node:20-alpine AS production\nCMD ["node", "dist/index.js"]\n'


def test_broken_custom_template(tmp_path):
    d = tmp_path / "svc"
    d.mkdir()
    (d / "package.json").write_text(json.dumps(PACKAGE))
    with pytest.raises(MigrationError, match="never closed"):
        migrate("FROM node:18\nEXPOSE 80\n", str(d / "Dockerfile"), builtin_policy(), "{{#grpc}}\nFROM x\n")


def test_file_wide_pragmas_are_carried_over(tmp_path):
    m = run(tmp_path, "# hadolint global ignore=DL3008\n# fastlint: service=fast-orchestrator-service\n"
                      "FROM node:18\n# fastlint: ignore=DL3025\nCMD node dist/index.js\n", folder="gateway")
    assert m.text.startswith("# hadolint global ignore=DL3008\n# fastlint: service=fast-orchestrator-service\n")
    assert "ignore=DL3025" not in m.text
    assert m.context["port"] == 3004  # the service named by the pragma, not by the folder


def test_crlf_file_stays_crlf(tmp_path):
    m = run(tmp_path, "FROM node:18\r\nEXPOSE 80\r\n")
    assert m.text.count("\r\n") == m.text.count("\n")


def _runs(text: str) -> list[str]:
    return [" ".join(i.value) if isinstance(i.value, list) else str(i.value)
            for s in parse(text).stages for i in s.instructions if i.keyword == "RUN"]


@pytest.mark.parametrize(("base", "legacy"), [("node:14.14.0-alpine3.12", True), ("node:8", True),
                                              ("node:16-slim", False), ("alpine:3.19", False)])
def test_a_service_written_for_npm_6_installs_without_peer_dependencies(tmp_path, base, legacy):
    """npm 6 (Node before 15) did not install peer dependencies; npm 7+ rejects conflicting ranges (ERESOLVE, a
    wild service: graphql ^16 beside type-graphql's peer graphql ^15). Without a lockfile the install and the prune
    keep npm 6's behaviour."""
    package = {"name": "svc", "scripts": {"start": "node index.js"}, "dependencies": {"express": "^4"}}
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / "index.js").write_text("require('express')().listen(3000)\n")
    m = run(tmp_path, f"FROM {base}\nWORKDIR /app\nCOPY . .\nRUN npm install\nEXPOSE 3000\nCMD node index.js\n",
            package=package)
    runs = _runs(m.text)
    assert any(r.startswith("npm install --legacy-peer-deps ") for r in runs) is legacy, runs
    assert any(r.endswith("npm prune --omit=dev --prefix /prod --legacy-peer-deps") for r in runs) is legacy, runs
    assert warned(m, "--legacy-peer-deps") is legacy


def test_an_optional_native_module_that_does_not_build_is_left_out(tmp_path):
    """An optional dependency whose install script fails is left out by npm, and the service does without it
    (redis-commander falls back to bcryptjs); the migration's rebuild does the same instead of failing the build.
    A required one still fails it."""
    package = {"name": "svc", "scripts": {"start": "node index.js"},
               "dependencies": {"express": "^4", "sharp": "^0.33"}, "optionalDependencies": {"bcrypt": "~3.0.0"}}
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / "index.js").write_text("require('express')().listen(3000)\n")
    m = run(tmp_path, "FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nRUN npm install\nEXPOSE 3000\n"
                      "CMD node index.js\n", package=package)
    install = next(r for r in _runs(m.text) if r.startswith("npm install"))
    assert "(npm rebuild bcrypt || rm -rf node_modules/bcrypt)" in install, install
    assert "&& npm rebuild sharp && (" in install, install  # required: its failure fails the build
    assert warned(m, "bcrypt is an optional dependency")
    # node-gyp's object files of what was built are not carried into the image (the .node files stay)
    assert install.endswith(" && rm -rf node_modules/sharp/build/Release/obj.target node_modules/sharp/build/Release/.deps"
                            " node_modules/bcrypt/build/Release/obj.target node_modules/bcrypt/build/Release/.deps"), install


@pytest.mark.parametrize("builds", [False, True])
def test_a_dist_the_original_did_not_build_is_taken_as_it_is(tmp_path, builds):
    """grpc-health of the wild set: its original image runs the published dist/ and builds nothing; a build from
    a fresh install (no lockfile) breaks on today's @types with its TypeScript 3.7. The migration keeps what the
    original did: no build step, dist/ from the context (and not excluded by FL404's .dockerignore)."""
    d = tmp_path / "svc"
    (d / "dist").mkdir(parents=True)
    (d / "src").mkdir()
    (d / "dist" / "main.js").write_text("require('http').createServer().listen(3000)\n")
    (d / "src" / "main.ts").write_text("x\n")
    (d / "tsconfig.json").write_text('{"compilerOptions": {"outDir": "./dist"}}')
    package = {"scripts": {"build": "tsc", "start": "node dist/main.js"}, "dependencies": {"express": "4"}}
    run_build = "RUN npm run build\n" if builds else ""
    m = run(tmp_path, f"FROM node:12-slim\nWORKDIR /app\nCOPY . .\nRUN npm install --production\n{run_build}"
                      "EXPOSE 3000\nCMD [\"node\", \"dist/main.js\"]\n", package=package)
    assert ("npm run build" in m.text) is builds
    assert "COPY --from=builder --chown=nodejs:nodejs /app/dist ./dist" in m.text
    assert warned(m, "ran the dist/ of the build context", "no build step") is not builds
