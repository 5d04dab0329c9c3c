package import CProtobufC
package import CProtos
package import RPCTransport

/// A backend instance sessions run on.
///
/// The `sessiongw.v1.ComputeEnvironment` message.
public struct V1ComputeEnvironment: Sendable, Hashable {
    /// The environment's id, unique in its workspace.
    public var id: String
    /// The workspace it belongs to.
    public var workspace: String
    /// The backend kind, such as `local`, `slurm`, `kubernetes`, `awsbatch`, or the
    /// name of an out-of-process provider.
    public var backend: String
    /// The compute pools (partitions, queues, node pools) sessions may target.
    public var pools: [String]
    /// The pool used when a request names none; empty for the backend's default.
    public var defaultPool: String
    /// The buckets sessions may mount read-write; links to any other bucket are
    /// read-only.
    public var writableBuckets: [String]
    /// The storage all its sessions may use together, in bytes.
    public var diskLimitBytes: Int64

    /// Creates the message; every field defaults to its protobuf default.
    public init(
        id: String = "",
        workspace: String = "",
        backend: String = "",
        pools: [String] = [],
        defaultPool: String = "",
        writableBuckets: [String] = [],
        diskLimitBytes: Int64 = 0
    ) {
        self.id = id
        self.workspace = workspace
        self.backend = backend
        self.pools = pools
        self.defaultPool = defaultPool
        self.writableBuckets = writableBuckets
        self.diskLimitBytes = diskLimitBytes
    }
}

extension V1ComputeEnvironment: APIMessage {
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: sessiongw__v1__compute_environment__init)
    }

    package init(cStruct: UnsafeMutablePointer<Sessiongw__V1__ComputeEnvironment>) {
        let c = cStruct.pointee
        id = ProtobufCField.string(c.id)
        workspace = ProtobufCField.string(c.workspace)
        backend = ProtobufCField.string(c.backend)
        pools = ProtobufCField.strings(c.pools, count: c.n_pools)
        defaultPool = ProtobufCField.string(c.default_pool)
        writableBuckets = ProtobufCField.strings(c.writable_buckets, count: c.n_writable_buckets)
        diskLimitBytes = c.disk_limit_bytes
    }

    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Sessiongw__V1__ComputeEnvironment> {
        let message = arena.allocate(Sessiongw__V1__ComputeEnvironment.self)
        sessiongw__v1__compute_environment__init(message)
        message.pointee.id = arena.string(id)
        message.pointee.workspace = arena.string(workspace)
        message.pointee.backend = arena.string(backend)
        message.pointee.n_pools = pools.count
        message.pointee.pools = arena.strings(pools)
        message.pointee.default_pool = arena.string(defaultPool)
        message.pointee.n_writable_buckets = writableBuckets.count
        message.pointee.writable_buckets = arena.strings(writableBuckets)
        message.pointee.disk_limit_bytes = diskLimitBytes
        return message
    }
}
