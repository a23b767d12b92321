"""InvalidBaseImagePlatform (BuildKit): the base image's platform is not the one the build expects."""

from __future__ import annotations

from ..engine.index import CATALOGUE_URL
from ..engine.registry import register
from ..engine.rule import FileRule
from .lib.buildkit import (
    BuildKitCheck,
    LexError,
    UsesBaseImages,
    base_image_ref,
    expand,
    file_meta_args,
    lookups,
    parse_platform,
)


def _platform(os_name: str, arch: str, variant: str) -> str:
    if arch == "arm64" and variant in ("v8", "8"):
        variant = ""  # containerd's Normalize
    return "/".join(p for p in (os_name, arch, variant) if p)


@register
class InvalidBaseImagePlatform(BuildKitCheck, UsesBaseImages, FileRule):
    code = "InvalidBaseImagePlatform"
    message = "Base image platform does not match expected target platform"
    check_scope = "file"
    docs_url = CATALOGUE_URL  # BuildKit gives this check no page: its catalogue page

    def finish(self):
        df = self.ctx.df
        images = lookups(self.ctx.state)
        engine = images.engine_platform()
        if engine is None:
            return  # no local engine: the base images' platforms are not known
        env, _, _ = file_meta_args(self.ctx)
        for stage in df.stages:
            if stage.parent is not None:
                continue
            ref = base_image_ref(stage)
            config = images.inspect(ref) if ref else None
            if config is None or not config.os or not config.architecture:
                continue
            flag = stage.from_.flag_value("platform")
            if flag:
                try:
                    wanted = parse_platform(expand(flag, env, df.escape).text)
                except LexError:
                    continue
                if wanted is None:
                    continue
            else:
                wanted = tuple(engine.split("/", 1)) + ("",)
            actual = (config.os, config.architecture, config.variant)
            if wanted[:2] == actual[:2]:
                continue
            if flag and _platform(*actual) == engine:
                # the engine's copy is the one pulled for this machine: the registry may well hold the platform
                # FROM asks for, which BuildKit would pull
                continue
            yield self.check_hit(stage.from_, f"Base image {stage.resolved} was pulled with platform "
                                              f"\"{_platform(*actual)}\", expected \"{_platform(*wanted)}\" for "
                                              "current build")
