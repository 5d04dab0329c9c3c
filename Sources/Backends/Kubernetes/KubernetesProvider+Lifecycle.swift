import Foundation
import Logging
import Synchronization
public import SessionSDK

extension KubernetesProvider {
    // MARK: Create

    /// Creates the session's StatefulSet with no replica, then its Secret, home claim
    /// (from the checkpoint's VolumeSnapshot for a clone), data-link volumes and claims
    /// and Service, all owned by the StatefulSet, then scales it to one replica. A
    /// repeated create finds the StatefulSet by name and completes what a broken
    /// earlier attempt left undone, starting nothing new.
    ///
    /// - Throws: `INVALID_ARGUMENT` for a request the backend cannot express (empty
    ///   command, bad resources, a data-link outside `/workspace/data/<name>`, an
    ///   unknown pool, an object the API server refuses), `FAILED_PRECONDITION` for a
    ///   `file://` data-link the environment does not allow (``checkHostPath(_:)``),
    ///   before anything is made, `RESOURCE_EXHAUSTED` above the
    ///   per-session quota, `NOT_FOUND` for a missing home or data claim or checkpoint,
    ///   `ALREADY_EXISTS` when objects of the session's names belong to something else,
    ///   `UNAVAILABLE` when the API server cannot be reached.
    public func createSession(_ request: ProviderSessionRequest) async throws -> ProviderSessionStatus {
        try validate(request)
        let handle = KubeHandle(namespace: namespace, sessionID: request.sessionID)
        return try await locks.withLock(request.sessionID) {
            let names = handle.names
            let what = "creating session '\(request.sessionID)'"
            if let existing = try await client.get(.statefulSets, namespace: namespace, name: names.statefulSet, what: what) {
                try requireOwnership(existing, handle)
                if Self.isIncompleteCreate(existing) {
                    try await completeCreate(request, statefulSet: existing, handle: handle)
                }
                return try await observe(handle)
            }
            let snapshot = try await checkReferences(request)
            var objects = SessionObjects(request: request, configuration: configuration, namespace: namespace)
            objects.environmentJob = try await environmentJob(for: objects)
            let created: KubeObject
            do {
                created = try await client.createIfAbsent(.statefulSets, namespace: namespace, objects.statefulSet(replicas: 0), what: what)
                try requireOwnership(created, handle)
                try await completeCreate(request, statefulSet: created, handle: handle, snapshot: snapshot)
            } catch let error as SessionError where error.code == .invalidArgument || error.code == .notFound {
                // The API server refused an object: leave nothing behind.
                try? await removeObjects(of: handle)
                throw error
            }
            logger.info("session created", metadata: ["session.id": "\(request.sessionID)", "k8s.namespace": "\(namespace)"])
            return try await observe(handle)
        }
    }

    /// A StatefulSet at zero replicas that was never paused: a create that did not finish.
    static func isIncompleteCreate(_ statefulSet: KubeObject) -> Bool {
        statefulSet["spec"]["replicas"].int == 0
            && statefulSet["metadata"]["annotations"][KubeNames.pausedAnnotation].string != "true"
            && statefulSet["metadata"]["deletionTimestamp"].isNull
    }

    /// `ALREADY_EXISTS` unless the object carries this session's id and instance.
    func requireOwnership(_ object: KubeObject, _ handle: KubeHandle) throws(SessionError) {
        let metadata = object["metadata"]
        guard metadata["annotations"][KubeNames.sessionIDAnnotation].string == handle.sessionID.rawValue,
              metadata["labels"][KubeNames.instanceLabel].string == configuration.instance else {
            throw SessionError(
                .alreadyExists,
                "\(object["kind"].string ?? "an object") '\(metadata["name"].string ?? "")' in namespace '\(handle.namespace)' exists and is not session '\(handle.sessionID)' of this gateway; remove it or use another instance label")
        }
    }

    /// Makes the StatefulSet's dependents (those missing) and scales it to one replica,
    /// unless it waits for its environment's build (the observation that finds the build
    /// complete scales it).
    func completeCreate(_ request: ProviderSessionRequest, statefulSet: KubeObject, handle: KubeHandle, snapshot: String? = nil) async throws {
        var snapshot = snapshot
        if snapshot == nil, let checkpoint = request.restoreFrom {
            snapshot = try snapshotName(of: checkpoint)
        }
        try await ensureDependents(request, statefulSet: statefulSet, snapshot: snapshot)
        if Self.awaitedBuild(of: statefulSet) != nil { return }
        _ = try await client.update(
            .statefulSets, namespace: handle.namespace, name: handle.names.statefulSet, what: "starting session '\(handle.sessionID)'"
        ) { object in
            guard object["spec"]["replicas"].int != 1 else { return false }
            object["spec"]["replicas"] = 1
            return true
        }
    }

