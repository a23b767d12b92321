"""Image references compared as Docker compares them."""

from __future__ import annotations

import re

from ...parser.stages import ImageRef

_NODE_IMAGE = re.compile(r"^(?:[\w.-]+(?::\d+)?/)*node:(\d+)(?:[.@-]|$)")


def node_major(ref: str) -> int | None:
    """The Node major of an official node image reference (``node:20-alpine`` -> 20, ``docker.io/library/node:14``
    -> 14); None for ``node:lts``, an image without ``node:MAJOR``. The one reading of it (FL409, FL410, the base
    switch, the migration)."""
    m = _NODE_IMAGE.match(ref or "")
    return int(m.group(1)) if m else None


# -- images ------------------------------------------------------------------------------------------------------
def normalize_image(ref) -> tuple[str, str | None, str | None]:
    """(name, tag, digest) with Docker Hub's implied parts removed: ``docker.io/library/node`` -> ``node``."""
    name = ref.name
    for prefix in ("docker.io/library/", "index.docker.io/library/", "registry-1.docker.io/library/",
                   "docker.io/", "index.docker.io/"):
        if name.startswith(prefix):
            name = name[len(prefix):]
            break
    if name.startswith("library/"):
        name = name[len("library/"):]
    return name.lower(), ref.tag, ref.digest


def same_image(actual: ImageRef, wanted: ImageRef) -> bool:
    """True when ``actual`` is the image ``wanted`` names: same name and tag; a digest in ``wanted`` must match,
    a digest in ``actual`` alone only pins the wanted tag further."""
    a_name, a_tag, a_digest = normalize_image(actual)
    w_name, w_tag, w_digest = normalize_image(wanted)
    if a_name != w_name:
        return False
    if w_tag is not None and a_tag != w_tag:
        return False
    if w_tag is None and w_digest is None and a_tag in (None, "latest") and a_digest is None:
        return False
    return w_digest is None or a_digest == w_digest
