import Foundation
public import SessionAPI

extension InProcessGateway {
    /// Runs `body` with the address of `path` in a session's IDE and a headers file
    /// that carries its link ticket, the way a user reaches the IDE: a link from
    /// `GetSessionConnection`, its ticket sent as a bearer credential to the gateway's
    /// connection proxy. The file is mode 0600 and removed afterwards, so that the ticket
    /// is on no command line and in no message (`curl -H @FILE URL`).
    public func withIDELink<Result>(
        to id: String, path: String, _ body: (_ url: String, _ headersFile: String) async throws -> Result
    ) async throws -> Result {
        let link = try await sessions.getSessionConnection(V1GetSessionConnectionRequest(sessionID: id))
        guard var components = URLComponents(string: link.url) else {
            throw TestFailure("GetSessionConnection gave \(link.url), which is not a URL")
        }
        components.query = nil
        components.path += path
        guard let url = components.string else { throw TestFailure("no URL for \(path) of \(link.url)") }
        let headers = FileManager.default.temporaryDirectory.appending(path: "sessiongw-link-\(UUID().uuidString)").path
        guard FileManager.default.createFile(
            atPath: headers, contents: Data("Authorization: Bearer \(link.accessToken)\n".utf8),
            attributes: [.posixPermissions: 0o600])
        else { throw TestFailure("cannot write \(headers)") }
        defer { try? FileManager.default.removeItem(atPath: headers) }
        return try await body(url, headers)
    }
}