    /// Creates the Secret, home claim, data-link volumes and claims and the Service
    /// that do not exist yet, owned by `statefulSet`.
    func ensureDependents(_ request: ProviderSessionRequest, statefulSet: KubeObject, snapshot: String?) async throws {
        let objects = SessionObjects(request: request, configuration: configuration, namespace: namespace)
        let names = objects.names
        let owner = objects.ownerReference(uid: statefulSet["metadata"]["uid"].string ?? "")
        let what = "creating the objects of session '\(request.sessionID)'"
        let secret = try await client.createIfAbsent(
            .secrets, namespace: namespace, objects.secret(token: Self.newToken(), owner: owner), what: what)
        if let token = secret["data"]["token"].string.flatMap({ Data(base64Encoded: $0) }) {
            tokens.withLock { $0[request.sessionID] = String(decoding: token, as: UTF8.self) }
        }
        if let claim = objects.homeClaim(owner: owner, snapshot: snapshot) {
            _ = try await client.createIfAbsent(.persistentVolumeClaims, namespace: namespace, claim, what: what)
        }
        try await ensureDataLinks(objects, owner: owner, what: what)
        _ = try await client.createIfAbsent(.services, namespace: namespace, objects.service(owner: owner), what: what)
        logger.debug("session objects in place", metadata: ["session.id": "\(request.sessionID)", "k8s.statefulset": "\(names.statefulSet)"])
    }

    /// The data-links' volumes and claims.
    func ensureDataLinks(_ objects: SessionObjects, owner: KubeObject, what: String) async throws {
        for link in objects.request.dataLinks {
            if let volume = objects.dataLinkVolume(link) {
                _ = try await client.createIfAbsent(.persistentVolumes, namespace: nil, volume, what: what)
            }
            if let claim = objects.dataLinkClaim(link, owner: owner) {
                _ = try await client.createIfAbsent(.persistentVolumeClaims, namespace: namespace, claim, what: what)
            }
        }
    }

    /// A new session token: 32 random bytes in hex.
    static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    /// Checks what the request names exists: the home and data claims, and the
    /// checkpoint's VolumeSnapshot (whose name is returned).
    ///
    /// - Throws: `NOT_FOUND` naming what is missing.
    func checkReferences(_ request: ProviderSessionRequest) async throws -> String? {
        let what = "checking the volumes of session '\(request.sessionID)'"
        var claims: [String] = request.dataVolumes.map(\.source)
        if case .existing(let name) = request.homeVolume { claims.insert(name, at: 0) }
        for claim in claims {
            guard KubeNames.isDNSSubdomain(claim) else {
                throw SessionError(.invalidArgument, "'\(DataLinkRules.printable(claim))' is not a PersistentVolumeClaim name")
            }
            guard try await client.get(.persistentVolumeClaims, namespace: namespace, name: claim, what: what) != nil else {
                throw SessionError(.notFound, "the PersistentVolumeClaim '\(claim)' does not exist in namespace '\(namespace)'")
            }
        }
        guard let checkpoint = request.restoreFrom else { return nil }
        let name = try snapshotName(of: checkpoint)
        guard let snapshot = try await client.get(.volumeSnapshots, namespace: namespace, name: name, what: what),
              snapshot["metadata"]["deletionTimestamp"].isNull else {
            throw SessionError(
                .notFound, "checkpoint '\(checkpoint.name)' (\(checkpoint.id)) has no VolumeSnapshot '\(name)' in namespace '\(namespace)'; it was deleted or never taken")
        }
        return name
    }

