"""FL701: a Kubernetes container's memory limit differs from the service matrix."""

from __future__ import annotations

from ..engine.manifests import ManifestRule, containers, quantity, service_of_container
from ..engine.registry import register


@register
class FL701(ManifestRule):
    code = "FL701"
    level = "warning"
    message = "The container's memory limit differs from the service matrix"
    name = "k8s-memory-limit"

    def check_manifest(self, m):
        if m.kind != "kubernetes":
            return
        for c in containers(m):
            service = service_of_container(c, self.policy)
            if service is None or not service.memory:
                continue
            want = quantity(service.memory)
            resources = c.node.get("resources")
            limits = resources.get("limits") if isinstance(resources, dict) else None
            if not isinstance(limits, dict) or "memory" not in limits:
                anchor = (m.key_pos(limits, "memory") if False else
                          m.key_pos(resources, "limits") if isinstance(limits, dict) else
                          m.key_pos(c.node, "resources") if isinstance(resources, dict) else
                          m.value_pos(c.node, "name") if "name" in c.node else m.node_pos(c.node))
                yield self.at(m, anchor, f"{c.label()} ({service.name}) has no memory limit; the service matrix "
                                         f"gives {service.memory}")
                continue
            value = limits["memory"]
            got = quantity(value)
            if got is None or want is None or got != want:
                yield self.at(m, m.value_pos(limits, "memory"),
                              f"{c.label()} ({service.name}) has the memory limit {value}; the service matrix gives "
                              f"{service.memory}")
