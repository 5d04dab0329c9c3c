import SessionSDK

/// A session's utilization sample as the store keeps it (`utilization_samples.sample`):
/// `{"v":1,"t":…,"cpu":…,"mem":…,"memLimit":…,"disk":…,"diskTotal":…,"gpus":[{"i":0,
/// "name":"…","util":35,"mem":…,"memTotal":…}]}`, a GPU's `util` absent when it reports
/// none; see ``StoreRecordFormat``.
struct UtilizationRecord: Codable {
    /// The sample.
    var sample: UtilizationSample

    init(_ sample: UtilizationSample) {
        self.sample = sample
    }

    private enum CodingKeys: String, CodingKey {
        case version = "v"
        case time = "t", cpu, memory = "mem", memoryLimit = "memLimit", disk, diskTotal, gpus
    }

    private enum GPUKeys: String, CodingKey {
        case index = "i", name, utilization = "util", memory = "mem", memoryTotal = "memTotal"
    }

    init(from decoder: any Decoder) throws {
        let record = try decoder.container(keyedBy: CodingKeys.self)
        try StoreRecordFormat.check(
            record.decodeIfPresent(Int.self, forKey: .version), record: "utilization sample", codingPath: record.codingPath)
        var gpus: [UtilizationSample.GPU] = []
        if var list = try? record.nestedUnkeyedContainer(forKey: .gpus) {
            while !list.isAtEnd {
                let gpu = try list.nestedContainer(keyedBy: GPUKeys.self)
                gpus.append(UtilizationSample.GPU(
                    index: try gpu.decode(Int.self, forKey: .index), name: try gpu.decode(String.self, forKey: .name),
                    utilizationPercent: try gpu.decodeIfPresent(Double.self, forKey: .utilization),
                    memoryUsedBytes: try gpu.decode(Int64.self, forKey: .memory),
                    memoryTotalBytes: try gpu.decode(Int64.self, forKey: .memoryTotal)))
            }
        }
        sample = UtilizationSample(
            time: try record.decode(Double.self, forKey: .time), cpuCores: try record.decode(Double.self, forKey: .cpu),
            memoryUsedBytes: try record.decode(Int64.self, forKey: .memory),
            memoryLimitBytes: try record.decode(Int64.self, forKey: .memoryLimit),
            diskUsedBytes: try record.decode(Int64.self, forKey: .disk),
            diskTotalBytes: try record.decode(Int64.self, forKey: .diskTotal), gpus: gpus)
    }

    func encode(to encoder: any Encoder) throws {
        var record = encoder.container(keyedBy: CodingKeys.self)
        try record.encode(StoreRecordFormat.current, forKey: .version)
        try record.encode(sample.time, forKey: .time)
        try record.encode(sample.cpuCores, forKey: .cpu)
        try record.encode(sample.memoryUsedBytes, forKey: .memory)
        try record.encode(sample.memoryLimitBytes, forKey: .memoryLimit)
        try record.encode(sample.diskUsedBytes, forKey: .disk)
        try record.encode(sample.diskTotalBytes, forKey: .diskTotal)
        var list = record.nestedUnkeyedContainer(forKey: .gpus)
        for gpu in sample.gpus {
            var entry = list.nestedContainer(keyedBy: GPUKeys.self)
            try entry.encode(gpu.index, forKey: .index)
            try entry.encode(gpu.name, forKey: .name)
            try entry.encodeIfPresent(gpu.utilizationPercent, forKey: .utilization)
            try entry.encode(gpu.memoryUsedBytes, forKey: .memory)
            try entry.encode(gpu.memoryTotalBytes, forKey: .memoryTotal)
        }
    }
}
