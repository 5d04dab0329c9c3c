import SessionSDK

/// A session's spec as the store keeps it (`sessions.spec`, and inside change-log
/// snapshots); see ``StoreRecordFormat``.
///
/// ```json
/// {"v":1,"preset":"notebook","image":"python3","podSize":"","computeEnvironment":"local",
///  "computePool":"","environment":[{"name":"LOG_LEVEL","value":{"plain":{"_0":"debug"}}}],
///  "homeVolume":{"new":{"sizeBytes":1073741824}},"dataVolumes":[],"dataLinks":["d-…"],
///  "labels":{"team":"ml"},"durationLimit":[1561,4632500939389927424],"excludeWorkspaceSecrets":true,
///  "configurations":["proxy"],"excludedConfigurations":["conda"]}
/// ```
///
/// The preset, image and compute environment are required; every other field has a
/// default when it is missing. `durationLimit` is Swift's `Duration` encoding (the
/// 128-bit count of attoseconds as two 64-bit halves).
struct SessionSpecRecord: Codable {
    /// The spec.
    var spec: SessionSpec

    init(_ spec: SessionSpec) {
        self.spec = spec
    }

    private enum CodingKeys: String, CodingKey {
        case version = "v"
        case preset, image, podSize, resources, computeEnvironment, computePool, environment, homeVolume, dataVolumes
        case dataLinks, labels, durationLimit, excludeWorkspaceSecrets, configurations, excludedConfigurations
        case packages
    }

    init(from decoder: any Decoder) throws {
        let record = try decoder.container(keyedBy: CodingKeys.self)
        try StoreRecordFormat.check(
            record.decodeIfPresent(Int.self, forKey: .version), record: "session spec", codingPath: record.codingPath)
        spec = SessionSpec(
            preset: try record.decode(String.self, forKey: .preset),
            image: try record.decode(String.self, forKey: .image),
            podSize: try record.decodeIfPresent(String.self, forKey: .podSize) ?? "",
            resources: try record.decodeIfPresent(ResourcesRecord.self, forKey: .resources)?.resources,
            computeEnvironment: try record.decode(String.self, forKey: .computeEnvironment),
            computePool: try record.decodeIfPresent(String.self, forKey: .computePool) ?? "",
            environment: try record.decodeIfPresent([VariableRecord].self, forKey: .environment)?.map(\.variable) ?? [],
            homeVolume: try record.decodeIfPresent(HomeVolumeRecord.self, forKey: .homeVolume)?.volume
                ?? .new(sizeBytes: 5 << 30),
            dataVolumes: try record.decodeIfPresent([DataVolumeRecord].self, forKey: .dataVolumes)?.map(\.volume) ?? [],
            dataLinks: try record.decodeIfPresent([String].self, forKey: .dataLinks) ?? [],
            labels: try record.decodeIfPresent([String: String].self, forKey: .labels) ?? [:],
            durationLimit: try record.decodeIfPresent(Duration.self, forKey: .durationLimit))
        spec.inheritsWorkspaceSecrets = !(try record.decodeIfPresent(Bool.self, forKey: .excludeWorkspaceSecrets) ?? false)
        spec.configurations = try record.decodeIfPresent([String].self, forKey: .configurations) ?? []
        spec.excludedConfigurations = try record.decodeIfPresent([String].self, forKey: .excludedConfigurations) ?? []
        spec.packages = try record.decodeIfPresent([String].self, forKey: .packages) ?? []
    }

    func encode(to encoder: any Encoder) throws {
        var record = encoder.container(keyedBy: CodingKeys.self)
        try record.encode(StoreRecordFormat.current, forKey: .version)
        try record.encode(spec.preset, forKey: .preset)
        try record.encode(spec.image, forKey: .image)
        try record.encode(spec.podSize, forKey: .podSize)
        try record.encodeIfPresent(spec.resources.map(ResourcesRecord.init), forKey: .resources)
        try record.encode(spec.computeEnvironment, forKey: .computeEnvironment)
        try record.encode(spec.computePool, forKey: .computePool)
        try record.encode(spec.environment.map(VariableRecord.init), forKey: .environment)
        try record.encode(HomeVolumeRecord(spec.homeVolume), forKey: .homeVolume)
        try record.encode(spec.dataVolumes.map(DataVolumeRecord.init), forKey: .dataVolumes)
        try record.encode(spec.dataLinks, forKey: .dataLinks)
        try record.encode(spec.labels, forKey: .labels)
        try record.encodeIfPresent(spec.durationLimit, forKey: .durationLimit)
        if !spec.inheritsWorkspaceSecrets { try record.encode(true, forKey: .excludeWorkspaceSecrets) }
        if !spec.configurations.isEmpty { try record.encode(spec.configurations, forKey: .configurations) }
        if !spec.excludedConfigurations.isEmpty {
            try record.encode(spec.excludedConfigurations, forKey: .excludedConfigurations)
        }
        if !spec.packages.isEmpty { try record.encode(spec.packages, forKey: .packages) }
    }
}

