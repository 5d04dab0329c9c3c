internal import RPCTransport
public import SessionSDK

extension ProviderSessionRequest {
    /// The request of a provider message, checked field by field: session id, name,
    /// a known IDE kind, image, a non-empty command, resources and home volume are
    /// required; variable names are valid and every secret name is one of them;
    /// data-links mount at `/workspace/data/<name>`, and no two mounts share a path.
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
        let dataVolumes = try SpecFieldRules.dataVolumes(message.dataVolumes, field: "\(field).data_volumes")
        var dataLinks: [DataLinkMount] = []
        for (index, link) in message.dataLinks.enumerated() {
            let mount = try DataLinkMount(link, field: "\(field).data_links[\(index)]")
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
            ideKind: try Preset.IDEKind(message.ideKind, field: "\(field).ide_kind"),
            image: try APIFieldRules.required(message.image, field: "\(field).image"),
            command: try APIFieldRules.texts(message.command, field: "\(field).command"),
            resources: try Resources(resources, field: "\(field).resources"),
            computePool: try APIFieldRules.text(message.computePool, field: "\(field).compute_pool"),
            environment: message.env,
            secretNames: Set(message.secretNames),
            homeVolume: try SessionSpec.HomeVolume(homeVolume, field: "\(field).home_volume"),
            dataVolumes: dataVolumes,
            dataLinks: dataLinks,
            durationLimit: try APIFieldRules.duration(message.durationLimit, field: "\(field).duration_limit"),
            restoreFrom: try message.restoreFrom.map { checkpoint throws(SessionError) in
                try Checkpoint(checkpoint, field: "\(field).restore_from")
            }
        )
    }
}

extension ProviderV1SessionRequest {
    /// The provider message of a request. It carries resolved secret values: send it
    /// only to the provider, never log it.
    public init(_ request: ProviderSessionRequest) {
        self.init(
            sessionID: request.sessionID.rawValue,
            workspace: request.workspace.rawValue,
            name: request.name,
            ideKind: V1IDEKind(request.ideKind),
            image: request.image,
            command: request.command,
            resources: V1Resources(request.resources),
            computePool: request.computePool,
            env: request.environment,
            secretNames: request.secretNames.sorted(),
            homeVolume: V1HomeVolume(request.homeVolume),
            dataVolumes: request.dataVolumes.map(V1DataVolume.init),
            dataLinks: request.dataLinks.map(V1DataLink.init),
            durationLimit: request.durationLimit.map(ProtobufDuration.init),
            restoreFrom: request.restoreFrom.map(ProviderV1Checkpoint.init)
        )
    }
}
