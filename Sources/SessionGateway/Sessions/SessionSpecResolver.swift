internal import SessionSDK

/// Checks a session spec against the catalog and the provider's capabilities, and
/// resolves it into the request a provider receives: image, command and resources from
/// the preset, secret values, data-link mounts.
///
/// Every refusal names the field: `INVALID_ARGUMENT` for a malformed value, `NOT_FOUND`
/// for a preset, image, compute environment, data-link or secret that does not exist.
struct SessionSpecResolver: Sendable {
    let configuration: GatewayConfiguration
    let secrets: any SecretResolver
    /// The sessions' agent tokens, put in every request; nil for none.
    var agentTokens: AgentTokens? = nil

    /// The longest session name.
    static let maxNameLength = 63
    /// The most environment variables, labels and data-links a session may have.
    static let maxEntries = 256
    /// The longest environment variable value, in bytes.
    static let maxValueLength = 32 * 1024
    /// The most bytes all plain environment variables may hold together (`NAME=VALUE`
    /// each): a process's whole environment must fit in what `execve` accepts (2 MiB
    /// on a default Linux), with room for secrets and the backend's own variables.
    static let maxEnvironmentBytes = 256 * 1024
    /// The longest duration limit.
    static let maxDuration = Duration.seconds(30 * 24 * 3600)

