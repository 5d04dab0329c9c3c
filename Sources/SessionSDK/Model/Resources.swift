/// Compute for a session: CPU, memory and GPUs.
public struct Resources: Hashable, Sendable, CustomStringConvertible, Codable {
    /// CPU in thousandths of a core (2000 = 2 CPUs).
    public var cpuMillis: Int
    /// Memory in bytes.
    public var memoryBytes: Int64
    /// Whole GPUs.
    public var gpus: Int

    /// Creates resources.
    public init(cpuMillis: Int, memoryBytes: Int64, gpus: Int = 0) {
        self.cpuMillis = cpuMillis
        self.memoryBytes = memoryBytes
        self.gpus = gpus
    }

    /// `2 CPU / 8 GiB / 1 GPU`.
    public var description: String {
        let cpu = cpuMillis % 1000 == 0 ? "\(cpuMillis / 1000)" : "\(Double(cpuMillis) / 1000)"
        let memory = memoryBytes % (1 << 30) == 0 ? "\(memoryBytes >> 30) GiB" : "\(memoryBytes >> 20) MiB"
        return gpus > 0 ? "\(cpu) CPU / \(memory) / \(gpus) GPU" : "\(cpu) CPU / \(memory)"
    }
}
