public import RPCTransport

/// A workspace's data-links.
///
/// The methods of `sessiongw.v1.DataLinkService`, for routing and for clients.
public enum DataLinkServiceMethods {
    /// The fully qualified service name.
    public static let service = "sessiongw.v1.DataLinkService"

    /// Creates a data-link. INVALID_ARGUMENT when the location is malformed (`..` or
    /// `.` segments, control characters, `%`, over-long) or the name normalizes to
    /// nothing; ALREADY_EXISTS when the workspace has a link with the same normalized
    /// name.
    ///
    /// Unary: ``V1CreateDataLinkRequest`` → ``V1DataLink``.
    public static let createDataLink = RPCMethod(service: service, method: "CreateDataLink")

    /// Lists a workspace's data-links, in order of name, a page at a time.
    ///
    /// Unary: ``V1ListDataLinksRequest`` → ``V1ListDataLinksResponse``.
    public static let listDataLinks = RPCMethod(service: service, method: "ListDataLinks")

    /// Deletes a data-link; its data is untouched. FAILED_PRECONDITION while a session
    /// that is not deleted mounts it. Deleting a deleted link succeeds.
    ///
    /// Unary: ``V1DeleteDataLinkRequest`` → ``V1DeleteDataLinkResponse``.
    public static let deleteDataLink = RPCMethod(service: service, method: "DeleteDataLink")

    /// Every method of the service.
    public static let all: [RPCMethod] = [
        createDataLink,
        listDataLinks,
        deleteDataLink,
    ]
}