    /// Checks a session or workspace name: 1 to 63 letters, digits, `.`, `_` or `-`,
    /// starting with a letter or digit.
    static func validateName(_ name: String, field: String) throws(SessionError) {
        guard !name.isEmpty, name.utf8.count <= maxNameLength else {
            throw SessionError(
                .invalidArgument, "\(field) must be 1 to \(maxNameLength) characters; '\(DataLinkRules.printable(name))' has \(name.utf8.count)")
        }
        let valid = name.utf8.enumerated().allSatisfy { index, byte in
            isAlphanumeric(byte) || (index > 0 && (byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")))
        }
        guard valid else {
            throw SessionError(
                .invalidArgument,
                "\(field) '\(DataLinkRules.printable(name))' may only hold letters, digits, '.', '_' and '-', and must start with a letter or digit")
        }
    }

    /// The preset, environment and provider of a spec, checked.
    func catalogEntries(
        for spec: SessionSpec, in workspace: WorkspaceID
    ) throws(SessionError) -> (Preset, Preset.Image, Resources, GatewayConfiguration.Environment) {
        guard let preset = configuration.preset(spec.preset) else {
            throw SessionError(.notFound, "preset '\(spec.preset)' not found; ListPresets shows the presets offered")
        }
        guard let image = preset.image(named: spec.image) else {
            throw SessionError(
                .notFound,
                "image '\(spec.image)' is not in preset '\(preset.id)'; it offers \(preset.images.map(\.name).joined(separator: ", "))")
        }
        let sizeName = spec.podSize.isEmpty ? preset.defaultPodSize : spec.podSize
        guard let size = preset.podSize(named: sizeName) else {
            throw SessionError(
                .invalidArgument,
                "pod_size '\(sizeName)' is not offered by preset '\(preset.id)'; it offers \(preset.podSizes.map(\.name).joined(separator: ", "))")
        }
        _ = try configuration.configurations(for: spec, in: workspace)
        guard let environment = configuration.environment(spec.computeEnvironment, in: workspace) else {
            throw SessionError(
                .notFound, "compute environment '\(spec.computeEnvironment)' not found in workspace '\(workspace)'")
        }
        var resources = size.resources
        if let custom = spec.resources {
            guard custom.cpuMillis > 0, custom.memoryBytes > 0, custom.gpus >= 0 else {
                throw SessionError(.invalidArgument, "resources must have positive CPU and memory and no negative GPUs")
            }
            resources = custom
        }
        return (preset, image, resources, environment)
    }

    /// Checks everything in a spec that needs no I/O.
    func validate(_ spec: SessionSpec, capabilities: Set<ProviderCapability>, environment: ComputeEnvironment) throws(SessionError) {
        if !spec.computePool.isEmpty, !environment.pools.isEmpty, !environment.pools.contains(spec.computePool) {
            throw SessionError(
                .invalidArgument,
                "compute_pool '\(spec.computePool)' is not a pool of '\(environment.id)'; it has \(environment.pools.joined(separator: ", "))")
        }
        try Self.validateEnvironment(spec.environment)
        try Self.validateLabels(spec.labels)
        if let limit = spec.durationLimit, limit <= .zero || limit > Self.maxDuration {
            throw SessionError(.invalidArgument, "duration_limit must be more than 0 and at most 30 days")
        }
        switch spec.homeVolume {
        case .new(let size):
            guard size > 0 else { throw SessionError(.invalidArgument, "home_volume size must be positive") }
            // A growing home starts at the storage policy's size, whatever the spec says.
            let grows = configuration.storage.sizesHomes(of: capabilities)
            guard grows || size <= environment.diskLimitBytes else {
                throw SessionError(
                    .resourceExhausted,
                    "home_volume of \(size) bytes exceeds the disk limit of compute environment '\(environment.id)' (\(environment.diskLimitBytes) bytes)")
            }
        case .existing(let claim):
            try Self.requireCapability(.existingVolumes, in: capabilities, for: "existing home volumes")
            try Self.validateName(claim, field: "home_volume claim")
            try Self.requireListed(claim, in: environment, field: "home_volume claim")
        }
        if !spec.dataVolumes.isEmpty {
            try Self.requireCapability(.existingVolumes, in: capabilities, for: "data volumes")
            for volume in spec.dataVolumes {
                try Self.requireListed(volume.source, in: environment, field: "data_volumes source")
            }
        }
        if !spec.packages.isEmpty {
            try Self.requireCapability(.environmentBuilds, in: capabilities, for: "custom environments (packages)")
            _ = try PackageRequirement.parse(spec.packages, field: "packages")
        }
        if !spec.dataLinks.isEmpty {
            try Self.requireCapability(.dataLinks, in: capabilities, for: "data-links")
            guard Set(spec.dataLinks).count == spec.dataLinks.count else {
                throw SessionError(.invalidArgument, "data_links lists a data-link twice")
            }
        }
    }

    /// Refuses an existing volume the compute environment does not list.
    ///
    /// - Throws: `PERMISSION_DENIED` naming the volume and where operators list them.
    static func requireListed(_ volume: String, in environment: ComputeEnvironment, field: String) throws(SessionError) {
        guard !environment.existingVolumes.contains(volume) else { return }
        throw SessionError(
            .permissionDenied,
            "\(field) '\(DataLinkRules.printable(volume))' is not an existing volume compute environment '\(environment.id)' "
                + "lets sessions use; an operator lists them in the environment's existingVolumes")
    }

    /// Where a session's IDE is served on the connection proxy: its path there
    /// (`/sessions/W/S/`), or `/` where sessions have hosts of their own or there is no
    /// proxy (the backend's URL is then opened directly).
    func baseURL(of session: Session) -> String {
        guard let connect = configuration.connect, connect.sessionHost == nil else { return "/" }
        return ProxyPath.prefix(workspace: session.workspace, session: session.id)
    }

    /// Builds the provider request, resolving secrets (the workspace's bundle too, unless
    /// the spec opts out) and mounts.
    func request(
        for session: Session, preset: Preset, image: Preset.Image, resources: Resources,
        environment: ComputeEnvironment, dataLinks: [DataLink], restoreFrom: Checkpoint? = nil
    ) async throws(SessionError) -> ProviderSessionRequest {
        var values: [String: String] = [:]
        var secretNames = Set<String>()
        if session.spec.inheritsWorkspaceSecrets {
            // The workspace's bundle; the spec's own variables win.
            for (variable, value) in try await secrets.bundle(in: session.workspace) {
                values[variable] = value
                secretNames.insert(variable)
            }
        }
        // Then the configurations in their order, then the spec's own variables: a later
        // value wins.
        let configurations = try configuration.configurations(for: session.spec, in: session.workspace)
        for variable in configurations.flatMap(\.environment) + session.spec.environment {
            switch variable.value {
            case .plain(let value):
                values[variable.name] = value
                secretNames.remove(variable.name)
            case .secret(let name):
                values[variable.name] = try await secrets.value(ofSecret: name, in: session.workspace)
                secretNames.insert(variable.name)
            }
        }
        if preset.usesBaseURL { values[Preset.baseURLVariable] = baseURL(of: session) }
        return ProviderSessionRequest(
            sessionID: session.id, workspace: session.workspace, name: session.name, ideKind: preset.ideKind,
            image: image.reference, command: Self.command(preset.command, initScripts: configurations.map(\.initScript)),
            resources: resources,
            computePool: session.spec.computePool.isEmpty ? (environment.defaultPool ?? "") : session.spec.computePool,
            environment: values, secretNames: secretNames, homeVolume: session.spec.homeVolume,
            dataVolumes: session.spec.dataVolumes, dataLinks: try DataLinkRules.mounts(for: dataLinks, in: environment),
            durationLimit: session.spec.durationLimit, restoreFrom: restoreFrom, spec: session.spec,
            agentToken: agentTokens?.token(for: session.id),
            packages: PackageRequirement.canonical(try PackageRequirement.parse(session.spec.packages, field: "packages")))
    }

    /// The preset's command, after the configurations' init scripts when there are any:
    /// `sh -c 'set -e; SCRIPTS; exec "$@"' sessiongw-init COMMAND...`, so that a failing
    /// script fails the start and the command keeps its arguments as they are.
    static func command(_ command: [String], initScripts: [String]) -> [String] {
        let scripts = initScripts.filter { !$0.allSatisfy(\.isWhitespace) }
        guard !scripts.isEmpty else { return command }
        let body = "set -e\n" + scripts.joined(separator: "\n") + "\nset +e\nexec \"$@\"\n"
        return ["sh", "-c", body, "sessiongw-init"] + command
    }

    // MARK: Field rules

    /// Checks a list of variables: names, duplicates, sizes.
    static func validateEnvironment(_ variables: [SessionSpec.EnvironmentVariable]) throws(SessionError) {
        guard variables.count <= maxEntries else {
            throw SessionError(.invalidArgument, "env has \(variables.count) variables; at most \(maxEntries) are allowed")
        }
        var names = Set<String>()
        var total = 0
        for variable in variables {
            guard isVariableName(variable.name) else {
                throw SessionError(
                    .invalidArgument,
                    "env name '\(DataLinkRules.printable(variable.name))' must be letters, digits and '_', not starting with a digit")
            }
            guard names.insert(variable.name).inserted else {
                throw SessionError(.invalidArgument, "env variable '\(variable.name)' is given twice")
            }
            if case .plain(let value) = variable.value {
                guard value.utf8.count <= maxValueLength, !value.utf8.contains(0) else {
                    throw SessionError(
                        .invalidArgument, "env variable '\(variable.name)' has a value over \(maxValueLength) bytes or with a NUL byte")
                }
                total += variable.name.utf8.count + 1 + value.utf8.count
            }
        }
        guard total <= maxEnvironmentBytes else {
            throw SessionError(
                .invalidArgument, "env holds \(total) bytes of names and values; at most \(maxEnvironmentBytes) are allowed in all")
        }
    }

    private static func validateLabels(_ labels: [String: String]) throws(SessionError) {
        guard labels.count <= maxEntries else {
            throw SessionError(.invalidArgument, "labels has \(labels.count) entries; at most \(maxEntries) are allowed")
        }
        for (key, value) in labels {
            let keyValid = !key.isEmpty && key.utf8.count <= 63
                && key.utf8.allSatisfy { isAlphanumeric($0) || "._-/".utf8.contains($0) }
            guard keyValid else {
                throw SessionError(
                    .invalidArgument, "label key '\(DataLinkRules.printable(key))' must be 1 to 63 letters, digits, '.', '_', '-' or '/'")
            }
            guard value.utf8.count <= 63, value.utf8.allSatisfy({ $0 >= 0x20 && $0 != 0x7F }) else {
                throw SessionError(
                    .invalidArgument, "label '\(key)' has a value over 63 bytes or with control characters")
            }
        }
    }

    static func requireCapability(
        _ capability: ProviderCapability, in capabilities: Set<ProviderCapability>, for what: String
    ) throws(SessionError) {
        guard capabilities.contains(capability) else {
            throw SessionError(.invalidArgument, "this compute environment's backend does not support \(what)")
        }
    }

    /// Letters, digits and `_`, not starting with a digit, at most 256 bytes: a name an
    /// environment variable can have.
    static func isVariableName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        return !bytes.isEmpty && bytes.count <= 256 && !isDigit(bytes[0])
            && bytes.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "_") }
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z"))
    }
}
