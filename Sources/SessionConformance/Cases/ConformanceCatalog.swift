/// Every case of the suite, one file per group (`ConformanceCatalog+GROUP.swift`).
enum ConformanceCatalog {
    /// Every case, in the order the suite runs them.
    static let all: [ConformanceCase] =
        identity + create + describe + lifecycle + dataLinks + checkpoints + delete + watch + terminals + concurrency
}
