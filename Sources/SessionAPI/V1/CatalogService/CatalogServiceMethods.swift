public import RPCTransport

/// The administrator-defined catalog.
///
/// The methods of `sessiongw.v1.CatalogService`, for routing and for clients.
public enum CatalogServiceMethods {
    /// The fully qualified service name.
    public static let service = "sessiongw.v1.CatalogService"

    /// Lists the presets sessions can be made from, in order of id.
    ///
    /// Unary: ``V1ListPresetsRequest`` → ``V1ListPresetsResponse``.
    public static let listPresets = RPCMethod(service: service, method: "ListPresets")

    /// Lists the compute environments of a workspace, in order of id.
    ///
    /// Unary: ``V1ListComputeEnvironmentsRequest`` → ``V1ListComputeEnvironmentsResponse``.
    public static let listComputeEnvironments = RPCMethod(service: service, method: "ListComputeEnvironments")

    /// Every method of the service.
    public static let all: [RPCMethod] = [
        listPresets,
        listComputeEnvironments,
    ]
}
