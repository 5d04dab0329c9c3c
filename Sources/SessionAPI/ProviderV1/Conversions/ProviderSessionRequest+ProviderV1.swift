internal import RPCTransport
public import SessionSDK

extension ProviderSessionRequest {
    /// The request of a provider message, checked field by field: session id, name,
    /// a known IDE kind, image, a non-empty command, resources and home volume are
    /// required; variable names are valid and every secret name is one of them;
    /// data-links mount at `/workspace/data/<name>`, and no two mounts share a path.
    /// The spec, when there is one, passes the checks of the public API's.
    ///
    /// - Throws: `INVALID_ARGUMENT` naming the field, such as `session.data_links[1].mount_path`.
    public init(_ message: ProviderV1SessionRequest, field: String = "session") throws(SessionError) {
        guard let resources = message.resources else {
            throw APIFieldRules.invalid("\(field).resources", "is required")
        }
        guard let homeVolume = message.homeVolume else {
            throw APIFieldRules.invalid("\(field).home_volume", "is required")
        }
        guard !message.command.isEmpty else {
            throw APIFieldRules.invalid("\(field).command", "is required: give the program and its arguments")
        }
        for (name, value) in message.env.sorted(by: { $0.key < $1.key }) {
            try APIFieldRules.required(name, field: "\(field).env key")
            guard SessionSpec.EnvironmentVariable.isValidName(name) else {
                throw APIFieldRules.invalid("\(field).env", "key '\(name)' is not a variable name")
            }
            try APIFieldRules.text(value, field: "\(field).env['\(name)']")
        }
        for (index, name) in message.secretNames.enumerated() where message.env[name] == nil {
            throw APIFieldRules.invalid("\(field).secret_names[\(index)]", "'\(name)' is not a key of env")
        }
        let dataVolumes = try SpecFieldRules.dataVolumes(
            try V1DataVolume.mirroring(message.dataVolumes, field: "\(field).data_volumes"),
            field: "\(field).data_volumes")
        var dataLinks: [DataLinkMount] = []
        for (index, link) in message.dataLinks.enumerated() {
            let linkField = "\(field).data_links[\(index)]"
            let mount = try DataLinkMount(try V1DataLink(mirroring: link, field: linkField), field: linkField)
            if dataLinks.contains(where: { $0.mountPath == mount.mountPath })
                || dataVolumes.contains(where: { $0.mountPath == mount.mountPath }) {
                throw APIFieldRules.invalid(
                    "\(field).data_links[\(index)].mount_path", "'\(mount.mountPath)' is used more than once")
            }
            dataLinks.append(mount)
        }
        self.init(
            sessionID: try SessionID(validating: message.sessionID, field: "\(field).session_id"),
            workspace: try WorkspaceID(validating: message.workspace, field: "\(field).workspace"),
            name: try APIFieldRules.required(message.name, field: "\(field).name"),
            ideKind: try Preset.IDEKind(V1IDEKind(rawValue: message.ideKind.rawValue), field: "\(field).ide_kind"),
            image: try APIFieldRules.required(message.image, field: "\(field).image"),
            command: try APIFieldRules.texts(message.command, field: "\(field).command"),
            resources: try Resources(
                try V1Resources(mirroring: resources, field: "\(field).resources"), field: "\(field).resources"),
            computePool: try APIFieldRules.text(message.computePool, field: "\(field).compute_pool"),
            environment: message.env,
            secretNames: Set(message.secretNames),
            homeVolume: try SessionSpec.HomeVolume(
                try V1HomeVolume(mirroring: homeVolume, field: "\(field).home_volume"), field: "\(field).home_volume"),
            dataVolumes: dataVolumes,
            dataLinks: dataLinks,
            durationLimit: try APIFieldRules.duration(message.durationLimit, field: "\(field).duration_limit"),
            restoreFrom: try message.restoreFrom.map { checkpoint throws(SessionError) in
                try Checkpoint(checkpoint, field: "\(field).restore_from")
            },
            spec: try message.spec.map { spec throws(SessionError) in
                try SessionSpec(V1SessionSpec(mirroring: spec, field: "\(field).spec"), field: "\(field).spec")
            },
            agentToken: message.agentToken.isEmpty
                ? nil : try APIFieldRules.text(message.agentToken, field: "\(field).agent_token"),
            packages: try PackageRequirement.parse(message.packages, field: "\(field).packages").map(\.text)
        )
    }
}

extension ProviderV1SessionRequest {
    /// The provider message of a request. It carries resolved secret values: send it
    /// only to the provider, never log it.
    ///
    /// - Throws: `INVALID_ARGUMENT` naming the field when a string holds a NUL
    ///   character.
    public init(_ request: ProviderSessionRequest, field: String = "session") throws(SessionError) {
        try self.init(
            sessionID: request.sessionID.rawValue,
            workspace: request.workspace.rawValue,
            name: request.name,
            ideKind: ProviderV1IDEKind(rawValue: V1IDEKind(request.ideKind).rawValue),
            image: request.image,
            command: request.command,
            resources: ProviderV1Resources(mirroring: V1Resources(request.resources), field: "\(field).resources"),
            computePool: request.computePool,
            env: request.environment,
            secretNames: request.secretNames.sorted(),
            homeVolume: ProviderV1HomeVolume(mirroring: V1HomeVolume(request.homeVolume), field: "\(field).home_volume"),
            dataVolumes: ProviderV1DataVolume.mirroring(
                request.dataVolumes.map(V1DataVolume.init), field: "\(field).data_volumes"),
            dataLinks: ProviderV1DataLink.mirroring(request.dataLinks.map(V1DataLink.init), field: "\(field).data_links"),
            durationLimit: request.durationLimit.map(ProtobufDuration.init),
            restoreFrom: request.restoreFrom.map(ProviderV1Checkpoint.init),
            spec: try request.spec.map { spec throws(SessionError) in
                try ProviderV1SessionSpec(mirroring: V1SessionSpec(spec), field: "\(field).spec")
            },
            agentToken: request.agentToken ?? "",
            packages: request.packages
        )
    }
}
