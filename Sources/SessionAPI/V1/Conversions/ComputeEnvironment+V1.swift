public import SessionSDK

extension ComputeEnvironment {
    /// The compute environment of a message: an id and a backend are required; an
    /// empty default pool means none; a disk limit of 0 means 30 GiB.
    ///
    /// - Throws: `INVALID_ARGUMENT` naming the field, such as
    ///   `compute_environment.disk_limit_bytes`.
    public init(_ message: V1ComputeEnvironment, field: String = "compute_environment") throws(SessionError) {
        let defaultPool = try APIFieldRules.text(message.defaultPool, field: "\(field).default_pool")
        let diskLimit = try APIFieldRules.nonNegative(message.diskLimitBytes, field: "\(field).disk_limit_bytes")
        self.init(
            id: try APIFieldRules.required(message.id, field: "\(field).id"),
            workspace: try WorkspaceID(validating: message.workspace, field: "\(field).workspace"),
            backend: try APIFieldRules.required(message.backend, field: "\(field).backend"),
            pools: try APIFieldRules.texts(message.pools, field: "\(field).pools"),
            defaultPool: defaultPool.isEmpty ? nil : defaultPool,
            writableBuckets: try APIFieldRules.texts(message.writableBuckets, field: "\(field).writable_buckets"),
            diskLimitBytes: diskLimit == 0 ? 30 << 30 : diskLimit
        )
    }
}

extension V1ComputeEnvironment {
    /// The message of a compute environment.
    public init(_ environment: ComputeEnvironment) {
        self.init(
            id: environment.id,
            workspace: environment.workspace.rawValue,
            backend: environment.backend,
            pools: environment.pools,
            defaultPool: environment.defaultPool ?? "",
            writableBuckets: environment.writableBuckets,
            diskLimitBytes: environment.diskLimitBytes
        )
    }
}
