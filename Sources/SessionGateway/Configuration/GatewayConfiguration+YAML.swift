internal import Foundation
internal import SessionAPI
internal import SessionSDK
internal import RPCTransport
internal import Yams

/// A configuration file that cannot be used, with where and why.
public struct ConfigurationError: Error, CustomStringConvertible {
    /// The setting, such as `presets[1].podSizes`.
    public var path: String
    /// What is wrong with it.
    public var message: String

    /// Creates an error for the setting at `path`.
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    /// `path: message`.
    public var description: String { "configuration \(path): \(message)" }
}

extension GatewayConfiguration {
    /// Parses and validates a YAML configuration. Settings it omits take the embedded
    /// default's values; `dataDirectory` is used when the file names none.
    public static func load(yaml: String, dataDirectory: String) throws -> GatewayConfiguration {
        let file: FileModel
        do {
            file = try YAMLDecoder().decode(FileModel.self, from: yaml)
        } catch {
            throw ConfigurationError(path: "(file)", message: "is not valid YAML for this schema: \(error)")
        }
        let defaults = embeddedDefault(dataDirectory: file.dataDirectory ?? dataDirectory)
        var configuration = defaults
        if let listen = file.listen { configuration.listen = listen }
        if let value = file.reconcileInterval {
            configuration.reconcileInterval = try parseDuration(value, path: "reconcileInterval")
        }
        if let value = file.checkpointInterval {
            configuration.checkpointInterval = try parseDuration(value, path: "checkpointInterval")
        }
        if let value = file.utilizationInterval {
            configuration.utilizationInterval = try parseDuration(value, path: "utilizationInterval")
        }
        if let environments = file.computeEnvironments {
            configuration.environments = try environments.enumerated().map { index, model in
                try model.environment(path: "computeEnvironments[\(index)]")
            }
        }
        if let presets = file.presets {
            configuration.presets = try presets.enumerated().map { index, model in
                try model.preset(path: "presets[\(index)]")
            }
        }
        configuration.idle = try (file.idle ?? IdleModel()).settings(presets: try file.presetIdleOverrides())
        configuration.secretsKeyFile = file.secretsKeyFile
        configuration.workspaceConfigurations = try (file.configurations ?? []).enumerated().map { index, model in
            try model.configuration(path: "configurations[\(index)]")
        }
        configuration.access = try file.access()
        if let connect = file.connect { configuration.connect = try connect.settings() }
        if let retention = file.retention { configuration.retention = try retention.settings() }
        if let storage = file.storage { configuration.storage = try storage.settings() }
        if let tls = file.tls {
            for (path, field) in [(tls.certificate, "certificate"), (tls.privateKey, "privateKey")] + (tls.clientCA.map { [($0, "clientCA")] } ?? [])
            where !FileManager.default.isReadableFile(atPath: path) {
                throw ConfigurationError(path: "tls.\(field)", message: "cannot read '\(path)'")
            }
            configuration.tls = TLS(certificate: tls.certificate, privateKey: tls.privateKey, clientCertificateAuthority: tls.clientCA)
        }
        try configuration.validate()
        return configuration
    }

    /// Checks cross-references: unique ids, known pools, at least one listener.
    public func validate() throws {
        guard !listen.isEmpty else { throw ConfigurationError(path: "listen", message: "needs at least one address") }
        var seenEnvironments = Set<String>()
        for (index, entry) in environments.enumerated() {
            let key = "\(entry.environment.workspace)/\(entry.environment.id)"
            guard seenEnvironments.insert(key).inserted else {
                throw ConfigurationError(path: "computeEnvironments[\(index)].id", message: "'\(key)' is defined twice")
            }
            if let pool = entry.environment.defaultPool, !entry.environment.pools.contains(pool) {
                throw ConfigurationError(
                    path: "computeEnvironments[\(index)].defaultPool", message: "'\(pool)' is not one of its pools")
            }
        }
        var seenPresets = Set<String>()
        for (index, preset) in presets.enumerated() {
            guard seenPresets.insert(preset.id).inserted else {
                throw ConfigurationError(path: "presets[\(index)].id", message: "'\(preset.id)' is defined twice")
            }
            guard preset.podSize(named: preset.defaultPodSize) != nil else {
                throw ConfigurationError(
                    path: "presets[\(index)].defaultPodSize", message: "'\(preset.defaultPodSize)' is not one of its pod sizes")
            }
            guard !preset.images.isEmpty, !preset.command.isEmpty else {
                throw ConfigurationError(path: "presets[\(index)]", message: "needs at least one image and a command")
            }
        }
        try validateIdle()
        var seenConfigurations = Set<String>()
        for (index, configuration) in workspaceConfigurations.enumerated() {
            guard seenConfigurations.insert("\(configuration.workspace)/\(configuration.name)").inserted else {
                throw ConfigurationError(
                    path: "configurations[\(index)].name",
                    message: "'\(configuration.name)' is defined twice in workspace '\(configuration.workspace)'")
            }
        }
    }

