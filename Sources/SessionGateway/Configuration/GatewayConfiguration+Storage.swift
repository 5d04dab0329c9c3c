public import SessionSDK

extension GatewayConfiguration {
    /// How homes that are filesystems of their own (``SessionSDK/ProviderCapability/growingHome``)
    /// are sized: a new one starts at ``initialBytes``; whenever its session's agent
    /// reports less than ``minimumFreeBytes`` free, it grows by ``stepBytes``, within the
    /// compute environment's disk limit, which the workspace's sessions in that
    /// environment share; a resumed session starts again with ``initialBytes`` free over
    /// what it held. Homes on elastic storage (``SessionSDK/ProviderCapability/elasticHome``)
    /// have no size: the same steps raise their share of the limit as their agent
    /// measures them fill, and a session that holds more than the limit leaves it for
    /// ``elasticGrace`` is paused. Homes of other backends keep the size they were
    /// created with.
    public struct Storage: Hashable, Sendable {
        /// Whether homes grow (`storage.autoResize`; default true).
        public var autoResize = true
        /// A new home's size, and the free space a resumed one starts with (`storage.initial`; 2 GiB).
        public var initialBytes: Int64 = 2 << 30
        /// How much a filling home grows at a time (`storage.step`; 2 GiB).
        public var stepBytes: Int64 = 2 << 30
        /// The free space under which a home grows (`storage.minimumFree`; 1 GiB).
        public var minimumFreeBytes: Int64 = 1 << 30
        /// How long an elastic home may hold more than its share of the limit before its
        /// session is paused (`storage.elasticGrace`; 10 minutes): time to delete files.
        public var elasticGrace: Duration = .seconds(600)

        /// The defaults.
        public init() {}

        /// Whether the gateway sizes the new homes of a backend with `capabilities`:
        /// homes grow, and the backend's are filesystems of their own or elastic.
        public func sizesHomes(of capabilities: Set<ProviderCapability>) -> Bool {
            autoResize && !capabilities.isDisjoint(with: [.growingHome, .elasticHome])
        }
    }
}

/// `storage:` as the file has it.
struct StorageModel: Decodable {
    var autoResize: Bool?
    var initial: String?
    var step: String?
    var minimumFree: String?
    var elasticGrace: String?

    func settings() throws -> GatewayConfiguration.Storage {
        var storage = GatewayConfiguration.Storage()
        storage.autoResize = autoResize ?? true
        if let initial { storage.initialBytes = try GatewayConfiguration.parseSize(initial, path: "storage.initial") }
        if let step { storage.stepBytes = try GatewayConfiguration.parseSize(step, path: "storage.step") }
        if let minimumFree { storage.minimumFreeBytes = try GatewayConfiguration.parseSize(minimumFree, path: "storage.minimumFree") }
        if let elasticGrace {
            storage.elasticGrace = try GatewayConfiguration.parseDuration(elasticGrace, path: "storage.elasticGrace")
        }
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
