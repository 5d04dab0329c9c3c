public import RPCTransport
internal import SessionAPI
internal import SessionSDK

/// `sessiongw.v1.DataLinkService`: the workspace's named links to buckets and paths.
public struct DataLinkServiceHandler: RPCService {
    let store: SessionStore
    let access: AccessControl

    /// Creates the service.
    public init(store: SessionStore, access: AccessControl) {
        self.store = store
        self.access = access
    }

    public func registerMethods(with router: inout RPCRouter) {
        router.unary(DataLinkServiceMethods.createDataLink, access: access, target: { $0.name }) {
            (request: V1CreateDataLinkRequest, grant) throws(SessionError) in
            V1DataLink(try await store.createDataLink(
                workspace: grant.workspace, name: request.name.isEmpty ? nil : request.name,
                location: try DataLinkRules.parseLocation(request.location), description: request.description))
        }
        router.unary(DataLinkServiceMethods.listDataLinks, access: access) {
            (request: V1ListDataLinksRequest, grant) throws(SessionError) in
            let page = try await store.listDataLinks(
                workspace: grant.workspace, pageSize: Int(request.pageSize), pageToken: request.pageToken)
            return V1ListDataLinksResponse(dataLinks: page.items.map { V1DataLink($0) }, nextPageToken: page.nextPageToken)
        }
        router.unary(DataLinkServiceMethods.deleteDataLink, access: access, target: { $0.dataLinkID }) {
            (request: V1DeleteDataLinkRequest, grant) throws(SessionError) in
            try await store.deleteDataLink(id: request.dataLinkID, workspace: grant.workspace)
            return V1DeleteDataLinkResponse()
        }
    }
}
