"""The control loop: preloaded objects, then namespaces, garbage collection,
StatefulSets, Jobs, volumes, snapshots and the scheduler, run whenever something changed."""
from __future__ import annotations

import os
import threading
import time
import traceback

from . import scheduler, volumes
from .collector import GarbageCollector
from .namespaces import NamespaceController
from .reconciler import NODES, NS, SC, VSCLASS
from .rest import DEFAULT_CLASS_ANNOTATION
from .snapshots import SNAPSHOT_CLASS_DEFAULT, SnapshotController
from .jobs import JobController
from .statefulsets import StatefulSetController
from .storage import VolumeController
from .store import Store, now


class Controllers:
    """Runs every controller whenever something other than an Event changed (and at
    least every 0.5 s)."""

    def __init__(self, store: Store, api, node, state: str):
        self.store, self.api, self.node, self.state = store, api, node, state
        self._stop = False
        self._reported: set = set()
        self._seen_rv = -1
        args = (store, api, state, self._reported)
        self.controllers = [NamespaceController(*args), GarbageCollector(*args), StatefulSetController(*args),
                            JobController(*args), VolumeController(*args), SnapshotController(*args)]

    def preload(self) -> None:
        """Namespaces default, kube-system and kube-public, StorageClass `standard`
        (default), VolumeSnapshotClass `standard-snapshots` (default) and the Node."""
        for name in ("default", "kube-system", "kube-public"):
            self.api.create(NS, "", {"metadata": {"name": name}})
        self.store.insert(SC, {"metadata": {"name": "standard", "annotations": {DEFAULT_CLASS_ANNOTATION: "true"}},
                               "provisioner": volumes.EMULATOR_DRIVER, "reclaimPolicy": "Delete",
                               "volumeBindingMode": "Immediate", "allowVolumeExpansion": True})
        self.store.insert(VSCLASS, {"metadata": {"name": "standard-snapshots",
                                                 "annotations": {SNAPSHOT_CLASS_DEFAULT: "true"}},
                                    "driver": volumes.EMULATOR_DRIVER, "deletionPolicy": "Delete"})
        self.store.insert(NODES, self.node.object())
        self.api.validations.clear()

    def start(self) -> None:
        """Starts the control loop thread."""
        threading.Thread(target=self._run, name="controllers", daemon=True).start()

    def stop(self) -> None:
        """Stops the control loop."""
        self._stop = True

    def _run(self) -> None:
        while not self._stop:
            with self.store.lock:
                if self.store.rv == self._seen_rv:
                    self.store.changed.wait(0.5)
                changes = self.store.changes_since(self._seen_rv)
                self._seen_rv = self.store.rv
                if changes and all(ch.resource.kind == "Event" for ch in changes):
                    continue  # no controller acts on Events
                for controller in self.controllers:
                    try:
                        controller.reconcile()
                    except Exception as e:  # a controller bug must not stop the others
                        self._log(f"controller error in {type(controller).__name__}: "
                                  + " | ".join(traceback.format_exception(e)).replace("\n", " "))
                try:
                    scheduler.schedule(self.store, self.node, self._reported)
                except Exception as e:
                    self._log("controller error in the scheduler: "
                              + " | ".join(traceback.format_exception(e)).replace("\n", " "))
            time.sleep(0.02)

    def _log(self, line: str) -> None:
        with open(os.path.join(self.state, "server.log"), "a") as f:
            f.write(f"{now()} {line}\n")
