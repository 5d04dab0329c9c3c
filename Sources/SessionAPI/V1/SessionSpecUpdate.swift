internal import RPCTransport
public import SessionSDK

/// The changes an `UpdateSession` request makes to a session's spec, validated.
///
/// protoc-c 1.4 does not support proto3 `optional`, so an update names the fields it
/// changes explicitly: `UpdateSessionRequest.update_mask` lists SessionSpec field names
/// and `UpdateSessionRequest.spec` carries their new values. A named field that is
/// unset in `spec` is reset to its default; fields not named are untouched, whatever
/// `spec` holds for them.
///
/// ```swift
/// let update = try SessionSpecUpdate(request)          // on the gateway
/// if update.needsPausedSession, session.state != .paused { throw ... }
/// session.spec = update.applied(to: session.spec)
///
/// let request = V1UpdateSessionRequest(                // on a client
///     workspace: .default, sessionID: id, update: SessionSpecUpdate(changes: [.labels(["team": "ml"])]))
/// ```
public struct SessionSpecUpdate: Hashable, Sendable {
    /// A change of one field of the spec.
    public enum Change: Hashable, Sendable {
        /// A new pod size name; empty for the preset's default (`pod_size`).
        case podSize(String)
        /// New resource overrides; nil to use the pod size's (`resources`).
        case resources(Resources?)
        /// A new compute pool; empty for the environment's default (`compute_pool`).
        case computePool(String)
        /// New environment variables, replacing all of them (`env`).
        case environment([SessionSpec.EnvironmentVariable])
        /// A new home volume (`home_volume`).
        case homeVolume(SessionSpec.HomeVolume)
        /// New data volumes, replacing all of them (`data_volumes`).
        case dataVolumes([SessionSpec.DataVolume])
        /// New data-link ids, replacing all of them (`data_link_ids`).
        case dataLinks([String])
        /// New labels, replacing all of them (`labels`).
        case labels([String: String])
        /// A new duration limit; nil for none (`duration_limit_seconds`).
        case durationLimit(Duration?)

        /// The SessionSpec field name in `update_mask`.
        public var fieldName: String {
            switch self {
            case .podSize: "pod_size"
            case .resources: "resources"
            case .computePool: "compute_pool"
            case .environment: "env"
            case .homeVolume: "home_volume"
            case .dataVolumes: "data_volumes"
            case .dataLinks: "data_link_ids"
            case .labels: "labels"
            case .durationLimit: "duration_limit"
            }
        }

        /// What the lifecycle sees: whether the change needs a paused session.
        public var kind: SessionLifecycle.UpdateKind {
            switch self {
            case .podSize, .resources, .computePool: .compute
            case .environment: .environment
            case .homeVolume, .dataVolumes: .volumes
            case .dataLinks: .dataLinks
            case .labels: .labels
            case .durationLimit: .durationLimit
            }
        }

        /// Makes the change in `spec`.
        public func apply(to spec: inout SessionSpec) {
            switch self {
            case .podSize(let value): spec.podSize = value
            case .resources(let value): spec.resources = value
            case .computePool(let value): spec.computePool = value
            case .environment(let value): spec.environment = value
            case .homeVolume(let value): spec.homeVolume = value
            case .dataVolumes(let value): spec.dataVolumes = value
            case .dataLinks(let value): spec.dataLinks = value
            case .labels(let value): spec.labels = value
            case .durationLimit(let value): spec.durationLimit = value
            }
        }
    }

    /// The SessionSpec fields an update may name, in `.proto` order.
    public static let updatableFields = [
        "pod_size", "resources", "compute_pool", "env", "home_volume", "data_volumes", "data_link_ids", "labels",
        "duration_limit",
    ]

    /// The SessionSpec fields fixed when the session is created.
    public static let immutableFields = ["preset", "image", "compute_environment"]

    /// The changes, at most one per field, in the order the mask named them.
    public var changes: [Change]

    /// Creates an update from changes; a later change of a field replaces an earlier one.
    public init(changes: [Change]) {
        var unique: [Change] = []
        for change in changes {
            if let index = unique.firstIndex(where: { $0.fieldName == change.fieldName }) {
                unique[index] = change
            } else {
                unique.append(change)
            }
        }
        self.changes = unique
    }

