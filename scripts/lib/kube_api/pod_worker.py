"""The lifecycle of one pod on the simulated kubelet: volumes, image pulls, containers
(through `runtime.PodRuntime`), probes, restarts with back-off, status and Events, and
graceful termination."""
from __future__ import annotations

import base64
import os
import re
import threading
import time
import traceback
from typing import TYPE_CHECKING

from . import events, resources, volumes
from .scheduler import parse_quantity, set_condition
from .store import now

if TYPE_CHECKING:
    from .kubelet import Kubelet

R = resources.by_kind
PODS, PVCS, PVS, SECRETS, CONFIGMAPS = R("Pod"), R("PersistentVolumeClaim"), R("PersistentVolume"), R("Secret"), \
    R("ConfigMap")
GRACE_CAP = 3.0
"""Graceful termination waits at most this long in the emulator."""
PLACEHOLDER = ["sleep", "infinity"]
"""What a container without command and args runs (the image's entrypoint is unknown)."""


class PodWorker(threading.Thread):
    """The lifecycle of one pod: volumes, image pulls, containers, probes, restarts,
    status, and graceful termination."""

    def __init__(self, kubelet: Kubelet, pod: dict):
        super().__init__(name=f"pod-{pod['metadata']['namespace']}/{pod['metadata']['name']}", daemon=True)
        self.kubelet = kubelet
        self.store = kubelet.store
        self.ns, self.name, self.uid = pod["metadata"]["namespace"], pod["metadata"]["name"], pod["metadata"]["uid"]
        self.ip = kubelet.allocate_ip()
        self.stopping = False
        self.init_names = [c["name"] for c in pod["spec"].get("initContainers") or []]
        self.main_names = [c["name"] for c in pod["spec"].get("containers") or []]
        self.containers = {name: {"state": "pull", "restarts": 0, "next": 0.0, "waiting": "ContainerCreating",
                                  "message": None, "started": False, "ready": False, "last": None,
                                  "terminated": None, "started_at": None, "probe_at": 0.0, "ever": False}
                           for name in self.init_names + self.main_names}
        self.mounts_ready = False
        self.volume_paths: dict[str, tuple[str, bool]] = {}
        self.start_time = now()
        self._reported: set[tuple[str, str]] = set()

    def key(self, container: str) -> str:
        """The runtime key of one of the pod's containers."""
        return f"{self.ns}/{self.name}/{container}"

    def ever_started(self, container: str) -> bool:
        """Whether the container has been started at least once."""
        return self.containers.get(container, {}).get("ever", False)

    def waiting_reason(self, container: str) -> str:
        """The container's current waiting reason."""
        return self.containers.get(container, {}).get("waiting") or "ContainerCreating"

    def event(self, pod: dict, type_: str, reason: str, message: str) -> None:
        """Records a kubelet Event about the pod."""
        events.record(self.store, pod, type_, reason, message, "kubelet")

    def run(self) -> None:
        """Steps the pod every 0.1 s until it is deleted (then terminates it) or gone."""
        try:
            while not self.stopping:
                pod = self.store.get(PODS, self.ns, self.name)
                if pod is None or pod["metadata"]["uid"] != self.uid:
                    self._stop_all(0)
                    break
                if pod["metadata"].get("deletionTimestamp"):
                    self._terminate(pod)
                    break
                self._step(pod)
                time.sleep(0.1)
        except Exception as e:
            with open(os.path.join(self.kubelet.state, "server.log"), "a") as f:
                f.write(f"{now()} kubelet error for {self.ns}/{self.name}: "
                        + " | ".join(traceback.format_exception(e)).replace("\n", " ") + "\n")
        finally:
            with self.kubelet._lock:
                self.kubelet.workers.pop(self.uid, None)
                self.kubelet.finished.add(self.uid)

    # -- lifecycle ---------------------------------------------------------------------

    def _stop_all(self, grace: float) -> None:
        try:
            runtime = self.kubelet.runtime
        except RuntimeError:
            return
        threads = [threading.Thread(target=runtime.stop, args=(self.key(n), grace)) for n in self.containers]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for n in self.containers:
            runtime.forget(self.key(n))

    def _terminate(self, pod: dict) -> None:
        grace = min(float(pod["metadata"].get("deletionGracePeriodSeconds")
                          or pod["spec"].get("terminationGracePeriodSeconds", 30) or 0), GRACE_CAP)
        for name, c in self.containers.items():
            if c["state"] == "running":
                self.event(pod, "Normal", "Killing", f"Stopping container {name}")
        self._stop_all(grace)
        current = self.store.get(PODS, self.ns, self.name)
        if current is None or current["metadata"]["uid"] != self.uid:
            return
        if current["metadata"].get("finalizers"):
            # the object stays until its finalizers are removed; its containers are gone
            def stopped(p):
                if p["status"].get("phase") != "Succeeded":
                    p["status"]["phase"] = "Failed"
                set_condition(p, "Ready", "False", "PodCompleted", None)
                set_condition(p, "ContainersReady", "False", "PodCompleted", None)
            self.store.mutate(PODS, self.ns, self.name, stopped)
            return
        self.store.remove(PODS, self.ns, self.name)

    def _pending_init(self) -> str | None:
        """The first init container that has not completed successfully, if any."""
        for name in self.init_names:
            c = self.containers[name]
            if c["state"] != "exited" or c["terminated"]["exitCode"] != 0:
                return name
        return None

    def _step(self, pod: dict) -> None:
        if not self.mounts_ready:
            self.mounts_ready = self._prepare_volumes(pod)
        specs = {c["name"]: c for c in (pod["spec"].get("initContainers") or []) + pod["spec"].get("containers", [])}
        if self.mounts_ready:
            init = self._pending_init()
            if init is not None:
                self._container_step(pod, specs[init], self.containers[init], init=True)
            else:
                for name in self.main_names:
                    self._container_step(pod, specs[name], self.containers[name])
        self._publish(pod)

    def _prepare_volumes(self, pod: dict) -> bool:
        """Resolves every volume to a host directory (claims must be bound; config maps and
        secrets are written out); False while one is not ready yet."""
        state = self.kubelet.state
        for vol in pod["spec"].get("volumes") or []:
            vname = vol.get("name")
            if vname in self.volume_paths:
                continue
            if vol.get("persistentVolumeClaim"):
                claim = vol["persistentVolumeClaim"].get("claimName")
                pvc = self.store.get(PVCS, self.ns, claim)
                pv = self.store.get(PVS, "", pvc["spec"].get("volumeName", "")) if pvc else None
                if pvc is None or pvc.get("status", {}).get("phase") != "Bound" or pv is None:
                    self._once(pod, "Warning", "FailedMount",
                               f'Unable to attach or mount volumes: unmounted volumes=[{vname}]: persistentvolumeclaim '
                               f'"{claim}" is not bound')
                    return False
                path, ro = volumes.pv_path(state, pv)
                self.volume_paths[vname] = (path, ro or bool(vol["persistentVolumeClaim"].get("readOnly")))
            elif vol.get("hostPath"):
                path = vol["hostPath"]["path"]
                if vol["hostPath"].get("type") in ("DirectoryOrCreate", None, "") and not os.path.exists(path):
                    os.makedirs(path, exist_ok=True)
                self.volume_paths[vname] = (path, False)
            elif "emptyDir" in vol:
                path = os.path.join(state, "pods", self.uid, "empty-dir", vname)
                os.makedirs(path, exist_ok=True)
                self.volume_paths[vname] = (path, False)
            elif vol.get("configMap") or vol.get("secret"):
                src = vol.get("configMap") or vol.get("secret")
                res = CONFIGMAPS if vol.get("configMap") else SECRETS
                ref = src.get("name") or src.get("secretName")
                obj = self.store.get(res, self.ns, ref)
                if obj is None and not src.get("optional"):
                    self._once(pod, "Warning", "FailedMount",
                               f'MountVolume.SetUp failed for volume "{vname}" : {res.singular} "{ref}" not found')
                    return False
                path = os.path.join(state, "pods", self.uid, res.plural, vname)
                os.makedirs(path, exist_ok=True)
                data = dict((obj or {}).get("data") or {})
                if res is SECRETS:
                    data = {k: base64.b64decode(v) for k, v in data.items()}
                items = src.get("items")
                for k, v in data.items():
                    target = k
                    if items:
                        match = [i for i in items if i.get("key") == k]
                        if not match:
                            continue
                        target = match[0].get("path", k)
                    full = os.path.join(path, target)
                    os.makedirs(os.path.dirname(full), exist_ok=True)
                    with open(full, "wb") as f:
                        f.write(v if isinstance(v, bytes) else str(v).encode())
                self.volume_paths[vname] = (path, True)
            else:
                path = os.path.join(state, "pods", self.uid, "other", vname)
                os.makedirs(path, exist_ok=True)
                self.volume_paths[vname] = (path, False)
        return True

    def _once(self, pod, type_, reason, message):
        """Records an Event unless this reason and message were recorded for the pod before."""
        if (reason, message) not in self._reported:
            self._reported.add((reason, message))
            self.event(pod, type_, reason, message)

    def _container_step(self, pod: dict, spec: dict, c: dict, init: bool = False) -> None:
        """Advances one container's state machine: pull (or pull back-off), create and
        start, running (exit handling, restarts with back-off, readiness probes), exited."""
        name, image = spec["name"], spec.get("image", "")
        t = time.monotonic()
        try:
            runtime = self.kubelet.runtime
        except RuntimeError as e:
            c.update(waiting="CreateContainerError", message=str(e))
            return
        if c["state"] == "pull":
            if t < c["next"]:
                return
            self.event(pod, "Normal", "Pulling", f'Pulling image "{image}"')
            if self.kubelet.image_missing(image):
                msg = (f'Failed to pull image "{image}": rpc error: code = NotFound desc = failed to pull and unpack '
                       f'image "{image}": not found')
                self.event(pod, "Warning", "Failed", msg)
                self.event(pod, "Warning", "Failed", "Error: ErrImagePull")
                c.update(waiting="ErrImagePull", message=msg, next=t + 1.0, state="pullbackoff")
                return
            self.event(pod, "Normal", "Pulled", f'Successfully pulled image "{image}" in 10ms (10ms including waiting)')
            c["state"] = "create"
        if c["state"] == "pullbackoff":
            if t >= c["next"]:
                self.event(pod, "Normal", "BackOff", f'Back-off pulling image "{image}"')
                self.event(pod, "Warning", "Failed", "Error: ImagePullBackOff")
                c.update(waiting="ImagePullBackOff", message=f'Back-off pulling image "{image}"', state="pull",
                         next=t + 5.0)
            return
        if c["state"] == "backoff":
            if t < c["next"]:
                return
            c["state"] = "create"
        if c["state"] == "create":
            try:
                launch = self._launch(pod, spec)
            except _ConfigError as e:
                c.update(waiting="CreateContainerConfigError", message=str(e))
                self._once(pod, "Warning", "Failed", f"Error: {e}")
                return
            try:
                runtime.start(self.key(name), launch)
            except RuntimeError as e:
                c.update(waiting="CreateContainerError", message=str(e), state="backoff", next=t + 2.0)
                self.event(pod, "Warning", "Failed", f"Error: {e}")
                return
            if not c["ever"]:
                self.event(pod, "Normal", "Created", f"Created container: {name}")
            self.event(pod, "Normal", "Started", f"Started container {name}")
            c.update(state="running", waiting=None, message=None, started=True, ever=True, started_at=now(),
                     started_mono=t, ready=spec.get("readinessProbe") is None, probe_at=t)
            return
        if c["state"] == "running":
            code = runtime.exit_code(self.key(name))
            if code is not None:
                c["terminated"] = {"exitCode": code, "reason": "Completed" if code == 0 else "Error",
                                   "startedAt": c["started_at"], "finishedAt": now(),
                                   "containerID": f"emulator://{self.uid}/{name}"}
                if code != 0:
                    tail = runtime.logs(self.key(name), 5).decode("utf-8", "replace").strip()
                    if tail and spec.get("terminationMessagePolicy") == "FallbackToLogsOnError":
                        c["terminated"]["message"] = tail
                c.update(ready=False, started=False)
                policy = pod["spec"].get("restartPolicy", "Always")
                # init containers run to completion: restarted only when they fail
                if (policy == "Always" and not init) or (policy in ("Always", "OnFailure") and code != 0):
                    delay = min(10.0 * 2 ** c["restarts"], 300.0) / 10.0  # the kubelet's back-off, 10x faster
                    c["last"] = {"terminated": c["terminated"]}
                    c["restarts"] += 1
                    c.update(state="backoff", next=t + delay, waiting="CrashLoopBackOff",
                             message=f"back-off {int(delay)}s restarting failed container={name} pod={self.name}_"
                                     f"{self.ns}({self.uid})")
                    self.event(pod, "Warning", "BackOff", "Back-off restarting failed container "
                                                          f"{name} in pod {self.name}_{self.ns}({self.uid})")
                else:
                    c["state"] = "exited"
                return
            probe = spec.get("readinessProbe")
            if probe and t >= c["probe_at"]:
                period = min(float(probe.get("periodSeconds", 10)), 1.0)
                delay = float(probe.get("initialDelaySeconds", 0))
                if c["ready"] is False and t < c["started_mono"] + delay:
                    return
                c["probe_at"] = t + (period if c["ready"] else 0.3)
                c["ready"] = self._probe(spec, probe)

    def _probe(self, spec: dict, probe: dict) -> bool:
        runtime = self.kubelet.runtime
        key = self.key(spec["name"])
        timeout = float(probe.get("timeoutSeconds", 1))
        if probe.get("tcpSocket"):
            return runtime.tcp_ready(key, self._port(spec, probe["tcpSocket"].get("port")), min(timeout, 0.5))
        if probe.get("httpGet"):
            get = probe["httpGet"]
            return runtime.http_ready(key, self._port(spec, get.get("port")), get.get("path", "/"), min(timeout, 1.0))
        if probe.get("exec"):
            return runtime.exec_ready(key, probe["exec"].get("command") or ["true"], min(timeout, 2.0))
        return True

    @staticmethod
    def _port(spec: dict, port) -> int:
        if isinstance(port, int):
            return port
        for p in spec.get("ports") or []:
            if p.get("name") == port:
                return int(p["containerPort"])
        try:
            return int(port)
        except (TypeError, ValueError):
            return 0

    def _launch(self, pod: dict, spec: dict):
        """The runtime's ContainerLaunch for a container: argv (with $(VAR) expansion), env, mounts, ports."""
        from .runtime import ContainerLaunch, Mount
        argv = list(spec.get("command") or []) + list(spec.get("args") or [])
        if not argv:
            argv = list(PLACEHOLDER)  # the image's entrypoint is unknown: keep the container running
        env = self._env(pod, spec)
        argv = [re.sub(r"\$\(([A-Za-z_][A-Za-z0-9_]*)\)", lambda m: env.get(m.group(1), m.group(0)), a) for a in argv]
        mounts = []
        for vm in spec.get("volumeMounts") or []:
            if vm.get("name") not in self.volume_paths:
                raise _ConfigError(f'volume "{vm.get("name")}" of mount {vm.get("mountPath")} is not defined')
            path, ro = self.volume_paths[vm["name"]]
            if vm.get("subPath"):
                path = os.path.join(path, vm["subPath"])
                os.makedirs(path, exist_ok=True)
            mounts.append(Mount(host_path=path, container_path=vm["mountPath"], read_only=ro or bool(vm.get("readOnly"))))
        ports = [int(p["containerPort"]) for p in spec.get("ports") or [] if p.get("protocol", "TCP") == "TCP"]
        return ContainerLaunch(argv=argv, env=env, working_dir=spec.get("workingDir"), mounts=mounts, ports=ports,
                               pod_ip=self.ip)

    def _env(self, pod: dict, spec: dict) -> dict:
        """The container's environment: envFrom, env values, secret/config map keys, field and resource refs."""
        env = {"HOSTNAME": self.name}
        for src in spec.get("envFrom") or []:
            prefix = src.get("prefix", "")
            ref = src.get("configMapRef") or src.get("secretRef") or {}
            res = CONFIGMAPS if src.get("configMapRef") else SECRETS
            obj = self.store.get(res, self.ns, ref.get("name", ""))
            if obj is None:
                if ref.get("optional"):
                    continue
                raise _ConfigError(f'{res.singular} "{ref.get("name")}" not found')
            for k, v in (obj.get("data") or {}).items():
                env[prefix + k] = base64.b64decode(v).decode("utf-8", "replace") if res is SECRETS else str(v)
        for e in spec.get("env") or []:
            if "valueFrom" not in e:
                value = str(e.get("value", ""))
                env[e["name"]] = re.sub(r"\$\(([A-Za-z_][A-Za-z0-9_]*)\)",
                                        lambda m: env.get(m.group(1), m.group(0)), value)
                continue
            vf = e["valueFrom"]
            if vf.get("secretKeyRef") or vf.get("configMapKeyRef"):
                ref = vf.get("secretKeyRef") or vf.get("configMapKeyRef")
                res = SECRETS if vf.get("secretKeyRef") else CONFIGMAPS
                obj = self.store.get(res, self.ns, ref.get("name", ""))
                data = (obj or {}).get("data") or {}
                if obj is None or ref.get("key") not in data:
                    if ref.get("optional"):
                        continue
                    what = f'{res.singular} "{ref.get("name")}" not found' if obj is None else \
                        f'couldn\'t find key {ref.get("key")} in {res.kind} {self.ns}/{ref.get("name")}'
                    raise _ConfigError(what)
                value = data[ref["key"]]
                env[e["name"]] = base64.b64decode(value).decode("utf-8", "replace") if res is SECRETS else str(value)
            elif vf.get("fieldRef"):
                env[e["name"]] = self._field(pod, vf["fieldRef"].get("fieldPath", ""))
            elif vf.get("resourceFieldRef"):
                r = vf["resourceFieldRef"]
                res_spec = spec.get("resources") or {}
                kind, _, what = r.get("resource", "").partition(".")
                value = (res_spec.get(kind) or {}).get(what, "0")
                env[e["name"]] = str(int(parse_quantity(value) / parse_quantity(r.get("divisor", "1")) + 0.999999))
        return env

    def _field(self, pod: dict, path: str) -> str:
        meta = pod["metadata"]
        m = re.match(r"metadata\.(labels|annotations)\['(.+)'\]$", path)
        if m:
            return str((meta.get(m.group(1)) or {}).get(m.group(2), ""))
        return {"metadata.name": self.name, "metadata.namespace": self.ns, "metadata.uid": self.uid,
                "status.podIP": self.ip, "status.hostIP": "127.0.0.1", "spec.nodeName": pod["spec"].get("nodeName", ""),
                "spec.serviceAccountName": pod["spec"].get("serviceAccountName", "default"),
                "status.podIPs": self.ip}.get(path, "")

    # -- status ------------------------------------------------------------------------

    def _statuses(self, specs: list[dict], initializing: bool) -> list[dict]:
        """The containerStatuses of these containers."""
        statuses = []
        for spec in specs:
            c = self.containers.get(spec["name"])
            if c is None:
                continue
            if c["state"] == "running":
                state = {"running": {"startedAt": c["started_at"]}}
            elif c["state"] == "exited":
                state = {"terminated": c["terminated"]}
            elif initializing and spec["name"] in self.main_names:
                state = {"waiting": {"reason": "PodInitializing"}}
            else:
                state = {"waiting": {"reason": c["waiting"] or "ContainerCreating",
                                     **({"message": c["message"]} if c["message"] else {})}}
            done = spec["name"] in self.init_names and c["state"] == "exited" and c["terminated"]["exitCode"] == 0
            status = {"name": spec["name"], "image": spec.get("image", ""), "imageID": "",
                      "ready": bool(c["ready"] and c["state"] == "running") or done,
                      "started": c["state"] == "running", "restartCount": c["restarts"], "state": state,
                      "lastState": c["last"] or {}}
            if c["ever"]:
                status["containerID"] = f"emulator://{self.uid}/{spec['name']}"
                status["imageID"] = f"emulator://{spec.get('image', '')}"
            statuses.append(status)
        return statuses

    def _publish(self, pod: dict) -> None:
        """Writes the pod's status (phase, IPs, conditions, container statuses) when it changed."""
        pending_init = self._pending_init()
        init_statuses = self._statuses(pod["spec"].get("initContainers") or [], pending_init is not None)
        statuses = self._statuses(pod["spec"].get("containers", []), pending_init is not None)
        all_ready = bool(statuses) and all(s["ready"] for s in statuses)
        main = [self.containers[n] for n in self.main_names]
        failed_init = pending_init is not None and self.containers[pending_init]["state"] == "exited"
        if failed_init:
            phase = "Failed"
        elif pending_init is not None:
            phase = "Pending"
        elif main and all(c["state"] == "exited" for c in main):
            phase = "Succeeded" if all(c["terminated"]["exitCode"] == 0 for c in main) else "Failed"
        elif main and all(c["ever"] for c in main):
            phase = "Running"
        else:
            phase = "Pending"

        def update(p):
            st = p.setdefault("status", {})
            st["phase"] = phase
            st["hostIP"] = "127.0.0.1"
            st["hostIPs"] = [{"ip": "127.0.0.1"}]
            st["podIP"] = self.ip
            st["podIPs"] = [{"ip": self.ip}]
            st["startTime"] = self.start_time
            st["containerStatuses"] = statuses
            if init_statuses:
                st["initContainerStatuses"] = init_statuses
            set_condition(p, "PodReadyToStartContainers", "True", None, None)
            if pending_init is None:
                set_condition(p, "Initialized", "True", None, None)
            else:
                set_condition(p, "Initialized", "False", "ContainersNotInitialized",
                              f"containers with incomplete status: [{pending_init}]")
            reason = None if all_ready else ("PodCompleted" if phase in ("Succeeded", "Failed") else "ContainersNotReady")
            message = None if all_ready or reason == "PodCompleted" else \
                "containers with unready status: [" + " ".join(s["name"] for s in statuses if not s["ready"]) + "]"
            set_condition(p, "ContainersReady", "True" if all_ready else "False", reason, message)
            set_condition(p, "Ready", "True" if all_ready else "False", reason, message)
            order = ["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"]
            st["conditions"].sort(key=lambda c: order.index(c["type"]) if c["type"] in order else 99)
        with self.store.lock:
            current = self.store.get(PODS, self.ns, self.name)
            if current is None or current["metadata"]["uid"] != self.uid or current["metadata"].get("deletionTimestamp"):
                return
            self.store.mutate(PODS, self.ns, self.name, update)


class _ConfigError(Exception):
    """A container's configuration cannot be resolved (a missing secret, config map or volume)."""
