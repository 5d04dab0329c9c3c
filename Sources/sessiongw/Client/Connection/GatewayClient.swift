import Foundation
import RPCTransport
import SessionAPI

/// The gateway as the client commands see it: one RPC connection, the bearer token sent
/// as `authorization` metadata with every call, and the workspace for requests.
///
/// Calls go through the generated typed clients:
///
/// ```swift
/// try await GatewayClient.withClient(settings) { gateway in
///     let session = try await gateway.sessions.getSession(
///         V1GetSessionRequest(workspace: gateway.workspace, sessionID: id))
/// }
/// ```
struct GatewayClient: Sendable {
    /// The connection.
    let rpc: RPCClient
    /// The metadata of every call.
    let metadata: Metadata
    /// The workspace of every request.
    let workspace: String
    /// The settings it was made from.
    let settings: ClientSettings

    /// Connects with `settings` (on the first call), runs `body`, and closes the
    /// connection however `body` ends.
    ///
    /// - Throws: ``ClientFailure`` when the address cannot be parsed or the CA file
    ///   cannot be read; whatever `body` throws.
    static func withClient<Result: Sendable>(
        _ settings: ClientSettings, _ body: (GatewayClient) async throws -> Result
    ) async throws -> Result {
        if let caFile = settings.caFile, !FileManager.default.isReadableFile(atPath: caFile) {
            throw ClientFailure(ClientExitCode.clientError, "the CA file \(caFile) cannot be read")
        }
        let tls = settings.caFile.map { RPCClient.TLSConfiguration(trustRootsPath: $0) }
        guard let target = RPCClient.Target(address: settings.address, tls: tls) else {
            throw ClientFailure(
                ClientExitCode.clientError,
                "address '\(settings.address)' is not HOST:PORT, unix:PATH or https://HOST:PORT")
        }
        var metadata = Metadata()
        if let token = settings.token { metadata.add("authorization", "Bearer \(token)") }
        let client = GatewayClient(
            rpc: RPCClient(target: target), metadata: metadata, workspace: settings.workspace, settings: settings)
        do {
            let result = try await body(client)
            await client.rpc.close()
            return result
        } catch {
            await client.rpc.close()
            throw error
        }
    }

    /// `sessiongw.v1.SessionService`.
    var sessions: SessionServiceClient { SessionServiceClient(client: rpc, metadata: metadata) }
    /// `sessiongw.v1.CheckpointService`.
    var checkpoints: CheckpointServiceClient { CheckpointServiceClient(client: rpc, metadata: metadata) }
    /// `sessiongw.v1.DataLinkService`.
    var dataLinks: DataLinkServiceClient { DataLinkServiceClient(client: rpc, metadata: metadata) }
    /// `sessiongw.v1.CatalogService`.
    var catalog: CatalogServiceClient { CatalogServiceClient(client: rpc, metadata: metadata) }
    /// `sessiongw.v1.TerminalService`.
    var terminals: TerminalServiceClient { TerminalServiceClient(client: rpc, metadata: metadata) }
    /// `sessiongw.v1.ActivityService`.
    var activities: ActivityServiceClient { ActivityServiceClient(client: rpc, metadata: metadata) }
    /// `sessiongw.v1.UsageService`.
    var usage: UsageServiceClient { UsageServiceClient(client: rpc, metadata: metadata) }
    /// `sessiongw.v1.SecretService`.
    var secrets: SecretServiceClient { SecretServiceClient(client: rpc, metadata: metadata) }

    /// Every item of a paged list: calls `page` with each page token in turn, from
    /// `token`, until a page has no next token, or only the first page unless `all`.
    ///
    /// - Returns: the items, and the next page token ("" when the list is complete).
    func pages<Item>(
        from token: String, all: Bool, _ page: (String) async throws -> (items: [Item], next: String)
    ) async throws -> (items: [Item], next: String) {
        var items: [Item] = []
        var token = token
        repeat {
            let result = try await page(token)
            items += result.items
            guard result.next.isEmpty || result.next != token else {
                throw ClientFailure(ClientExitCode.refused, "the gateway returned the same page token twice: \(token)")
            }
            token = result.next
        } while all && !token.isEmpty
        return (items, token)
    }
}
