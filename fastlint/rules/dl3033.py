"""DL3033: Specify version with `yum install -y <package>-<version>`.

The package-version judgement here is shared with DL3041 (dnf): a package is pinned when a part after its name's
first ``-`` looks like a version (``tomcat-9.0.1``, ``openssl-1:1.1.1k``, ``gcc-c++-1.1.1``), when it is an
``.rpm`` file, or when its version comes from a variable that an ``ARG`` (anywhere) or an ``ENV`` of the stage
(or of the stage it is built FROM) defines. A module (``yum module install``) is pinned with ``name:stream``.
"""

from __future__ import annotations


from ..engine.registry import register
from .lib.bases import VersionRule


@register
class DL3033(VersionRule):
    code = "DL3033"
    level = "warning"
    message = "Specify version with `yum install -y <package>-<version>`."
    name = "yum-version-pinning"
    programs = ("yum",)
    skip_args = ("module",)
    needs_instructions = ("RUN",)
    needs_words = ("yum",)
