import ArgumentParser
import Logging
import SessionConformance
import SessionGateway
import SessionSDK
import Yams

/// The `conformance:` section of a configuration file: what `sessiongw conformance`
/// asks of the backend beyond the environment's own entry. The gateway ignores the
/// section, so one file can configure both. Every field is optional:
///
/// ```yaml
/// conformance:
///   preset: notebook              # its command, recommended image and default size (default: the first preset)
///   image: python3                # one of the preset's image names (default: the recommended one)
///   dataLinks:                    # without them the data-link cases are skipped
///     writable: s3://scratch/conformance/a   # its bucket must be one of the environment's writableBuckets
///     readOnly: s3://reference/conformance
///     outsideEntry: secret.txt    # an entry beside the writable link's directory it must not reach
///   missingImage: no-such-image   # or missingHomeVolume: a name the backend must answer NOT_FOUND for
///   overQuota: {cpu: 512, memory: 4TiB}   # a size the backend must refuse with RESOURCE_EXHAUSTED
///   repetitions: 3
///   timeouts: {running: 60s, paused: 30s, probe: 10s, endpoint: 5s, watchEvent: 10s, testCase: 2m}
/// ```
struct ConformancePlan: Decodable {
    struct DataLinks: Decodable {
        var writable: String
        var readOnly: String
        var outsideEntry: String?
    }

    struct Size: Decodable {
        var cpu: Double?
        var memory: String?
    }

    struct Timeouts: Decodable {
        var running: String?
        var paused: String?
        var probe: String?
        var endpoint: String?
        var watchEvent: String?
        var testCase: String?
    }

    var preset: String?
    var image: String?
    var dataLinks: DataLinks?
    var missingImage: String?
    var missingHomeVolume: String?
    var overQuota: Size?
    var repetitions: Int?
    var timeouts: Timeouts?

    private struct File: Decodable {
        var conformance: ConformancePlan?
    }

    /// The section of the file's text; an empty plan when there is none.
    ///
    /// - Throws: `ValidationError` saying what is wrong with the section.
    static func load(yaml: String) throws -> ConformancePlan {
        do {
            return try YAMLDecoder().decode(File.self, from: yaml).conformance ?? ConformancePlan()
        } catch {
            throw ValidationError("the configuration's conformance section is not valid: \(error)")
        }
    }

    /// The suite configuration for `provider` serving `environment`.
    ///
    /// - Throws: `ValidationError` or ``ConfigurationError`` naming the setting that is wrong.
    func suiteConfiguration(
        provider: any SessionProvider, environment: ComputeEnvironment, presets: [Preset], logger: Logger
    ) throws -> ConformanceSuite.Configuration {
        let template = try requestTemplate(presets: presets, environment: environment)
        var configuration = ConformanceSuite.Configuration(provider: provider, logger: logger) { id in
            template.request(id)
        }
        if let links = dataLinks {
            do throws(SessionError) {
                let link = { (name: String, location: String) throws(SessionError) -> DataLink in
                    DataLink(
                        id: "dl-conformance-\(name)", workspace: environment.workspace, name: name,
                        location: try DataLinkRules.parseLocation(location))
                }
                configuration.dataLinks = try ConformanceDataLinks(
                    writable: try link("scratch", links.writable), readOnly: try link("reference", links.readOnly),
                    in: environment, outsideEntry: links.outsideEntry)
            } catch {
                throw ConfigurationError(path: "conformance.dataLinks", message: error.message)
            }
        }
        if let missingImage {
            configuration.missingReferenceRequest = { id in template.request(id, image: missingImage) }
        } else if let missingHomeVolume {
            configuration.missingReferenceRequest = { id in
                var request = template.request(id)
                request.homeVolume = .existing(missingHomeVolume)
                return request
            }
        }
        if let overQuota {
            let resources = Resources(
                cpuMillis: Int((overQuota.cpu ?? 0) * 1000),
                memoryBytes: try overQuota.memory.map { try GatewayConfiguration.parseSize($0, path: "conformance.overQuota.memory") }
                    ?? template.resources.memoryBytes)
            configuration.overQuotaRequest = { id in
                var request = template.request(id)
                request.resources = resources
                return request
            }
        }
        if let repetitions {
            guard repetitions >= 2 else {
                throw ConfigurationError(path: "conformance.repetitions", message: "must be at least 2")
            }
            configuration.repetitions = repetitions
        }
        try timeouts?.apply(to: &configuration.timeouts)
        return configuration
    }

    /// What every request of the run is made from.
    private struct RequestTemplate: Sendable {
        var workspace: WorkspaceID
        var ideKind: Preset.IDEKind
        var image: String
        var command: [String]
        var resources: Resources
        var computePool: String
        var homeVolumeBytes: Int64

        func request(_ id: SessionID, image: String? = nil) -> ProviderSessionRequest {
            ProviderSessionRequest(
                sessionID: id, workspace: workspace, name: id.rawValue, ideKind: ideKind, image: image ?? self.image,
                command: command, resources: resources, computePool: computePool,
                homeVolume: .new(sizeBytes: homeVolumeBytes))
        }
    }

    private func requestTemplate(presets: [Preset], environment: ComputeEnvironment) throws -> RequestTemplate {
        guard let preset = preset.map({ id in presets.first { $0.id == id } }) ?? presets.first else {
            throw ConfigurationError(
                path: "conformance.preset",
                message: "no preset '\(preset ?? "")'; the configuration has \(presets.map(\.id).joined(separator: ", "))")
        }
        let chosen = image.map { name in preset.images.first { $0.name == name } }
            ?? preset.images.first { $0.tag == .recommended } ?? preset.images.first
        guard let chosen else {
            throw ConfigurationError(
                path: "conformance.image",
                message: "preset '\(preset.id)' has no image '\(image ?? "")'; it has \(preset.images.map(\.name).joined(separator: ", "))")
        }
        guard let size = preset.podSize(named: preset.defaultPodSize) else {
            throw ConfigurationError(path: "conformance.preset", message: "preset '\(preset.id)' has no default pod size")
        }
        return RequestTemplate(
            workspace: environment.workspace, ideKind: preset.ideKind, image: chosen.reference, command: preset.command,
            resources: size.resources, computePool: environment.defaultPool ?? "",
            homeVolumeBytes: preset.defaultHomeVolumeBytes)
    }
}

extension ConformancePlan.Timeouts {
    /// Sets the timeouts this section names.
    func apply(to timeouts: inout ConformanceSuite.Timeouts) throws {
        let fields: [(String?, WritableKeyPath<ConformanceSuite.Timeouts, Duration>, String)] = [
            (running, \.running, "running"), (paused, \.paused, "paused"), (probe, \.probe, "probe"),
            (endpoint, \.endpoint, "endpoint"), (watchEvent, \.watchEvent, "watchEvent"), (testCase, \.testCase, "testCase"),
        ]
        for (text, keyPath, name) in fields {
            guard let text else { continue }
            timeouts[keyPath: keyPath] = try GatewayConfiguration.parseDuration(text, path: "conformance.timeouts.\(name)")
        }
    }
}