    /// Refuses what the backend cannot express, before any call.
    func validate(_ request: ProviderSessionRequest) throws(SessionError) {
        try request.validateForProcess()
        if request.resources.cpuMillis > configuration.maxCPUMillis {
            throw SessionError(
                .resourceExhausted,
                "the session asks for \(SessionObjects.cpu(request.resources.cpuMillis)) CPUs; sessions on this environment may have at most \(SessionObjects.cpu(configuration.maxCPUMillis))")
        }
        if request.resources.memoryBytes > configuration.maxMemoryBytes {
            throw SessionError(
                .resourceExhausted,
                "the session asks for \(SessionObjects.bytes(request.resources.memoryBytes)) of memory; sessions on this environment may have at most \(SessionObjects.bytes(configuration.maxMemoryBytes))")
        }
        if request.resources.gpus > configuration.maxGPUs {
            throw SessionError(
                .resourceExhausted, "the session asks for \(request.resources.gpus) GPUs; sessions on this environment may have at most \(configuration.maxGPUs)")
        }
        if !request.computePool.isEmpty, !configuration.pools.isEmpty, configuration.pools[request.computePool] == nil {
            throw SessionError(
                .invalidArgument,
                "compute pool '\(DataLinkRules.printable(request.computePool))' is not configured; use one of \(configuration.pools.keys.sorted().joined(separator: ", "))")
        }
        guard !request.image.isEmpty, !request.image.contains(where: { $0.isWhitespace }) else {
            throw SessionError(.invalidArgument, "the image '\(DataLinkRules.printable(request.image))' is not an image reference")
        }
        var paths: Set<String> = [configuration.homeMountPath]
        for link in request.dataLinks {
            let name = link.mountPath.dropFirst(DataLinkRules.mountRoot.count + 1)
            guard link.mountPath.hasPrefix(DataLinkRules.mountRoot + "/"), !name.isEmpty, !name.contains("/"),
                  (try? DataLinkRules.normalizeName(String(name))) == String(name) else {
                throw SessionError(
                    .invalidArgument,
                    "data-link '\(link.dataLink.id)' must be mounted at \(DataLinkRules.mountRoot)/<name>, not '\(DataLinkRules.printable(link.mountPath))'")
            }
            guard paths.insert(link.mountPath).inserted else {
                throw SessionError(.invalidArgument, "two data-links are mounted at \(link.mountPath)")
            }
            try checkHostPath(link)
        }
        for volume in request.dataVolumes {
            guard volume.mountPath.hasPrefix("/"), !volume.mountPath.split(separator: "/").contains(".."),
                  paths.insert(volume.mountPath).inserted else {
                throw SessionError(
                    .invalidArgument, "data volume '\(volume.source)' must be mounted at an absolute path of its own, not '\(DataLinkRules.printable(volume.mountPath))'")
            }
        }
        if case .new(let size) = request.homeVolume, size < 0 {
            throw SessionError(.invalidArgument, "the home volume's size \(size) is negative")
        }
    }

    /// Refuses a `file://` data-link the environment does not allow as a `hostPath`
    /// volume: any at the `restricted` and `baseline` levels, and at `privileged` one
    /// outside ``Configuration/hostPathRoots``.
    ///
    /// - Throws: `FAILED_PRECONDITION` naming the link, its path and the setting to change.
    func checkHostPath(_ link: DataLinkMount) throws(SessionError) {
        let location = link.dataLink.location
        guard location.scheme == .file else { return }
        let path = DataLinkRules.printable("/" + location.prefix)
        let what = "data-link '\(DataLinkRules.printable(link.dataLink.id))' (\(DataLinkRules.printable(location.description))) would mount the node's directory \(path) as a hostPath volume"
        guard configuration.podSecurity == .privileged else {
            throw SessionError(
                .failedPrecondition,
                "\(what), which this compute environment does not allow: its kubernetes setting 'podSecurity' is '\(configuration.podSecurity.rawValue)', and only 'podSecurity: privileged' with a 'hostPathRoots' entry containing \(path) allows it")
        }
        guard configuration.hostPathRoot(containing: "/" + location.prefix) != nil else {
            let roots = configuration.hostPathRoots.isEmpty ? "none" : configuration.hostPathRoots.joined(separator: ", ")
            throw SessionError(
                .failedPrecondition,
                "\(what), which is not under the compute environment's kubernetes setting 'hostPathRoots' (\(roots)); add a directory containing \(path) to it to allow this link")
        }
    }

