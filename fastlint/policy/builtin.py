"""The built-in policy: ``standard/fast-multi-stage-builds.md`` as data.

This is what fastlint enforces when no ``fastlint.yaml`` is found. A ``fastlint.yaml`` overrides any part of it
(see ``fastlint.engine.config``). It is Python, not YAML, so that the lint path never imports a YAML parser when
there is no configuration file; ``fastlint init`` writes the same data as ``fastlint.yaml``.
"""

STAGES = ["dependencies", "builder", "runtime-tools", "production"]

BASES = {
    "dependencies": "node:20-alpine",
    "builder": "node:20-alpine",
    "runtime-tools": "alpine:3.19",
    "production": "node:20-alpine",
}

USER = {"name": "nodejs", "uid": 1001, "gid": 1001}

# "Image Size ~150MB, Layer Count ~12 layers" (Benefits table); 200 MB leaves room for a service's own weight.
BUDGETS = {"max_size_mb": 200, "max_layers": 12}

# The standard's Service Matrix. health_service: the name grpc_health_probe asks for (-service=...): the standard
# names it for fast-requesthandler-service; the others are the services' own gRPC names (package and service of
# their .proto files, as in fixtures/services and fixtures/README.md: gpp.g3.<domain>.<Service>).
SERVICES = {
    "fast-requesthandler-service": {"type": "grpc", "port": 50051, "memory": "512Mi",
                                    "health_service": "gpp.g3.requesthandler.MessageHandler"},
    "fast-orchestrator-service": {"type": "http", "port": 3004, "memory": "1024Mi"},
    "fast-validation-service": {"type": "grpc", "port": 50052, "memory": "512Mi",
                                "health_service": "gpp.g3.validation.ValidationService"},
    "fast-enrichment-service": {"type": "grpc", "port": 50053, "memory": "512Mi",
                                "health_service": "gpp.g3.enrichment.EnrichmentService"},
    "fast-limitcheck-service": {"type": "grpc", "port": 50054, "memory": "512Mi",
                                "health_service": "gpp.g3.limitcheck.LimitCheckService"},
    "fast-accounting-service": {"type": "grpc", "port": 50055, "memory": "512Mi",
                                "health_service": "gpp.g3.accounting.AccountingService"},
    "fast-accountlookup-service": {"type": "grpc", "port": 50056, "memory": "512Mi",
                                   "health_service": "gpp.g3.accountlookup.AccountLookupService"},
    "fast-referencedata-service": {"type": "grpc", "port": 50057, "memory": "512Mi",
                                   "health_service": "gpp.g3.referencedata.ReferenceDataService"},
    "fast-vammediation-service": {"type": "grpc", "port": 50058, "memory": "512Mi",
                                  "health_service": "gpp.g3.vammediation.VamMediationService"},
    "fast-mdzmediation-service": {"type": "grpc", "port": 50059, "memory": "512Mi",
                                  "health_service": "gpp.g3.mdzmediation.MdzMediationService"},
}

# Rules the built-in policy turns off, each with the reason (also given in the rule's docs).
DISABLED = {
    "DL3018": "the standard upgrades OS packages automatically (apk upgrade); pinning apk versions fights that",
    "DL3066": "the standard names the user (USER nodejs); FL302 checks that the production stage creates it with "
              "uid/gid 1001 and FL702 that Kubernetes runs it with runAsUser 1001, which is what DL3066 protects",
}

TRUSTED_REGISTRIES: list[str] = []


# What a service's package.json says about its type (fastlint init and the migration): a runtime dependency on an
# HTTP framework makes it an HTTP service, one on gRPC a gRPC service; the service matrix decides first.
HTTP_PACKAGES = ("express", "fastify", "koa", "@koa/router", "@nestjs/core", "@nestjs/platform-express",
                 "@nestjs/platform-fastify", "@hapi/hapi", "hapi", "restify", "polka")
GRPC_PACKAGES = ("@grpc/grpc-js", "grpc")
