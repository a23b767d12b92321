"""FL703: a Kubernetes manifest or a CI file refers to an image by ``latest`` or by no tag."""

from __future__ import annotations

import re

from ..engine.manifests import ImageUse, ManifestRule, Pos, containers
from ..engine.registry import register

_EXPR = re.compile(r"\$\{\{.*?\}\}")
DOCKER_RUN_VALUES = frozenset({
    "-a", "--attach", "--add-host", "--blkio-weight", "--cap-add", "--cap-drop", "--cgroup-parent", "--cidfile",
    "--cpu-period", "--cpu-quota", "--cpu-shares", "-c", "--cpus", "--cpuset-cpus", "--device", "--dns",
    "--dns-option", "--dns-search", "--entrypoint", "-e", "--env", "--env-file", "--expose", "--gpus",
    "--group-add", "--health-cmd", "--health-interval", "--health-retries", "--health-start-period",
    "--health-timeout", "-h", "--hostname", "--ip", "--ip6", "--ipc", "--isolation", "-l", "--label",
    "--label-file", "--link", "--log-driver", "--log-opt", "--mac-address", "-m", "--memory", "--memory-swap",
    "--mount", "--name", "--network", "--net", "--network-alias", "--pid", "--platform", "-p", "--publish",
    "--pull", "--restart", "--runtime", "--security-opt", "--shm-size", "--stop-signal", "--stop-timeout",
    "--storage-opt", "--tmpfs", "--ulimit", "-u", "--user", "--userns", "--uts", "-v", "--volume",
    "--volumes-from", "-w", "--workdir",
})


def untagged(image: str) -> str | None:
    """Why an image reference is not pinned: ``latest``, ``no tag``; None when it is (or when a variable may
    hold the tag)."""
    if "@" in image:
        return None  # pinned by digest
    last = image.rsplit("/", 1)[-1]
    if ":" in last:
        tag = last.split(":", 1)[1]
        return "latest" if tag == "latest" else None
    if "$" in last or "{" in last or not last:
        return None  # a variable may carry the tag
    return "no tag"


def _mask(text: str) -> str:
    """``${{ expr }}`` -> a shell variable of the same length, so the script parses and offsets hold."""
    return _EXPR.sub(lambda mm: "$" + "X" * (len(mm.group(0)) - 1), text)


def docker_images(script: str):
    """(image word, what names it) for every image a shell script's docker commands name without a pin."""
    from ..parser.shell import parse_shell

    for cmd in parse_shell(_mask(script)).commands:
        if not cmd.is_("docker"):
            continue
        args = list(cmd.args)
        words = [a.text for a in args]
        i = 0
        while i < len(words) and words[i].startswith("-"):
            i += 1  # global options (docker --context x ... is rare; --config=... kept whole)
        if i < len(words) and words[i] in ("image", "container", "buildx"):
            i += 1
        if i >= len(words):
            continue
        sub = words[i]
        rest = args[i + 1:]
        if sub == "build":
            for k, a in enumerate(rest):
                if a.text in ("-t", "--tag") and k + 1 < len(rest):
                    yield rest[k + 1], "docker build -t"
                elif a.text.startswith("--tag="):
                    yield a, "docker build --tag"
        elif sub in ("run", "create", "pull", "push"):
            k = 0
            while k < len(rest):
                t = rest[k].text
                if t == "--":
                    k += 1
                    break
                if t.startswith("-") and t != "-":
                    if "=" not in t and t in DOCKER_RUN_VALUES:
                        k += 1
                    k += 1
                    continue
                break
            if k < len(rest):
                yield rest[k], f"docker {sub}"
        elif sub == "tag":
            pos = [a for a in rest if not a.text.startswith("-")]
            for a in pos[:2]:
                yield a, "docker tag"


@register
class FL703(ManifestRule):
    code = "FL703"
    level = "warning"
    message = "An image is referred to by `latest` or by no tag"
    name = "image-tag"

    def check_manifest(self, m):
        uses = self._kubernetes(m) if m.kind == "kubernetes" else self._ci(m)
        for use in uses:
            why = untagged(_mask(use.image))
            if why:
                shown = use.extra.get("shown", use.image)
                yield self.at(m, use.pos, f"{use.where} uses the image '{shown}' with {why}: pin a version tag "
                                          f"(or a digest) so every deploy runs the image that was tested")

    def _kubernetes(self, m):
        for c in containers(m):
            if c.image is not None:
                label = c.label()
                yield ImageUse(c.image, m.value_pos(c.node, "image"), label[0].upper() + label[1:])

    # -- CI files ----------------------------------------------------------------------------------------------
    def _ci(self, m):
        for doc in m.docs:
            if isinstance(doc, dict):
                yield from self._walk(m, doc, ())

    def _walk(self, m, node, path):
        if isinstance(node, dict):
            for key, value in node.items():
                k = str(key)
                here = path + (k,)
                if isinstance(value, str):
                    yield from self._string(m, node, key, value, here)
                elif isinstance(value, dict) and k == "image" and isinstance(value.get("name"), str):
                    yield ImageUse(value["name"], m.value_pos(value, "name"), "The CI image")
                elif isinstance(value, list) and k in ("script", "before_script", "after_script"):
                    for i, item in enumerate(value):
                        if isinstance(item, str):
                            yield from self._script(m, value, i)
                elif isinstance(value, list) and k == "services" and m.kind == "gitlab":
                    for i, item in enumerate(value):
                        if isinstance(item, str):
                            yield ImageUse(item, m.item_pos(value, i), "A CI service")
                        elif isinstance(item, dict) and isinstance(item.get("name"), str):
                            yield ImageUse(item["name"], m.value_pos(item, "name"), "A CI service")
                elif isinstance(value, dict) and k == "services" and m.kind == "github":
                    for name, svc in value.items():
                        if isinstance(svc, str):
                            yield ImageUse(svc, m.value_pos(value, name), f"The service '{name}'")
                        elif isinstance(svc, dict):
                            yield from self._walk(m, svc, here + (str(name),))
                else:
                    yield from self._walk(m, value, here)
        elif isinstance(node, list):
            for item in node:
                yield from self._walk(m, item, path)

    def _string(self, m, node, key, value, path):
        k = path[-1]
        if k == "image":
            yield ImageUse(value, m.value_pos(node, key), "The CI image" if len(path) < 3 else
                           f"'{'.'.join(path[:-1])}'")
        elif k == "container" and m.kind == "github":
            yield ImageUse(value, m.value_pos(node, key), "The job container")
        elif k == "uses" and value.startswith("docker://"):
            pos = m.value_pos(node, key)
            written = m.line_text(pos.line)[pos.column - 1:]
            skip = written.find("docker://")
            column = pos.column + skip + len("docker://") if 0 <= skip <= 1 else pos.column
            yield ImageUse(value[len("docker://"):], Pos(pos.line, column, pos.end_line, pos.end_column),
                           "The step (uses: docker://)")
        elif k in ("run", "script", "before_script", "after_script"):
            yield from self._script(m, node, key)

    def _script(self, m, parent, key):
        source = m.script(parent, key)
        if source is None:
            return
        for word, what in docker_images(source.text):
            text = word.text
            start = word.start
            if text.startswith("--tag="):
                text, start = text[len("--tag="):], start + len("--tag=")
            yield ImageUse(text, source.pos(start, word.end), f"`{what}`",
                           extra={"shown": source.text[start:word.end]})