    /// The VolumeSnapshot of a checkpoint, from its location `<namespace>/<name>`.
    ///
    /// - Throws: `NOT_FOUND` for a location of another namespace or backend.
    func snapshotName(of checkpoint: Checkpoint) throws(SessionError) -> String {
        let parts = checkpoint.location.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, KubeNames.isDNSSubdomain(String(parts[1])) else {
            throw SessionError(.notFound, "checkpoint '\(checkpoint.name)' has the location '\(DataLinkRules.printable(checkpoint.location))', which is not a VolumeSnapshot of this backend")
        }
        guard parts[0] == namespace else {
            throw SessionError(
                .notFound, "checkpoint '\(checkpoint.name)' is a VolumeSnapshot in namespace '\(parts[0])'; clones can be made only in '\(namespace)', where the snapshot must be")
        }
        return String(parts[1])
    }

    // MARK: Pause, resume, delete

    /// Scales the StatefulSet to zero and marks it paused; the volumes are kept. The
    /// gateway takes the final checkpoint (``createCheckpoint(_:checkpoint:)``) first.
    ///
    /// - Throws: `NOT_FOUND` when the session was deleted.
    public func pauseSession(_ handle: SessionHandle) async throws -> ProviderSessionStatus {
        let parsed = try KubeHandle(handle)
        return try await locks.withLock(parsed.sessionID) {
            let updated = try await client.update(
                .statefulSets, namespace: parsed.namespace, name: parsed.names.statefulSet, what: "pausing session '\(parsed.sessionID)'"
            ) { object in
                let paused = object["metadata"]["annotations"][KubeNames.pausedAnnotation].string == "true"
                guard !(paused && object["spec"]["replicas"].int == 0) else { return false }
                object["spec"]["replicas"] = 0
                object["metadata"]["annotations"][KubeNames.pausedAnnotation] = "true"
                return true
            }
            guard let updated else { throw gone(parsed) }
            try requireOwnership(updated, parsed)
            logger.info("session paused", metadata: ["session.id": "\(parsed.sessionID)"])
            return try await observe(parsed)
        }
    }

    /// Applies the request (which may have been edited while paused: image, command,
    /// size, environment, data volumes and links) to the pod template and scales back to
    /// one replica; the home stays the same. Resuming a running session changes nothing.
    ///
    /// - Throws: `NOT_FOUND` when the session was deleted.
    public func resumeSession(_ handle: SessionHandle, request: ProviderSessionRequest) async throws -> ProviderSessionStatus {
        let parsed = try KubeHandle(handle)
        var request = request
        request.sessionID = parsed.sessionID
        try validate(request)
        return try await locks.withLock(parsed.sessionID) {
            let what = "resuming session '\(parsed.sessionID)'"
            guard let current = try await client.get(.statefulSets, namespace: parsed.namespace, name: parsed.names.statefulSet, what: what) else {
                throw gone(parsed)
            }
            try requireOwnership(current, parsed)
            let paused = current["metadata"]["annotations"][KubeNames.pausedAnnotation].string == "true"
            guard paused || current["spec"]["replicas"].int == 0, Self.awaitedBuild(of: current) == nil else {
                return try await observe(parsed)
            }
            // The home stays the one the session has.
            if let claim = Self.homeClaim(of: current), claim != parsed.names.homeClaim {
                request.homeVolume = .existing(claim)
            } else if case .existing = request.homeVolume {
                request.homeVolume = .new(sizeBytes: 0)
            }
            var objects = SessionObjects(request: request, configuration: configuration, namespace: parsed.namespace)
            objects.environmentJob = current["metadata"]["annotations"][KubeNames.environmentJobAnnotation].string
            let owner = objects.ownerReference(uid: current["metadata"]["uid"].string ?? "")
            try await ensureDataLinks(objects, owner: owner, what: what)
            try await updateSecret(objects, owner: owner, what: what)
            let template = objects.podTemplate()
            _ = try await client.update(.statefulSets, namespace: parsed.namespace, name: parsed.names.statefulSet, what: what) { object in
                object["spec"]["template"] = template
                object["spec"]["replicas"] = 1
                object["metadata"]["annotations"][KubeNames.pausedAnnotation] = nil
                return true
            }
            try await removeStaleDataLinks(objects, handle: parsed)
            logger.info("session resumed", metadata: ["session.id": "\(parsed.sessionID)"])
            return try await observe(parsed)
        }
    }

    /// The claim of the StatefulSet's `home` volume.
    static func homeClaim(of statefulSet: KubeObject) -> String? {
        statefulSet["spec"]["template"]["spec"]["volumes"].array.first { $0["name"].string == "home" }?["persistentVolumeClaim"]["claimName"].string
    }

