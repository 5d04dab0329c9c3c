public import SessionSDK

extension GatewayConfiguration {
    /// How homes that are filesystems of their own (``SessionSDK/ProviderCapability/growingHome``)
    /// are sized: a new one starts at ``initialBytes``; whenever its session's agent
    /// reports less than ``minimumFreeBytes`` free, it grows by ``stepBytes``, within the
    /// compute environment's disk limit, which the workspace's sessions in that
    /// environment share; a resumed session starts again with ``initialBytes`` free over
    /// what it held. Homes of other backends keep the size they were created with.
    public struct Storage: Hashable, Sendable {
        /// Whether homes grow (`storage.autoResize`; default true).
        public var autoResize = true
        /// A new home's size, and the free space a resumed one starts with (`storage.initial`; 2 GiB).
        public var initialBytes: Int64 = 2 << 30
        /// How much a filling home grows at a time (`storage.step`; 2 GiB).
        public var stepBytes: Int64 = 2 << 30
        /// The free space under which a home grows (`storage.minimumFree`; 1 GiB).
        public var minimumFreeBytes: Int64 = 1 << 30

        /// The defaults.
        public init() {}
    }
}

/// `storage:` as the file has it.
struct StorageModel: Decodable {
    var autoResize: Bool?
    var initial: String?
    var step: String?
    var minimumFree: String?

    func settings() throws -> GatewayConfiguration.Storage {
        var storage = GatewayConfiguration.Storage()
        storage.autoResize = autoResize ?? true
        if let initial { storage.initialBytes = try GatewayConfiguration.parseSize(initial, path: "storage.initial") }
        if let step { storage.stepBytes = try GatewayConfiguration.parseSize(step, path: "storage.step") }
        if let minimumFree { storage.minimumFreeBytes = try GatewayConfiguration.parseSize(minimumFree, path: "storage.minimumFree") }
        for (value, field) in [(storage.initialBytes, "initial"), (storage.stepBytes, "step"), (storage.minimumFreeBytes, "minimumFree")]
        where value <= 0 {
            throw ConfigurationError(path: "storage.\(field)", message: "must be more than 0 bytes")
        }
        guard storage.minimumFreeBytes < storage.initialBytes else {
            throw ConfigurationError(path: "storage.minimumFree", message: "must be less than storage.initial, or every home would grow at once")
        }
        return storage
    }
}
