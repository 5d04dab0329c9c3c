import SessionAPI

/// How compute environments look to people.
enum EnvironmentView {
    /// The columns of ``table(_:)``.
    static let columns = ["ID", "BACKEND", "POOLS", "WRITABLE BUCKETS", "DISK LIMIT"]

    /// One row per environment; POOLS marks the default pool with `*`.
    static func table(_ environments: [V1ComputeEnvironment]) -> TextTable {
        TextTable(columns: columns, rows: environments.map { environment in
            [
                environment.id,
                environment.backend,
                environment.pools.map { $0 == environment.defaultPool ? "\($0)*" : $0 }.joined(separator: ", "),
                environment.writableBuckets.joined(separator: ", "),
                environment.diskLimitBytes > 0 ? HumanUnits.bytes(environment.diskLimitBytes) : "",
            ]
        })
    }
}
