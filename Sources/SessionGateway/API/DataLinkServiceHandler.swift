public import RPCTransport
internal import SessionAPI
internal import SessionSDK

/// `sessiongw.v1.DataLinkService`: the workspace's named links to buckets and paths.
public struct DataLinkServiceHandler: RPCService {
    let store: SessionStore

    /// Creates the service.
    public init(store: SessionStore) {
        self.store = store
    }

    public func registerMethods(with router: inout RPCRouter) {
        router.unary(DataLinkServiceMethods.createDataLink) { (request: V1CreateDataLinkRequest, _) in
            try await answering { () async throws(SessionError) in
                let link = try await store.createDataLink(
                    workspace: try WorkspaceID(validating: request.workspace),
                    name: request.name.isEmpty ? nil : request.name,
                    location: try DataLinkRules.parseLocation(request.location), description: request.description)
                return V1DataLink(link)
            }
        }
        router.unary(DataLinkServiceMethods.listDataLinks) { (request: V1ListDataLinksRequest, _) in
            try await answering { () async throws(SessionError) in
                let page = try await store.listDataLinks(
                    workspace: try WorkspaceID(validating: request.workspace), pageSize: Int(request.pageSize),
                    pageToken: request.pageToken)
                return V1ListDataLinksResponse(dataLinks: page.items.map { V1DataLink($0) }, nextPageToken: page.nextPageToken)
            }
        }
        router.unary(DataLinkServiceMethods.deleteDataLink) { (request: V1DeleteDataLinkRequest, _) in
            try await answering { () async throws(SessionError) in
                try await store.deleteDataLink(id: request.dataLinkID, workspace: try WorkspaceID(validating: request.workspace))
                return V1DeleteDataLinkResponse()
            }
        }
    }
}
