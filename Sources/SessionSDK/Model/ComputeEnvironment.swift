/// A backend instance sessions run on: which backend, its pools, the buckets sessions
/// may read and write, and the disk their storage may use.
public struct ComputeEnvironment: Hashable, Sendable, Identifiable {
    /// The environment's name, unique in its workspace.
    public var id: String
    /// The workspace it belongs to.
    public var workspace: WorkspaceID
    /// The backend kind, such as `local`, `slurm`, `kubernetes`, `awsbatch`, or the
    /// name of an out-of-process provider.
    public var backend: String
    /// Compute pools (partitions, queues, node pools) sessions may target.
    public var pools: [String]
    /// The pool used when a request names none.
    public var defaultPool: String?
    /// Buckets (S3 buckets, EFS file systems) sessions may mount read-write.
    public var writableBuckets: [String]
    /// The storage all its sessions may use together (30 GiB by default).
    public var diskLimitBytes: Int64
    /// The existing volumes or claims its sessions may use as home or data volumes;
    /// none by default, so that one workspace's or user's volume is never mounted
    /// where an operator did not list it.
    public var existingVolumes: [String] = []
    /// Buckets (S3 buckets, EFS file systems) sessions may mount read-only, besides the
    /// writable ones; none by default, so that a data-link to a bucket an operator did
    /// not list for this environment (another workspace's, say) is refused.
    public var readableBuckets: [String] = []

    /// Creates a compute environment.
    public init(
        id: String, workspace: WorkspaceID = .default, backend: String, pools: [String] = [],
        defaultPool: String? = nil, writableBuckets: [String] = [], diskLimitBytes: Int64 = 30 << 30
    ) {
        self.id = id
        self.workspace = workspace
        self.backend = backend
        self.pools = pools
        self.defaultPool = defaultPool
        self.writableBuckets = writableBuckets
        self.diskLimitBytes = diskLimitBytes
    }

    /// Whether sessions may write to `bucket`.
    public func allowsWrites(to bucket: String) -> Bool { writableBuckets.contains(bucket) }

    /// Whether sessions may mount `bucket` at all (read-only or read-write).
    public func allowsReads(from bucket: String) -> Bool { readableBuckets.contains(bucket) || allowsWrites(to: bucket) }
}
