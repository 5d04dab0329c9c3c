internal import SessionAPI
public import SessionSDK

extension GatewayConfiguration {
    /// The configurations offered in a workspace, in order of name.
    public func configurations(in workspace: WorkspaceID) -> [WorkspaceConfiguration] {
        workspaceConfigurations.filter { $0.workspace == workspace }.sorted { $0.name < $1.name }
    }

    /// The configurations a session of `spec` in `workspace` gets, in the order the file
    /// lists them (a later one's variable wins over an earlier one's): those on by
    /// default that it does not leave out, and those it asks for.
    ///
    /// - Throws: `NOT_FOUND` for a name the workspace does not offer.
    public func configurations(for spec: SessionSpec, in workspace: WorkspaceID) throws(SessionError) -> [WorkspaceConfiguration] {
        let offered = workspaceConfigurations.filter { $0.workspace == workspace }
        for name in spec.configurations + spec.excludedConfigurations where !offered.contains(where: { $0.name == name }) {
            throw SessionError(
                .notFound,
                "configuration '\(name)' is not offered in workspace '\(workspace)'; ListConfigurations shows the ones that are")
        }
        return offered.filter { configuration in
            spec.configurations.contains(configuration.name)
                || (configuration.defaultOn && !spec.excludedConfigurations.contains(configuration.name))
        }
    }
}

/// `configurations[]` as the file has it.
struct WorkspaceConfigurationModel: Decodable {
    struct VariableModel: Decodable {
        var name: String
        var value: String?
        var secret: String?
    }

    var name: String
    var workspace: String?
    var description: String?
    var defaultOn: Bool?
    var env: [VariableModel]?
    var initScript: String?

    func configuration(path: String) throws -> WorkspaceConfiguration {
        guard StoredSecret.isValidName(name) else {
            throw ConfigurationError(path: "\(path).name", message: "'\(name)' may only hold letters, digits, '-', '_' and '.'")
        }
        let environment = try (env ?? []).enumerated().map { index, variable in
            switch (variable.value, variable.secret) {
            case (let value?, nil): return SessionSpec.EnvironmentVariable(name: variable.name, value: .plain(value))
            case (nil, let secret?): return SessionSpec.EnvironmentVariable(name: variable.name, value: .secret(secret))
            default:
                throw ConfigurationError(path: "\(path).env[\(index)]", message: "needs either value or secret")
            }
        }
        do throws(SessionError) {
            try SessionSpecResolver.validateEnvironment(environment)
        } catch {
            throw ConfigurationError(path: "\(path).env", message: error.message)
        }
        let workspaceID: WorkspaceID
        do throws(SessionError) {
            workspaceID = try WorkspaceID(validating: workspace ?? "")
        } catch {
            throw ConfigurationError(path: "\(path).workspace", message: error.message)
        }
        return WorkspaceConfiguration(
            workspace: workspaceID, name: name, description: description ?? "", defaultOn: defaultOn ?? false,
            environment: environment, initScript: initScript ?? "")
    }
}
