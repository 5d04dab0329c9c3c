"""The namespace controller: empties terminating namespaces, then lets them go."""
from __future__ import annotations

from . import resources
from .reconciler import NS, Reconciler


class NamespaceController(Reconciler):
    """Deletes every object of a terminating namespace, then clears its finalizers."""

    def reconcile(self) -> None:
        """Empties terminating namespaces, then removes them."""
        for ns in self.store.list(NS):
            if not ns["metadata"].get("deletionTimestamp"):
                continue
            name = ns["metadata"]["name"]
            remaining = 0
            for res in resources.ALL:
                if not res.namespaced:
                    continue
                for obj in self.store.list(res, name):
                    remaining += 1
                    self.delete(res, obj)
            if remaining == 0:
                def finalize(o):
                    o.setdefault("spec", {})["finalizers"] = []
                self.store.mutate(NS, "", name, finalize)

