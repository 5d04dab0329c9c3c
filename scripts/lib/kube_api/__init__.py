"""A Kubernetes API emulator for the Kubernetes backend's tests (test-support code).

`server.py` is the entry point (`scripts/kube-api-server.sh` starts and stops it).
Modules:
- HTTP: `server` (state, listening socket, outages, main), `handler` (TLS, auth,
  routing, verbs), `endpoints` (watches, pod logs/exec, scale, /_emulator).
- API semantics: `resources` (served types, discovery), `store` (objects,
  resourceVersions, watch history), `rest` (defaulting, validation, concurrency,
  deletion), `watch`, `selector`, `patch`, `validation` (schemas; also a CLI), `status`,
  `events`, `faults`.
- Controllers (`controllers` runs them): `namespaces`, `collector` (garbage collection),
  `statefulsets`, `storage` (volumes), `snapshots`, `scheduler`, on top of `reconciler`.
- The node: `node`, `kubelet`, `pod_worker`, `volumes`, and the container runtime
  `runtime` with the exec protocol `websocket`.
"""
