import RPCTransport
import ArgumentParser
import SessionAPI

/// The changes `session update` asks for, turned into an `UpdateSession` request: each
/// changed field named in `update_mask` and its new value in `spec`.
///
/// Lists replace what the session had: `--env` gives the complete new set of variables,
/// `--label` the complete new labels, `--data-link` the complete new links; the
/// `--clear-...` flags set them to none.
struct SessionSpecChanges: Sendable, Equatable {
    /// A new pod size.
    var podSize: String?
    /// A new compute pool.
    var computePool: String?
    /// New plain environment variables.
    var env: [KeyValueArgument] = []
    /// New environment variables from secrets.
    var secretEnv: [KeyValueArgument] = []
    /// Whether to remove every environment variable.
    var clearEnv = false
    /// New labels.
    var labels: [KeyValueArgument] = []
    /// Whether to remove every label.
    var clearLabels = false
    /// New data-link ids.
    var dataLinks: [String] = []
    /// Whether to unmount every data-link.
    var clearDataLinks = false
    /// A new duration limit; zero for none.
    var durationLimit: DurationArgument?
    /// A new home volume.
    var homeVolume: V1HomeVolume?

    /// The request for session `id` in `workspace`.
    ///
    /// - Throws: `ValidationError` when nothing changes, a `--clear-...` flag comes
    ///   with values for the same field, or a name is given twice.
    func request(workspace: String, sessionID id: String) throws -> V1UpdateSessionRequest {
        var spec = V1SessionSpec()
        var mask: [String] = []
        if let podSize {
            spec.podSize = podSize
            mask.append("pod_size")
        }
        if let computePool {
            spec.computePool = computePool
            mask.append("compute_pool")
        }
        if clearEnv || !env.isEmpty || !secretEnv.isEmpty {
            guard !clearEnv || (env.isEmpty && secretEnv.isEmpty) else {
                throw ValidationError("give --clear-env or --env/--secret-env, not both")
            }
            spec.env = try SessionSpecArguments.environment(plain: env, secret: secretEnv)
            mask.append("env")
        }
        if let homeVolume {
            spec.homeVolume = homeVolume
            mask.append("home_volume")
        }
        if clearDataLinks || !dataLinks.isEmpty {
            guard !clearDataLinks || dataLinks.isEmpty else {
                throw ValidationError("give --clear-data-links or --data-link, not both")
            }
            spec.dataLinkIDs = dataLinks
            mask.append("data_link_ids")
        }
        if clearLabels || !labels.isEmpty {
            guard !clearLabels || labels.isEmpty else { throw ValidationError("give --clear-labels or --label, not both") }
            spec.labels = try KeyValueArgument.dictionary(labels, option: "--label")
            mask.append("labels")
        }
        if let durationLimit {
            spec.durationLimit = durationLimit.limit
            mask.append("duration_limit")
        }
        guard !mask.isEmpty else {
            throw ValidationError("nothing to change: pass --pod-size, --pool, --env, --label, --data-link, --duration...")
        }
        return V1UpdateSessionRequest(workspace: workspace, sessionID: id, spec: spec, updateMask: ProtobufFieldMask(paths: mask))
    }
}
