import Foundation
import Logging
public import SessionSDK

extension KubernetesProvider {
    /// Grows a session's home claim to `size` bytes (whole MiB) by raising its storage
    /// request; the StorageClass's resizer and the kubelet then expand the volume and its
    /// filesystem online (the claim's conditions Resizing, then FileSystemResizePending
    /// while a pod must mount it). Claims never shrink: a smaller size leaves the claim
    /// as it is. Returns the size requested now.
    ///
    /// - Throws: `UNIMPLEMENTED` without ``Configuration/expandHomes``, `NOT_FOUND`
    ///   when the session is gone, `FAILED_PRECONDITION` for an existing claim as home,
    ///   `PERMISSION_DENIED` when the StorageClass does not allow expansion.
    public func resizeHome(_ handle: SessionHandle, toBytes size: Int64) async throws -> Int64 {
        guard configuration.expandHomes else {
            throw Self.unimplemented("resizing homes (set expandHomes)", capability: .growingHome)
        }
        let parsed = try KubeHandle(handle)
        guard size > 0 else { throw SessionError(.invalidArgument, "a home's size must be more than 0 bytes, not \(size)") }
        let what = "resizing the home of session '\(parsed.sessionID)'"
        return try await locks.withLock(parsed.sessionID) {
            guard let statefulSet = try await client.get(.statefulSets, namespace: parsed.namespace, name: parsed.names.statefulSet, what: what) else {
                throw gone(parsed)
            }
            try requireOwnership(statefulSet, parsed)
            guard (Self.homeClaim(of: statefulSet) ?? parsed.names.homeClaim) == parsed.names.homeClaim else {
                throw SessionError(.failedPrecondition, "the home of session '\(parsed.sessionID)' is an existing claim; the backend does not resize it")
            }
            let wanted = (size + (1 << 20) - 1) >> 20
            var requested: Int64 = 0
            let updated = try await client.update(.persistentVolumeClaims, namespace: parsed.namespace, name: parsed.names.homeClaim, what: what) { claim in
                let current = Self.parseQuantity(claim["spec"]["resources"]["requests"]["storage"].string ?? "").map { ($0 + (1 << 20) - 1) >> 20 } ?? 0
                requested = max(current, wanted)
                guard wanted > current else { return false }
                claim["spec"]["resources"]["requests"]["storage"] = .string("\(wanted)Mi")
                return true
            }
            guard updated != nil else { throw gone(parsed) }
            logger.info("home claim resized", metadata: ["session.id": "\(parsed.sessionID)", "home.mebibytes": "\(requested)"])
            return requested << 20
        }
    }
}
