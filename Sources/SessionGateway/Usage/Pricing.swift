public import SessionSDK

/// What a compute environment charges, in one currency: compute while a session holds
/// it (per pod size, or per CPU-, GiB- and GPU-hour for sizes without a price), and
/// storage while a session is kept (per GiB-month of its home volume).
///
/// ```yaml
/// computeEnvironments:
///   - id: gpu-cluster
///     pricing:
///       currency: USD
///       podSizes: {small: 0.12, large: 2.90}   # per hour while compute is held
///       cpuHour: 0.04                           # sizes without a price: per CPU,
///       memoryGiBHour: 0.005                    #   GiB of memory and GPU
///       gpuHour: 2.10
///       storageGiBMonth: 0.10                   # per GiB of home volume, per month
/// ```
public struct Pricing: Hashable, Sendable {
    /// The currency of every price, such as `USD`.
    public var currency: String
    /// The hourly price of each pod size that has one, by size name.
    public var podSizeHourly: [String: Double]
    /// The hourly price of one CPU, for sizes without a price of their own.
    public var cpuHour: Double
    /// The hourly price of one GiB of memory, for sizes without a price of their own.
    public var memoryGiBHour: Double
    /// The hourly price of one GPU, for sizes without a price of their own.
    public var gpuHour: Double
    /// The monthly price of one GiB of home volume.
    public var storageGiBMonth: Double

    /// The hours of a billing month (365 × 24 / 12), which storage prices are per.
    public static let hoursPerMonth = 730.0

    /// Creates a price list; what is not given costs nothing.
    public init(
        currency: String, podSizeHourly: [String: Double] = [:], cpuHour: Double = 0, memoryGiBHour: Double = 0,
        gpuHour: Double = 0, storageGiBMonth: Double = 0
    ) {
        self.currency = currency
        self.podSizeHourly = podSizeHourly
        self.cpuHour = cpuHour
        self.memoryGiBHour = memoryGiBHour
        self.gpuHour = gpuHour
        self.storageGiBMonth = storageGiBMonth
    }

    /// The hourly price of compute of `podSize` with `resources`: the size's own price,
    /// else the price of its CPUs, memory and GPUs.
    public func computeHourly(podSize: String, resources: Resources) -> Double {
        if let price = podSizeHourly[podSize] { return price }
        return Double(resources.cpuMillis) / 1000 * cpuHour
            + Double(resources.memoryBytes) / Double(1 << 30) * memoryGiBHour
            + Double(resources.gpus) * gpuHour
    }

    /// The hourly price of keeping `bytes` of home volume.
    public func storageHourly(bytes: Int64) -> Double {
        Double(bytes) / Double(1 << 30) * storageGiBMonth / Self.hoursPerMonth
    }
}
