import Foundation
public import SessionSDK

extension KubernetesProvider {
    /// Takes a VolumeSnapshot (snapshot.storage.k8s.io/v1, of
    /// ``Configuration/snapshotClass``) of the session's home claim, named after the
    /// checkpoint, and waits until it is ready to use. Taking the same checkpoint again
    /// returns the same snapshot.
    ///
    /// - Returns: the checkpoint with its location `<namespace>/<snapshot>` and size.
    /// - Throws: `NOT_FOUND` when the session was deleted, `INTERNAL` when the snapshot
    ///   controller reports an error, `DEADLINE_EXCEEDED` when it is not ready within
    ///   ``Configuration/snapshotTimeout``.
    public func createCheckpoint(_ handle: SessionHandle, checkpoint: Checkpoint) async throws -> Checkpoint {
        let parsed = try KubeHandle(handle)
        let what = "taking checkpoint '\(checkpoint.name)' of session '\(parsed.sessionID)'"
        let name = try await locks.withLock(parsed.sessionID) {
            guard let statefulSet = try await client.get(.statefulSets, namespace: parsed.namespace, name: parsed.names.statefulSet, what: what) else {
                throw gone(parsed)
            }
            try requireOwnership(statefulSet, parsed)
            let claim = Self.homeClaim(of: statefulSet) ?? parsed.names.homeClaim
            let workspace = WorkspaceID(rawValue: statefulSet["metadata"]["annotations"][KubeNames.workspaceAnnotation].string ?? "default")
            var wanted = checkpoint
            wanted.session = parsed.sessionID
            let snapshot = SessionObjects.snapshot(wanted, claim: claim, namespace: parsed.namespace, workspace: workspace, configuration: configuration)
            let created = try await client.createIfAbsent(.volumeSnapshots, namespace: parsed.namespace, snapshot, what: what)
            return created["metadata"]["name"].string ?? parsed.names.snapshot(checkpoint.id)
        }
        let deadline = ContinuousClock.now + configuration.snapshotTimeout
        while true {
            guard let snapshot = try await client.get(.volumeSnapshots, namespace: parsed.namespace, name: name, what: what) else {
                throw SessionError(.aborted, "\(what): the VolumeSnapshot '\(name)' disappeared while it was being taken; retry")
            }
            let status = snapshot["status"]
            if status["readyToUse"].bool == true {
                var taken = checkpoint
                taken.location = "\(parsed.namespace)/\(name)"
                if let size = status["restoreSize"].string.flatMap(Self.parseQuantity) { taken.sizeBytes = size }
                return taken
            }
            if let message = status["error"]["message"].string {
                throw SessionError(.internalError, "\(what): the snapshot controller reports: \(message.prefix(400))")
            }
            guard ContinuousClock.now < deadline else {
                throw SessionError(
                    .deadlineExceeded, "\(what): the VolumeSnapshot '\(name)' was not ready within \(configuration.snapshotTimeout.components.seconds) s")
            }
            try await Task.sleep(for: configuration.pollInterval)
        }
    }

    /// Deletes the checkpoint's VolumeSnapshot (its content goes with it under the
    /// class's `deletionPolicy: Delete`). Idempotent: a snapshot already gone is success.
    ///
    /// - Throws: `INVALID_ARGUMENT` when the location is not the snapshot this backend
    ///   takes for the checkpoint (another namespace's, session's or checkpoint's, or
    ///   another backend's); `PERMISSION_DENIED` when the snapshot there is not this
    ///   checkpoint of this gateway instance. Nothing is deleted then.
    public func deleteCheckpoint(_ checkpoint: Checkpoint) async throws {
        let name = KubeNames(sessionID: checkpoint.session).snapshot(checkpoint.id)
        guard checkpoint.location == "\(namespace)/\(name)" else {
            throw SessionError(
                .invalidArgument,
                "checkpoint '\(checkpoint.id)' has the location '\(DataLinkRules.printable(String(checkpoint.location.prefix(300))))', "
                    + "which is not the VolumeSnapshot this backend took for it ('\(namespace)/\(name)'); nothing was deleted")
        }
        let what = "deleting checkpoint '\(checkpoint.name)'"
        guard let snapshot = try await client.get(.volumeSnapshots, namespace: namespace, name: name, what: what) else { return }
        let metadata = snapshot["metadata"]
        guard metadata["annotations"][KubeNames.checkpointAnnotation].string == checkpoint.id.rawValue,
              metadata["labels"][KubeNames.instanceLabel].string == configuration.instance else {
            throw SessionError(
                .permissionDenied,
                "the VolumeSnapshot '\(name)' in namespace '\(namespace)' is not checkpoint '\(checkpoint.id)' of this gateway; nothing was deleted")
        }
        try await client.delete(.volumeSnapshots, namespace: namespace, name: name, what: what)
    }

    /// Bytes of a quantity such as `5Gi`, `1G`, `512Mi` or `1048576`.
    static func parseQuantity(_ text: String) -> Int64? {
        let suffixes: [(String, Double)] = [
            ("Ki", 0x1p10), ("Mi", 0x1p20), ("Gi", 0x1p30), ("Ti", 0x1p40), ("Pi", 0x1p50),
            ("k", 1e3), ("M", 1e6), ("G", 1e9), ("T", 1e12), ("P", 1e15),
        ]
        for (suffix, factor) in suffixes where text.hasSuffix(suffix) {
            return Double(text.dropLast(suffix.count)).map { Int64($0 * factor) }
        }
        return Double(text).map { Int64($0) }
    }
}