    // MARK: Values

    /// Parses `2GiB`, `512MiB`, `1G`, `1500000` (bytes).
    ///
    /// - Throws: ``ConfigurationError`` naming `path`.
    public static func parseSize(_ text: String, path: String) throws -> Int64 {
        let units: [(String, Int64)] = [
            ("TiB", 1 << 40), ("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10),
            ("T", 1_000_000_000_000), ("G", 1_000_000_000), ("M", 1_000_000), ("K", 1_000), ("B", 1),
        ]
        let trimmed = text.filter { $0 != " " }
        for (suffix, scale) in units where trimmed.hasSuffix(suffix) {
            if let value = Double(trimmed.dropLast(suffix.count)), value >= 0 { return Int64(value * Double(scale)) }
        }
        if let value = Int64(trimmed), value >= 0 { return value }
        throw ConfigurationError(path: path, message: "'\(text)' is not a size such as 512MiB or 2GiB")
    }

    /// Parses `300ms`, `10s`, `5m`, `2h`.
    ///
    /// - Throws: ``ConfigurationError`` naming `path`.
    public static func parseDuration(_ text: String, path: String) throws -> Duration {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            if let value = Double(text.dropLast(suffix.count)), value > 0 {
                return .milliseconds(Int64(value * scale * 1000))
            }
        }
        throw ConfigurationError(path: path, message: "'\(text)' is not a duration such as 10s or 5m")
    }
}

// MARK: The file's schema

private struct FileModel: Decodable {
    var listen: [String]?
    var dataDirectory: String?
    var reconcileInterval: String?
    var checkpointInterval: String?
    var utilizationInterval: String?
    var computeEnvironments: [EnvironmentModel]?
    var presets: [PresetModel]?
    var workspaces: [String]?
    var members: [MemberModel]?
    var jwt: JWTModel?
    var streamRecheckInterval: String?
    var tls: TLSModel?
    var connect: ConnectModel?
    var retention: RetentionModel?
    var idle: IdleModel?
    var storage: StorageModel?
    var secretsKeyFile: String?
    var configurations: [WorkspaceConfigurationModel]?

    /// The presets' own idle overrides, by preset.
    func presetIdleOverrides() throws -> [String: IdlePolicy.Override] {
        var overrides: [String: IdlePolicy.Override] = [:]
        for (index, preset) in (presets ?? []).enumerated() {
            overrides[preset.id] = try preset.idle?.override(path: "presets[\(index)].idle")
        }
        return overrides
    }

    func access() throws -> GatewayConfiguration.Access {
        let workspaces = try (workspaces ?? []).enumerated().map { index, name in
            do throws(SessionError) {
                return try WorkspaceID(validating: name)
            } catch {
                throw ConfigurationError(path: "workspaces[\(index)]", message: error.message)
            }
        }
        let members = try (members ?? []).enumerated().map { index, model in
            try model.member(path: "members[\(index)]")
        }
        let recheck = try streamRecheckInterval.map {
            try GatewayConfiguration.parseDuration($0, path: "streamRecheckInterval")
        } ?? .seconds(5)
        guard recheck >= .seconds(1), recheck <= .seconds(60) else {
            throw ConfigurationError(path: "streamRecheckInterval", message: "must be between 1s and 60s")
        }
        return GatewayConfiguration.Access(
            workspaces: workspaces, members: members, jwt: try jwt?.verifier(), streamRecheckInterval: recheck)
    }
}

private struct RetentionModel: Decodable {
    var changes: Int?
    var eventsPerSession: Int?
    var auditTrail: String?

    func settings() throws -> GatewayConfiguration.Retention {
        var retention = GatewayConfiguration.Retention()
        if let changes {
            guard changes >= 1000 else { throw ConfigurationError(path: "retention.changes", message: "must be at least 1000") }
            retention.changes = changes
        }
        if let eventsPerSession {
            guard eventsPerSession >= 10 else {
                throw ConfigurationError(path: "retention.eventsPerSession", message: "must be at least 10")
            }
            retention.eventsPerSession = eventsPerSession
        }
        if let auditTrail {
            retention.auditTrail = try GatewayConfiguration.parseDuration(auditTrail, path: "retention.auditTrail")
        }
        return retention
    }
}

private struct ConnectModel: Decodable {
    var enabled: Bool?
    var listen: String?
    var publicURL: String?
    var sessionHost: String?
    var linkLifetime: String?
    var cookieLifetime: String?
    var presenceWindow: String?
    var backendTimeout: String?

