"""The garbage collector: ownerReferences cascade like the API server's GC."""
from __future__ import annotations

from . import resources
from .reconciler import Reconciler


class GarbageCollector(Reconciler):
    """Deletes dependents of missing owners and of owners deleted in the foreground;
    orphans the dependents of owners deleted with Orphan."""

    def reconcile(self) -> None:
        """One collection pass."""
        dependents: dict[str, list] = {}
        for res in resources.ALL:
            for obj in self.store.list(res):
                for ref in obj["metadata"].get("ownerReferences") or []:
                    dependents.setdefault(ref.get("uid"), []).append((res, obj))
        for uid, deps in dependents.items():
            owner_at = self.store.by_uid(uid)
            for res, obj in deps:
                refs = obj["metadata"].get("ownerReferences") or []
                if owner_at is None and all(self.store.by_uid(r.get("uid")) is None for r in refs):
                    self.delete(res, obj)
        for res in resources.ALL:
            for owner in self.store.list(res):
                meta = owner["metadata"]
                fins = meta.get("finalizers") or []
                if not meta.get("deletionTimestamp") or not ({"orphan", "foregroundDeletion"} & set(fins)):
                    continue
                deps = dependents.get(meta["uid"], [])
                if "orphan" in fins:
                    for dres, dep in deps:
                        def strip(o, uid=meta["uid"]):
                            refs = [r for r in o["metadata"].get("ownerReferences", []) if r.get("uid") != uid]
                            if refs:
                                o["metadata"]["ownerReferences"] = refs
                            else:
                                o["metadata"].pop("ownerReferences", None)
                        self.store.mutate(dres, dep["metadata"].get("namespace", ""), dep["metadata"]["name"], strip)
                    self.drop_finalizer(res, owner, "orphan")
                elif "foregroundDeletion" in fins:
                    for dres, dep in deps:
                        self.delete(dres, dep, "Foreground" if dep["metadata"].get("ownerReferences") else None)
                    if not deps:
                        self.drop_finalizer(res, owner, "foregroundDeletion")

