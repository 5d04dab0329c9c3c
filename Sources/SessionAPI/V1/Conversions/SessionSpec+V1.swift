internal import RPCTransport
public import SessionSDK

extension SessionSpec {
    /// The spec of a message, checked field by field: preset, image and compute
    /// environment are required; variables, mount paths and data-link ids are unique;
    /// resources and sizes are positive; packages are
    /// valid requirements, each project once. A missing home volume becomes a new volume of
    /// `defaultHomeVolumeBytes` (the preset's default, 5 GiB unless it says otherwise).
    ///
    /// Whether the preset, image, pod size and data-links exist is for the gateway to
    /// check against its catalog.
    ///
    /// - Throws: `INVALID_ARGUMENT` naming the field, such as `spec.env[1].name`.
    public init(
        _ message: V1SessionSpec, field: String = "spec", defaultHomeVolumeBytes: Int64 = 5 << 30
    ) throws(SessionError) {
        self.init(
            preset: try APIFieldRules.required(message.preset, field: "\(field).preset"),
            image: try APIFieldRules.required(message.image, field: "\(field).image"),
            podSize: try APIFieldRules.text(message.podSize, field: "\(field).pod_size"),
            resources: try message.resources.map { resources throws(SessionError) in
                try Resources(resources, field: "\(field).resources")
            },
            computeEnvironment: try APIFieldRules.required(
                message.computeEnvironment, field: "\(field).compute_environment"),
            computePool: try APIFieldRules.text(message.computePool, field: "\(field).compute_pool"),
            environment: try SpecFieldRules.environment(message.env, field: "\(field).env"),
            homeVolume: try message.homeVolume.map { volume throws(SessionError) in
                try HomeVolume(volume, field: "\(field).home_volume")
            } ?? .new(sizeBytes: defaultHomeVolumeBytes),
            dataVolumes: try SpecFieldRules.dataVolumes(message.dataVolumes, field: "\(field).data_volumes"),
            dataLinks: try SpecFieldRules.identifiers(message.dataLinkIDs, field: "\(field).data_link_ids"),
            labels: try SpecFieldRules.labels(message.labels, field: "\(field).labels"),
            durationLimit: try APIFieldRules.duration(message.durationLimit, field: "\(field).duration_limit")
        )
        inheritsWorkspaceSecrets = !message.excludeWorkspaceSecrets
        configurations = try SpecFieldRules.identifiers(message.configurations, field: "\(field).configurations")
        excludedConfigurations = try SpecFieldRules.identifiers(
            message.excludedConfigurations, field: "\(field).excluded_configurations")
        packages = try PackageRequirement.parse(message.packages, field: "\(field).packages").map(\.text)
    }
}

extension V1SessionSpec {
    /// The message of a spec. Secrets stay references; the duration limit is rounded
    /// up to whole seconds.
    public init(_ spec: SessionSpec) {
        self.init(
            preset: spec.preset,
            image: spec.image,
            podSize: spec.podSize,
            resources: spec.resources.map(V1Resources.init),
            computeEnvironment: spec.computeEnvironment,
            computePool: spec.computePool,
            env: spec.environment.map(V1EnvVar.init),
            homeVolume: V1HomeVolume(spec.homeVolume),
            dataVolumes: spec.dataVolumes.map(V1DataVolume.init),
            dataLinkIDs: spec.dataLinks,
            labels: spec.labels,
            durationLimit: spec.durationLimit.map(ProtobufDuration.init),
            excludeWorkspaceSecrets: !spec.inheritsWorkspaceSecrets,
            configurations: spec.configurations,
            excludedConfigurations: spec.excludedConfigurations,
            packages: spec.packages
        )
    }
}
