/// What a session used at one time: CPU since the previous sample, memory, the disk of
/// its working directory, and its GPUs.
public struct UtilizationSample: Hashable, Sendable {
    /// One GPU as `nvidia-smi` reports it.
    public struct GPU: Hashable, Sendable {
        /// The GPU's index on its machine.
        public var index: Int
        /// Its model, such as `NVIDIA H100 80GB HBM3`.
        public var name: String
        /// Percent of the last sample period in which a kernel ran; nil when the GPU does
        /// not report it (MIG mode), which is not zero.
        public var utilizationPercent: Double?
        /// Memory in use and in all, in bytes.
        public var memoryUsedBytes: Int64, memoryTotalBytes: Int64

        /// Creates a GPU sample.
        public init(index: Int, name: String, utilizationPercent: Double?, memoryUsedBytes: Int64, memoryTotalBytes: Int64) {
            self.index = index
            self.name = name
            self.utilizationPercent = utilizationPercent
            self.memoryUsedBytes = memoryUsedBytes
            self.memoryTotalBytes = memoryTotalBytes
        }
    }

    /// When it was taken, in seconds since the Unix epoch.
    public var time: Double
    /// CPUs busy on average since the previous sample (1.5: one and a half CPUs).
    public var cpuCores: Double
    /// Resident memory of the session's processes, and what they may use.
    public var memoryUsedBytes: Int64, memoryLimitBytes: Int64
    /// The filesystem of the session's working directory (its home): used and in all.
    public var diskUsedBytes: Int64, diskTotalBytes: Int64
    /// The GPUs; empty when the session has none, which is not zero utilization.
    public var gpus: [GPU]

    /// Creates a sample.
    public init(
        time: Double, cpuCores: Double, memoryUsedBytes: Int64, memoryLimitBytes: Int64, diskUsedBytes: Int64,
        diskTotalBytes: Int64, gpus: [GPU]
    ) {
        self.time = time
        self.cpuCores = cpuCores
        self.memoryUsedBytes = memoryUsedBytes
        self.memoryLimitBytes = memoryLimitBytes
        self.diskUsedBytes = diskUsedBytes
        self.diskTotalBytes = diskTotalBytes
        self.gpus = gpus
    }
}
