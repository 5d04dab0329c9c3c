"""The simulated kubelet of the single node: hands each pod bound to the node to a
PodWorker (pod_worker.py), which runs its containers as local processes through
`runtime.PodRuntime`; serves pod logs and exec."""
from __future__ import annotations

import ipaddress
import os
import re
import threading
import time

from . import resources
from .node import Node
from .pod_worker import PodWorker
from .status import ApiError
from .store import Store

PODS = resources.by_kind("Pod")
MISSING_DEFAULT = r"(^|/)(does-not-exist|missing)[^/]*$"
"""Images that do not exist unless KUBE_API_MISSING_IMAGES says otherwise."""


class Kubelet:
    """Starts a PodWorker for every pod bound to the node; serves logs and exec."""

    def __init__(self, store: Store, node: Node, faults, state: str):
        self.store, self.node, self.faults, self.state = store, node, faults, state
        self._runtime = None
        self._runtime_error = None
        self.workers: dict[str, "PodWorker"] = {}
        self.finished: set[str] = set()
        self._lock = threading.RLock()
        self._next_ip = int(ipaddress.ip_address("127.88.0.2"))
        self._stop = False
        self.missing = re.compile(os.environ.get("KUBE_API_MISSING_IMAGES") or MISSING_DEFAULT)

    @property
    def runtime(self):
        """The container runtime (created on first use)."""
        with self._lock:
            if self._runtime is None and self._runtime_error is None:
                try:
                    from .runtime import PodRuntime
                    self._runtime = PodRuntime(os.path.join(self.state, "runtime"))
                except Exception as e:  # reported on each container as a CreateContainerError
                    self._runtime_error = f"the container runtime is unavailable: {e}"
            if self._runtime is None:
                raise RuntimeError(self._runtime_error)
            return self._runtime

    def allocate_ip(self) -> str:
        """A new pod IP 127.88.x.y, never reused during the server's life."""
        with self._lock:
            ip = str(ipaddress.ip_address(self._next_ip))
            self._next_ip += 1
            if self._next_ip % 256 in (0, 255):
                self._next_ip += 2 if self._next_ip % 256 == 255 else 1
            return ip

    def image_missing(self, image: str) -> bool:
        """Whether pulling `image` fails (KUBE_API_MISSING_IMAGES or a missingImage fault)."""
        base = image.split("@")[0]
        untagged = re.sub(r":[^/:]+$", "", base)
        return bool(self.missing.search(untagged) or self.missing.search(base)) \
            or image in self.faults.missing_images \
            or untagged in self.faults.missing_images

    def start(self) -> None:
        """Starts the loop that hands new pods to workers."""
        threading.Thread(target=self._run, name="kubelet", daemon=True).start()

    def _run(self) -> None:
        seen = -1
        while not self._stop:
            with self.store.lock:
                if self.store.rv == seen:
                    self.store.changed.wait(0.5)
                seen = self.store.rv
                pods = self.store.list(PODS)
            for pod in pods:
                uid = pod["metadata"]["uid"]
                if pod["spec"].get("nodeName") != self.node.name:
                    continue
                with self._lock:
                    if uid in self.workers or uid in self.finished or self._stop:
                        continue
                    worker = PodWorker(self, pod)
                    self.workers[uid] = worker
                worker.start()
            time.sleep(0.05)

    def shutdown(self) -> None:
        """Stops every worker and container (server exit)."""
        self._stop = True
        with self._lock:
            workers = list(self.workers.values())
        for w in workers:
            w.stopping = True
        if self._runtime is not None:
            self._runtime.shutdown()

    def _worker(self, pod: dict) -> "PodWorker | None":
        with self._lock:
            return self.workers.get(pod["metadata"]["uid"])

    def _container_name(self, pod: dict, container: str | None) -> str:
        names = [c["name"] for c in pod["spec"].get("containers", [])]
        init_names = [c["name"] for c in pod["spec"].get("initContainers") or []]
        if container is None:
            if len(names) == 1:
                return names[0]
            raise ApiError(400, f"a container name must be specified for pod {pod['metadata']['name']}, choose one "
                                f"of: [{' '.join(names)}]", "BadRequest")
        if container not in names + init_names:
            raise ApiError(400, f"container {container} is not valid for pod {pod['metadata']['name']}", "BadRequest")
        return container

    def logs(self, pod: dict, container: str | None, tail: int | None) -> bytes:
        """The container's output (GET pods/log)."""
        name = self._container_name(pod, container)
        worker = self._worker(pod)
        if worker is None or not worker.ever_started(name):
            reason = worker.waiting_reason(name) if worker else "ContainerCreating"
            if reason in ("ErrImagePull", "ImagePullBackOff"):
                reason = "image can't be pulled"
            raise ApiError(400, f'container "{name}" in pod "{pod["metadata"]["name"]}" is waiting to start: '
                                f'{reason}', "BadRequest")
        return self.runtime.logs(worker.key(name), tail)

    def container_exited(self, pod: dict, container: str | None) -> bool:
        """Whether the container's current run has ended (log follow stops then)."""
        name = self._container_name(pod, container)
        worker = self._worker(pod)
        return worker is None or self.runtime.exit_code(worker.key(name)) is not None

    def exec(self, pod: dict, container: str | None, argv: list[str], stdin: bool):
        """A process running `argv` in the container (for pods/exec)."""
        name = self._container_name(pod, container)
        worker = self._worker(pod)
        try:
            if worker is None:
                raise RuntimeError("not running")
            return self.runtime.exec(worker.key(name), argv, stdin)
        except RuntimeError:
            raise ApiError(400, f'unable to upgrade connection: container "{name}" in pod '
                                f'"{pod["metadata"]["name"]}" is not running', "BadRequest") from None
