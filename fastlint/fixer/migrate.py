"""The template rewrite: a Dockerfile that breaks the standard's 4-stage structure is rewritten from the template,
carrying over what belongs to the service.

``migrate(text, path, policy)`` reads the legacy Dockerfile and the ``package.json`` beside it, fills the
template's context (``fastlint/policy/template.py`` documents it) and renders the template. What it carries over:

* the service's name, type and port: the service matrix first (``policy.services``, found by folder name or the
  ``# fastlint: service=`` pragma), else EXPOSE / ``ENV PORT`` and what the health check or the dependencies
  say (grpc_health_probe or @grpc/grpc-js: gRPC; curl, express, fastify, koa: HTTP); the health check is the
  one of its type (HTTP keeps the path the old health check probed);
* the start command (ENTRYPOINT + CMD in exec form; ``npm start`` becomes package.json's ``start`` script when it
  is one plain command and there is no ``prestart``/``poststart``, so node runs as PID 1 and gets the signals);
  with no CMD, package.json's ``start`` script; the build command (``npm run build`` when package.json has a
  ``build`` script); the protobuf generation step when the service has ``.proto`` files and a proto script that
  the build does not already run;
* ENV, ARG and LABEL of the image's stages, MAINTAINER as the OCI authors label, the WORKDIR; secrets (the
  same test as FL601) are removed and reported, never copied, not even into comments;
* extra COPY of non-source assets (config, static files): taken from the builder stage, which has the whole
  build context, to the same destination (the template's ``extra_copy`` when the destination is the same path
  under the workdir, else a ``COPY --from=builder`` line added after the template's production COPYs);
* OS packages the image needs at run time (apt/yum names mapped to Alpine's where they differ); build tools
  (python3, make, g++, gcc, git, ``*-dev`` ...) are dropped from production and reported.

What it cannot place (a ``RUN`` that is not a package install or an npm step, VOLUME, SHELL, ENV of a build
stage, ...) is kept at the end of the new file as a commented block under a ``# fastlint:`` note, and reported:
never dropped. Install and build steps, FROM, USER, EXPOSE, HEALTHCHECK and ``COPY`` of sources and manifests
are what the template replaces. File-wide pragmas (``# fastlint: service=``, ``global ignore=``) are carried to
the top of the new file; a CRLF file gets CRLF line endings.

A Dockerfile without a ``package.json`` beside it is not a Node.js service: it is not rewritten
(``MigrationError``, one line); nor is a service whose type or port cannot be found.
"""

from __future__ import annotations

from pathlib import Path

from ..engine.config import Policy
from ..parser import parse
from .migration.context import build_context
from .migration.model import Migration, MigrationError
from .migration.read import LegacyReader, read_package
from .migration.render import render_file
from .migration.vocabulary import is_secret

__all__ = ["Migration", "MigrationError", "is_secret", "migrate"]


def migrate(text: str, path: str, policy: Policy, template: str | None = None) -> Migration:
    """Rewrite ``text`` (the Dockerfile at ``path``) from the template (the built-in one, or the text of a custom
    one): read the service (``migration/read.py``), decide the template's context (``migration/context.py``),
    render (``migration/render.py``). Raises ``MigrationError`` when the file cannot be rewritten."""
    df = parse(text, path)
    if df.error is not None:
        raise MigrationError(f"line {df.error.line}: {df.error.message}")
    folder = Path(path).parent
    reader = LegacyReader(df, path, policy, read_package(folder), folder)
    reader.read()
    context = build_context(reader)
    rendered = render_file(context, reader, df, text, path, template)
    return Migration(text=rendered, context=context, warnings=reader.warnings, kept=reader.kept_lines)