    func settings() throws -> GatewayConfiguration.Connect? {
        guard enabled ?? true else { return nil }
        var settings = GatewayConfiguration.Connect()
        if let listen {
            guard case .tcp? = RPCClient.Target(address: listen) else {
                throw ConfigurationError(path: "connect.listen", message: "'\(listen)' is not HOST:PORT")
            }
            settings.listen = listen
            settings.listenIsDefault = false
        }
        if let publicURL {
            guard publicURL.hasPrefix("http://") || publicURL.hasPrefix("https://"), !publicURL.contains("?") else {
                throw ConfigurationError(
                    path: "connect.publicURL", message: "'\(publicURL)' is not an http:// or https:// URL without a query")
            }
            settings.publicURL = publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL
        }
        if let sessionHost {
            guard SessionHostPattern(sessionHost) != nil else {
                throw ConfigurationError(
                    path: "connect.sessionHost",
                    message: "'\(sessionHost.prefix(200))' is not a host name with {session} as (part of) its first label, "
                        + "such as {session}.sessions.example.com")
            }
            settings.sessionHost = sessionHost
        }
        func duration(_ text: String?, _ field: String, _ current: Duration) throws -> Duration {
            try text.map { try GatewayConfiguration.parseDuration($0, path: "connect.\(field)") } ?? current
        }
        settings.linkLifetime = try duration(linkLifetime, "linkLifetime", settings.linkLifetime)
        settings.cookieLifetime = try duration(cookieLifetime, "cookieLifetime", settings.cookieLifetime)
        settings.presenceWindow = try duration(presenceWindow, "presenceWindow", settings.presenceWindow)
        settings.backendTimeout = try duration(backendTimeout, "backendTimeout", settings.backendTimeout)
        return settings
    }
}

private struct TLSModel: Decodable {
    var certificate: String
    var privateKey: String
    var clientCA: String?
}

private struct MemberModel: Decodable {
    var workspace: String?
    var caller: String
    var role: String

    func member(path: String) throws -> GatewayConfiguration.Access.Member {
        guard let role = Role(rawValue: role) else {
            throw ConfigurationError(
                path: "\(path).role", message: "'\(role)' is not a role; use \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard !caller.isEmpty else { throw ConfigurationError(path: "\(path).caller", message: "must not be empty") }
        return .init(workspace: WorkspaceID(rawValue: workspace ?? WorkspaceID.default.rawValue), caller: caller, role: role)
    }
}

private struct JWTModel: Decodable {
    struct KeyModel: Decodable {
        var id: String?
        var algorithm: String
        var secretFile: String?
        var publicKeyFile: String?
    }

    var issuer: String?
    var audience: String?
    var clockSkew: String?
    var keys: [KeyModel]

    func verifier() throws -> JWTVerifier {
        let keys = try self.keys.enumerated().map { index, key in
            let path = "jwt.keys[\(index)]"
            func read(_ file: String?, _ field: String) throws -> String {
                guard let file else { throw ConfigurationError(path: "\(path).\(field)", message: "is required for \(key.algorithm)") }
                guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                    throw ConfigurationError(path: "\(path).\(field)", message: "cannot read '\(file)'")
                }
                return text
            }
            switch key.algorithm {
            case "HS256":
                let secret = try read(key.secretFile, "secretFile").trimmingCharacters(in: .whitespacesAndNewlines)
                return JWTVerifier.Key(id: key.id, material: .hs256(secret: Array(secret.utf8)))
            case "RS256": return JWTVerifier.Key(id: key.id, material: .rs256(publicKeyPEM: try read(key.publicKeyFile, "publicKeyFile")))
            case "ES256": return JWTVerifier.Key(id: key.id, material: .es256(publicKeyPEM: try read(key.publicKeyFile, "publicKeyFile")))
            default:
                throw ConfigurationError(path: "\(path).algorithm", message: "'\(key.algorithm)' is not HS256, RS256 or ES256")
            }
        }
        let skew = try clockSkew.map { try GatewayConfiguration.parseDuration($0, path: "jwt.clockSkew") } ?? .seconds(60)
        do throws(SessionError) {
            return try JWTVerifier(keys: keys, issuer: issuer, audience: audience, clockSkew: skew)
        } catch {
            throw ConfigurationError(path: "jwt", message: error.message)
        }
    }
}

private struct EnvironmentModel: Decodable {
    var id: String
    var workspace: String?
    var backend: String
    var address: String?
    var pools: [String]?
    var defaultPool: String?
    var writableBuckets: [String]?
    var readableBuckets: [String]?
    var existingVolumes: [String]?
    var diskLimit: String?
    var settings: [String: String]?
    var pricing: PricingModel?

