public import SessionSDK

extension Resources {
    /// The resources of a message: CPU and memory more than 0, GPUs 0 or more.
    ///
    /// - Throws: `INVALID_ARGUMENT` naming the field, such as `spec.resources.cpu_millis`.
    public init(_ message: V1Resources, field: String = "resources") throws(SessionError) {
        guard message.cpuMillis > 0, let cpuMillis = Int(exactly: message.cpuMillis) else {
            throw APIFieldRules.invalid("\(field).cpu_millis", "must be more than 0")
        }
        guard message.memoryBytes > 0 else {
            throw APIFieldRules.invalid("\(field).memory_bytes", "must be more than 0")
        }
        guard message.gpus >= 0 else { throw APIFieldRules.invalid("\(field).gpus", "must not be negative") }
        self.init(cpuMillis: cpuMillis, memoryBytes: message.memoryBytes, gpus: Int(message.gpus))
    }
}

extension V1Resources {
    /// The message of resources. A GPU count beyond `Int32.max` is clamped to it.
    public init(_ resources: Resources) {
        self.init(
            cpuMillis: Int64(resources.cpuMillis),
            memoryBytes: resources.memoryBytes,
            gpus: Int32(clamping: resources.gpus)
        )
    }
}
