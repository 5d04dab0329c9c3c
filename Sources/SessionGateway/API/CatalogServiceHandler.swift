public import RPCTransport
internal import SessionAPI
internal import SessionSDK

/// `sessiongw.v1.CatalogService`: the presets and compute environments on offer.
public struct CatalogServiceHandler: RPCService {
    let configuration: GatewayConfiguration

    /// Creates the service.
    public init(configuration: GatewayConfiguration) {
        self.configuration = configuration
    }

    public func registerMethods(with router: inout RPCRouter) {
        router.unary(CatalogServiceMethods.listPresets) { (_: V1ListPresetsRequest, _) in
            V1ListPresetsResponse(presets: configuration.presets.map { V1Preset($0) }, nextPageToken: "")
        }
        router.unary(CatalogServiceMethods.listComputeEnvironments) { (request: V1ListComputeEnvironmentsRequest, _) in
            try await answering { () async throws(SessionError) in
                let workspace = try WorkspaceID(validating: request.workspace)
                let environments = configuration.environments.map(\.environment).filter { $0.workspace == workspace }
                return V1ListComputeEnvironmentsResponse(
                    computeEnvironments: environments.map { V1ComputeEnvironment($0) }, nextPageToken: "")
            }
        }
    }
}