    func environment(path: String) throws -> GatewayConfiguration.Environment {
        var configured = try backendEnvironment(path: path)
        configured.pricing = try pricing?.pricing(path: "\(path).pricing")
        return configured
    }

    private func backendEnvironment(path: String) throws -> GatewayConfiguration.Environment {
        var environment = ComputeEnvironment(
            id: id, workspace: WorkspaceID(rawValue: workspace ?? WorkspaceID.default.rawValue), backend: backend,
            pools: pools ?? [], defaultPool: defaultPool ?? pools?.first, writableBuckets: writableBuckets ?? [],
            diskLimitBytes: try diskLimit.map { try GatewayConfiguration.parseSize($0, path: "\(path).diskLimit") }
                ?? (30 << 30))
        environment.existingVolumes = existingVolumes ?? []
        environment.readableBuckets = readableBuckets ?? []
        if backend == "remote" {
            guard let address else {
                throw ConfigurationError(path: "\(path).address", message: "a remote backend needs the provider's address")
            }
            return .init(environment: environment, backend: .remote(address: address))
        }
        return .init(environment: environment, backend: .builtIn(kind: backend, settings: settings ?? [:]))
    }
}

private struct PricingModel: Decodable {
    var currency: String
    var podSizes: [String: Double]?
    var cpuHour: Double?
    var memoryGiBHour: Double?
    var gpuHour: Double?
    var storageGiBMonth: Double?

    func pricing(path: String) throws -> Pricing {
        guard currency.count == 3, currency.allSatisfy({ $0.isASCII && $0.isUppercase }) else {
            throw ConfigurationError(path: "\(path).currency", message: "'\(currency)' is not a three-letter currency code such as USD or EUR")
        }
        let prices = [("cpuHour", cpuHour), ("memoryGiBHour", memoryGiBHour), ("gpuHour", gpuHour), ("storageGiBMonth", storageGiBMonth)]
            + (podSizes ?? [:]).sorted { $0.key < $1.key }.map { ("podSizes.\($0.key)", Optional($0.value)) }
        for (name, price) in prices {
            if let price, !(price.isFinite && price >= 0) {
                throw ConfigurationError(path: "\(path).\(name)", message: "a price must be a number of at least 0, not \(price)")
            }
        }
        return Pricing(
            currency: currency, podSizeHourly: podSizes ?? [:], cpuHour: cpuHour ?? 0, memoryGiBHour: memoryGiBHour ?? 0,
            gpuHour: gpuHour ?? 0, storageGiBMonth: storageGiBMonth ?? 0)
    }
}

private struct PresetModel: Decodable {
    struct ImageModel: Decodable {
        var name: String
        var reference: String?
        var tag: String?
    }

    struct PodSizeModel: Decodable {
        var name: String
        var cpu: Double
        var memory: String
        var gpus: Int?
    }

    var id: String
    var displayName: String?
    var ideKind: String?
    var command: [String]
    var images: [ImageModel]
    var podSizes: [PodSizeModel]
    var defaultPodSize: String?
    var defaultHomeVolume: String?
    var usesBaseURL: Bool?
    var idle: IdleModel?

    func preset(path: String) throws -> Preset {
        guard let kind = Preset.IDEKind(rawValue: (ideKind ?? "JUPYTERLAB").uppercased()) else {
            throw ConfigurationError(
                path: "\(path).ideKind",
                message: "'\(ideKind ?? "")' is not one of \(Preset.IDEKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let images = try images.enumerated().map { index, image in
            guard let tag = Preset.Image.Tag(rawValue: (image.tag ?? "RECOMMENDED").uppercased()) else {
                throw ConfigurationError(
                    path: "\(path).images[\(index)].tag", message: "'\(image.tag ?? "")' is not RECOMMENDED, DEPRECATED or EXPERIMENTAL")
            }
            return Preset.Image(name: image.name, reference: image.reference ?? image.name, tag: tag)
        }
        let sizes = try podSizes.enumerated().map { index, size in
            Preset.PodSize(name: size.name, resources: Resources(
                cpuMillis: Int(size.cpu * 1000),
                memoryBytes: try GatewayConfiguration.parseSize(size.memory, path: "\(path).podSizes[\(index)].memory"),
                gpus: size.gpus ?? 0))
        }
        var preset = Preset(
            id: id, displayName: displayName ?? id, ideKind: kind, images: images, podSizes: sizes,
            defaultPodSize: defaultPodSize ?? sizes.first?.name ?? "", command: command,
            defaultHomeVolumeBytes: try defaultHomeVolume.map {
                try GatewayConfiguration.parseSize($0, path: "\(path).defaultHomeVolume")
            } ?? (5 << 30))
        preset.usesBaseURL = usesBaseURL ?? false
        return preset
    }
}
