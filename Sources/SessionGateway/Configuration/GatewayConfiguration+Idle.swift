internal import SessionAPI
public import SessionSDK

extension GatewayConfiguration {
    /// When running sessions count as idle and which the gateway pauses
    /// (``IdlePolicy``): the defaults, then a workspace's override, then a preset's.
    public struct Idle: Hashable, Sendable {
        /// The policy of sessions no override applies to.
        public var defaults: IdlePolicy
        /// Overrides by workspace (`idle.workspaces`).
        public var workspaces: [WorkspaceID: IdlePolicy.Override]
        /// Overrides by preset (`presets[].idle`), which win over a workspace's.
        public var presets: [String: IdlePolicy.Override]

        /// Creates the settings; by default sessions are idle after an hour and never paused.
        public init(
            defaults: IdlePolicy = IdlePolicy(), workspaces: [WorkspaceID: IdlePolicy.Override] = [:],
            presets: [String: IdlePolicy.Override] = [:]
        ) {
            self.defaults = defaults
            self.workspaces = workspaces
            self.presets = presets
        }

        /// The policy of a session of `preset` in `workspace`.
        public func policy(preset: String, workspace: WorkspaceID) -> IdlePolicy {
            defaults.overridden(by: workspaces[workspace]).overridden(by: presets[preset])
        }
    }

    /// Checks that every policy a session can have culls no sooner than it is idle.
    func validateIdle() throws {
        let workspaces: [WorkspaceID?] = [nil] + idle.workspaces.keys.sorted { $0.rawValue < $1.rawValue }
        let presets: [String?] = [nil] + idle.presets.keys.sorted()
        for workspace in workspaces {
            for preset in presets {
                let policy = idle.defaults.overridden(by: workspace.flatMap { idle.workspaces[$0] })
                    .overridden(by: preset.flatMap { idle.presets[$0] })
                guard let cullAfter = policy.cullAfter, cullAfter < policy.after else { continue }
                let scope = [workspace.map { "workspace '\($0)'" }, preset.map { "preset '\($0)'" }].compactMap(\.self)
                throw ConfigurationError(
                    path: "idle", message: "cullAfter (\(Int(cullAfter)) s) is shorter than after (\(Int(policy.after)) s)"
                        + (scope.isEmpty ? "" : " for " + scope.joined(separator: " in ")))
            }
        }
    }

    /// The idle policy of `session`.
    public func idlePolicy(for session: Session) -> IdlePolicy {
        idle.policy(preset: session.spec.preset, workspace: session.workspace)
    }
}

/// `idle:` and `presets[].idle:` as the file has them.
struct IdleModel: Decodable {
    var after: String?
    var cullAfter: String?
    var cpuThreshold: Double?
    var gpuThreshold: Double?
    var signals: [String]?
    /// Only in `idle.workspaces[]`.
    var workspace: String?
    /// Only in `idle`.
    var workspaces: [IdleModel]?

    /// The settings of the top-level `idle:`; `presets` are the presets' own.
    func settings(presets: [String: IdlePolicy.Override]) throws -> GatewayConfiguration.Idle {
        var idle = GatewayConfiguration.Idle(presets: presets)
        idle.defaults = idle.defaults.overridden(by: try override(path: "idle"))
        for (index, model) in (workspaces ?? []).enumerated() {
            let path = "idle.workspaces[\(index)]"
            guard let name = model.workspace else {
                throw ConfigurationError(path: "\(path).workspace", message: "names the workspace the override is for")
            }
            let workspace: WorkspaceID
            do throws(SessionError) {
                workspace = try WorkspaceID(validating: name)
            } catch {
                throw ConfigurationError(path: "\(path).workspace", message: error.message)
            }
            idle.workspaces[workspace] = try model.override(path: path)
        }
        return idle
    }

    /// The fields this level sets.
    func override(path: String) throws -> IdlePolicy.Override {
        var override = IdlePolicy.Override()
        override.after = try after.map { try Self.seconds($0, path: "\(path).after") }
        if let cullAfter {
            override.cullAfter = ["never", "off"].contains(cullAfter)
                ? .some(nil) : try Self.seconds(cullAfter, path: "\(path).cullAfter")
        }
        for (name, value, limit) in [("cpuThreshold", cpuThreshold, Double.infinity), ("gpuThreshold", gpuThreshold, 100)] {
            if let value, !(value.isFinite && value >= 0 && value <= limit) {
                throw ConfigurationError(
                    path: "\(path).\(name)", message: "must be a number from 0\(limit.isFinite ? " to 100" : ""), not \(value)")
            }
        }
        override.cpuThreshold = cpuThreshold
        override.gpuThreshold = gpuThreshold
        if let signals {
            override.signals = Set(try signals.enumerated().map { index, name in
                guard let signal = IdleSignal(rawValue: name) else {
                    throw ConfigurationError(
                        path: "\(path).signals[\(index)]",
                        message: "'\(name)' is not one of \(IdleSignal.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return signal
            })
            guard override.signals?.isEmpty == false else {
                throw ConfigurationError(path: "\(path).signals", message: "needs at least one signal")
            }
        }
        return override
    }

    private static func seconds(_ text: String, path: String) throws -> Double {
        try GatewayConfiguration.parseDuration(text, path: path).inSeconds
    }
}
