"""FL702: a Kubernetes container may run as root, or not as the policy's user (runAsNonRoot, runAsUser,
runAsGroup)."""

from __future__ import annotations

from ..engine.manifests import ManifestRule, containers, service_of_container
from ..engine.registry import register


def _setting(c, field):
    """(value, mapping it is in) of a securityContext field: the container's overrides the pod's."""
    for sc in (c.node.get("securityContext"), c.pod_spec.get("securityContext")):
        if isinstance(sc, dict) and field in sc:
            return sc[field], sc
    return None, None


@register
class FL702(ManifestRule):
    code = "FL702"
    level = "error"
    message = "The container lacks runAsNonRoot: true, runAsUser and runAsGroup of the policy's user"
    name = "k8s-non-root"

    def check_manifest(self, m):
        if m.kind != "kubernetes":
            return
        uid, gid = self.policy.user["uid"], self.policy.user["gid"]
        for c in containers(m):
            fast = service_of_container(c, self.policy) is not None
            wanted = [("runAsNonRoot", True)]
            if fast:  # the standard's images run as the policy's user; other images keep their own uid
                wanted += [("runAsUser", uid), ("runAsGroup", gid)]
            missing = []
            for field, want in wanted:
                value, where = _setting(c, field)
                if where is None:
                    missing.append(f"{field}: {str(want).lower() if isinstance(want, bool) else want}")
                elif value is not want and value != want or isinstance(value, bool) != isinstance(want, bool):
                    shown = str(value).lower() if isinstance(value, bool) else value
                    yield self.at(m, m.value_pos(where, field),
                                  f"{c.label()}: {field} is {shown}; the standard requires "
                                  f"{str(want).lower() if isinstance(want, bool) else want}")
            if missing:
                sc = c.node.get("securityContext")
                anchor = m.key_pos(c.node, "securityContext") if isinstance(sc, dict) else \
                    (m.value_pos(c.node, "name") if "name" in c.node else m.node_pos(c.node))
                yield self.at(m, anchor, f"{c.label()} lacks {', '.join(missing)} (pod or container securityContext)")