    /// Puts the request's secret values in the session's Secret, keeping its token.
    func updateSecret(_ objects: SessionObjects, owner: KubeObject, what: String) async throws {
        let existing = try await client.update(.secrets, namespace: objects.namespace, name: objects.names.secret, what: what) { secret in
            let token = secret["data"]["token"]
            var wanted = objects.secret(token: "", owner: owner)["data"]
            wanted["token"] = token
            guard secret["data"] != wanted else { return false }
            secret["data"] = wanted
            return true
        }
        if existing == nil {
            _ = try await client.createIfAbsent(.secrets, namespace: objects.namespace, objects.secret(token: Self.newToken(), owner: owner), what: what)
        }
    }

    /// Deletes the data-link claims and volumes of links the request no longer mounts.
    func removeStaleDataLinks(_ objects: SessionObjects, handle: KubeHandle) async throws {
        let wanted = Set(objects.request.dataLinks.map { objects.names.dataLinkClaim(SessionObjects.linkName($0)) })
        let what = "removing data-links session '\(handle.sessionID)' no longer mounts"
        let selector = SessionObjects.sessionSelector(handle.names, instance: configuration.instance) + ",\(KubeNames.componentLabel)=data-link"
        for claim in try await client.list(.persistentVolumeClaims, namespace: handle.namespace, labelSelector: selector, what: what).items {
            guard let name = claim["metadata"]["name"].string, !wanted.contains(name) else { continue }
            try await client.delete(.persistentVolumeClaims, namespace: handle.namespace, name: name, what: what)
            if let volume = claim["spec"]["volumeName"].string {
                try await client.delete(.persistentVolumes, namespace: nil, name: volume, what: what)
            }
        }
    }

    /// Deletes the StatefulSet, waits (at most ``Configuration/deleteTimeout``) for its
    /// pod to stop, then removes the Service, Secret, home claim and data-link claims
    /// and volumes. Checkpoints are kept: the gateway deletes them. An unknown handle
    /// succeeds.
    public func deleteSession(_ handle: SessionHandle) async throws {
        guard let parsed = try? KubeHandle(handle) else { return }
        try await locks.withLock(parsed.sessionID) {
            try await removeObjects(of: parsed)
            _ = tokens.withLock { $0.removeValue(forKey: parsed.sessionID) }
            logger.info("session deleted", metadata: ["session.id": "\(parsed.sessionID)"])
        }
    }

    /// Removes every object of the session.
    func removeObjects(of handle: KubeHandle) async throws {
        let names = handle.names
        let namespace = handle.namespace
        let what = "deleting session '\(handle.sessionID)'"
        if let statefulSet = try await client.get(.statefulSets, namespace: namespace, name: names.statefulSet, what: what) {
            guard statefulSet["metadata"]["labels"][KubeNames.instanceLabel].string == configuration.instance else { return }
            try await client.delete(.statefulSets, namespace: namespace, name: names.statefulSet, what: what)
        }
        try await client.delete(.pods, namespace: namespace, name: names.pod, what: what)
        let deadline = ContinuousClock.now + configuration.deleteTimeout
        while try await client.get(.pods, namespace: namespace, name: names.pod, what: what) != nil, ContinuousClock.now < deadline {
            try await Task.sleep(for: configuration.pollInterval)
        }
        let selector = SessionObjects.sessionSelector(names, instance: configuration.instance)
        for (resource, scope) in [(KubeResource.services, namespace), (.secrets, namespace), (.persistentVolumeClaims, namespace)] {
            for object in try await client.list(resource, namespace: scope, labelSelector: selector, what: what).items {
                if let name = object["metadata"]["name"].string {
                    try await client.delete(resource, namespace: scope, name: name, what: what)
                }
            }
        }
        for volume in try await client.list(.persistentVolumes, namespace: nil, labelSelector: selector, what: what).items
        where volume["metadata"]["annotations"]["sessiongw.io/namespace"].string == namespace {
            if let name = volume["metadata"]["name"].string {
                try await client.delete(.persistentVolumes, namespace: nil, name: name, what: what)
            }
        }
    }

    /// `NOT_FOUND` for a session whose StatefulSet is gone.
    func gone(_ handle: KubeHandle) -> SessionError {
        SessionError(
            .notFound,
            "session '\(handle.sessionID)' no longer exists: its StatefulSet '\(handle.names.statefulSet)' is not in namespace '\(handle.namespace)'")
    }
}