    /// Reads and validates the update of a request: every name in `update_mask` must
    /// be one of ``updatableFields`` (a name given twice counts once), and each named
    /// field of `spec` passes the checks of ``SessionSpec/init(_:field:defaultHomeVolumeBytes:)``.
    ///
    /// - Throws: `INVALID_ARGUMENT` naming the field: `update_mask` when it is empty or
    ///   names a field that is unknown or cannot change (`preset`, `image`,
    ///   `compute_environment`), `spec.<field>` when a value is invalid, and
    ///   `spec.home_volume` when the mask names it but `spec` leaves it unset.
    public init(_ request: V1UpdateSessionRequest) throws(SessionError) {
        guard let mask = request.updateMask?.paths, !mask.isEmpty else {
            throw APIFieldRules.invalid(
                "update_mask", "names no fields; name the SessionSpec fields to change, such as 'labels'")
        }
        let spec = request.spec ?? V1SessionSpec()
        var changes: [Change] = []
        for (index, name) in mask.enumerated() where !changes.contains(where: { $0.fieldName == name }) {
            changes.append(try Self.change(named: name, at: index, in: spec))
        }
        self.changes = changes
    }

    /// The kinds of change, for ``SessionLifecycle/handle(_:)``.
    public var kinds: Set<SessionLifecycle.UpdateKind> { Set(changes.map(\.kind)) }

    /// Whether any change needs the session's compute to be released first.
    public var needsPausedSession: Bool { changes.contains { $0.kind.needsPausedSession } }

    /// `spec` with every change made.
    public func applied(to spec: SessionSpec) -> SessionSpec {
        var spec = spec
        for change in changes { change.apply(to: &spec) }
        return spec
    }

    private static func change(
        named name: String, at index: Int, in spec: V1SessionSpec
    ) throws(SessionError) -> Change {
        switch name {
        case "pod_size":
            return .podSize(try APIFieldRules.text(spec.podSize, field: "spec.pod_size"))
        case "resources":
            return .resources(try spec.resources.map { value throws(SessionError) in
                try Resources(value, field: "spec.resources")
            })
        case "compute_pool":
            return .computePool(try APIFieldRules.text(spec.computePool, field: "spec.compute_pool"))
        case "env":
            return .environment(try SpecFieldRules.environment(spec.env, field: "spec.env"))
        case "home_volume":
            guard let volume = spec.homeVolume else {
                throw APIFieldRules.invalid("spec.home_volume", "is required when update_mask names home_volume")
            }
            return .homeVolume(try SessionSpec.HomeVolume(volume, field: "spec.home_volume"))
        case "data_volumes":
            return .dataVolumes(try SpecFieldRules.dataVolumes(spec.dataVolumes, field: "spec.data_volumes"))
        case "data_link_ids":
            return .dataLinks(try SpecFieldRules.identifiers(spec.dataLinkIDs, field: "spec.data_link_ids"))
        case "labels":
            return .labels(try SpecFieldRules.labels(spec.labels, field: "spec.labels"))
        case "duration_limit":
            return .durationLimit(try APIFieldRules.duration(spec.durationLimit, field: "spec.duration_limit"))
        case _ where immutableFields.contains(name):
            throw APIFieldRules.invalid(
                "update_mask[\(index)]",
                "names '\(name)', which cannot change after creation; clone the session instead")
        default:
            try APIFieldRules.text(name, field: "update_mask[\(index)]")
            throw APIFieldRules.invalid(
                "update_mask[\(index)]",
                "names unknown field '\(name)'; use one of \(updatableFields.joined(separator: ", "))")
        }
    }
}

extension V1UpdateSessionRequest {
    /// The request that makes `update` to a session: the mask names each changed
    /// field and the spec carries the new values.
    public init(workspace: WorkspaceID = .default, sessionID: SessionID, update: SessionSpecUpdate) {
        var spec = V1SessionSpec()
        for change in update.changes {
            switch change {
            case .podSize(let value): spec.podSize = value
            case .resources(let value): spec.resources = value.map(V1Resources.init)
            case .computePool(let value): spec.computePool = value
            case .environment(let value): spec.env = value.map(V1EnvVar.init)
            case .homeVolume(let value): spec.homeVolume = V1HomeVolume(value)
            case .dataVolumes(let value): spec.dataVolumes = value.map(V1DataVolume.init)
            case .dataLinks(let value): spec.dataLinkIDs = value
            case .labels(let value): spec.labels = value
            case .durationLimit(let value): spec.durationLimit = value.map(ProtobufDuration.init)
            }
        }
        self.init(
            workspace: workspace.rawValue, sessionID: sessionID.rawValue, spec: spec,
            updateMask: ProtobufFieldMask(paths: update.changes.map(\.fieldName)))
    }
}