/// `{"cpuMillis":2000,"memoryBytes":4294967296,"gpus":0}`.
private struct ResourcesRecord: Codable {
    var resources: Resources

    init(_ resources: Resources) {
        self.resources = resources
    }

    private enum CodingKeys: String, CodingKey {
        case cpuMillis, memoryBytes, gpus
    }

    init(from decoder: any Decoder) throws {
        let record = try decoder.container(keyedBy: CodingKeys.self)
        resources = Resources(
            cpuMillis: try record.decode(Int.self, forKey: .cpuMillis),
            memoryBytes: try record.decode(Int64.self, forKey: .memoryBytes),
            gpus: try record.decodeIfPresent(Int.self, forKey: .gpus) ?? 0)
    }

    func encode(to encoder: any Encoder) throws {
        var record = encoder.container(keyedBy: CodingKeys.self)
        try record.encode(resources.cpuMillis, forKey: .cpuMillis)
        try record.encode(resources.memoryBytes, forKey: .memoryBytes)
        try record.encode(resources.gpus, forKey: .gpus)
    }
}

/// `{"name":"A","value":{"plain":{"_0":"1"}}}` or `{"name":"K","value":{"secret":{"_0":"ref"}}}`:
/// a secret is kept as its reference, never its value.
private struct VariableRecord: Codable {
    var variable: SessionSpec.EnvironmentVariable

    init(_ variable: SessionSpec.EnvironmentVariable) {
        self.variable = variable
    }

    private enum CodingKeys: String, CodingKey {
        case name, value
    }

    private enum ValueKeys: String, CodingKey {
        case plain, secret
    }

    init(from decoder: any Decoder) throws {
        let record = try decoder.container(keyedBy: CodingKeys.self)
        let value = try record.nestedContainer(keyedBy: ValueKeys.self, forKey: .value)
        let name = try record.decode(String.self, forKey: .name)
        if value.contains(.secret) {
            variable = .init(name: name, value: .secret(try value.decode(Payload<String>.self, forKey: .secret).value))
        } else {
            variable = .init(name: name, value: .plain(try value.decode(Payload<String>.self, forKey: .plain).value))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var record = encoder.container(keyedBy: CodingKeys.self)
        try record.encode(variable.name, forKey: .name)
        var value = record.nestedContainer(keyedBy: ValueKeys.self, forKey: .value)
        switch variable.value {
        case .plain(let text): try value.encode(Payload(text), forKey: .plain)
        case .secret(let reference): try value.encode(Payload(reference), forKey: .secret)
        }
    }
}

/// `{"new":{"sizeBytes":5368709120}}` or `{"existing":{"_0":"claim"}}`.
private struct HomeVolumeRecord: Codable {
    var volume: SessionSpec.HomeVolume

    init(_ volume: SessionSpec.HomeVolume) {
        self.volume = volume
    }

    private enum CodingKeys: String, CodingKey {
        case new, existing
    }

    private enum SizeKeys: String, CodingKey {
        case sizeBytes
    }

    init(from decoder: any Decoder) throws {
        let record = try decoder.container(keyedBy: CodingKeys.self)
        if record.contains(.existing) {
            volume = .existing(try record.decode(Payload<String>.self, forKey: .existing).value)
        } else {
            let size = try record.nestedContainer(keyedBy: SizeKeys.self, forKey: .new)
            volume = .new(sizeBytes: try size.decode(Int64.self, forKey: .sizeBytes))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var record = encoder.container(keyedBy: CodingKeys.self)
        switch volume {
        case .new(let sizeBytes):
            var size = record.nestedContainer(keyedBy: SizeKeys.self, forKey: .new)
            try size.encode(sizeBytes, forKey: .sizeBytes)
        case .existing(let claim):
            try record.encode(Payload(claim), forKey: .existing)
        }
    }
}

/// `{"source":"datasets","mountPath":"/mnt/datasets","readOnly":true}`.
private struct DataVolumeRecord: Codable {
    var volume: SessionSpec.DataVolume

    init(_ volume: SessionSpec.DataVolume) {
        self.volume = volume
    }

    private enum CodingKeys: String, CodingKey {
        case source, mountPath, readOnly
    }

    init(from decoder: any Decoder) throws {
        let record = try decoder.container(keyedBy: CodingKeys.self)
        volume = .init(
            source: try record.decode(String.self, forKey: .source),
            mountPath: try record.decode(String.self, forKey: .mountPath),
            readOnly: try record.decodeIfPresent(Bool.self, forKey: .readOnly) ?? false)
    }

    func encode(to encoder: any Encoder) throws {
        var record = encoder.container(keyedBy: CodingKeys.self)
        try record.encode(volume.source, forKey: .source)
        try record.encode(volume.mountPath, forKey: .mountPath)
        try record.encode(volume.readOnly, forKey: .readOnly)
    }
}

/// `{"_0":value}`: an enum case's unlabeled associated value, as version 1 wrote it.
private struct Payload<Value: Codable>: Codable {
    var value: Value

    init(_ value: Value) {
        self.value = value
    }

    private enum CodingKeys: String, CodingKey {
        case value = "_0"
    }
}
