public import RPCTransport
internal import SessionAPI
internal import SessionSDK

/// `sessiongw.v1.CatalogService`: the presets, compute environments and configurations on
/// offer.
public struct CatalogServiceHandler: RPCService {
    let configuration: GatewayConfiguration
    let access: AccessControl

    /// Creates the service.
    public init(configuration: GatewayConfiguration, access: AccessControl) {
        self.configuration = configuration
        self.access = access
    }

    public func registerMethods(with router: inout RPCRouter) {
        router.unary(CatalogServiceMethods.listPresets, access: access) { (_: V1ListPresetsRequest, _) throws(SessionError) in
            V1ListPresetsResponse(presets: configuration.presets.map { V1Preset($0) }, nextPageToken: "")
        }
        router.unary(CatalogServiceMethods.listComputeEnvironments, access: access) {
            (_: V1ListComputeEnvironmentsRequest, grant) throws(SessionError) in
            let environments = configuration.environments.map(\.environment).filter { $0.workspace == grant.workspace }
            return V1ListComputeEnvironmentsResponse(
                computeEnvironments: environments.map { V1ComputeEnvironment($0) }, nextPageToken: "")
        }
        router.unary(CatalogServiceMethods.listConfigurations, access: access) {
            (_: V1ListConfigurationsRequest, grant) throws(SessionError) in
            V1ListConfigurationsResponse(configurations: configuration.configurations(in: grant.workspace).map { configuration in
                V1Configuration(
                    name: configuration.name, description: configuration.description, defaultOn: configuration.defaultOn,
                    env: configuration.environment.map(V1EnvVar.init), initScript: configuration.initScript)
            })
        }
    }
}
