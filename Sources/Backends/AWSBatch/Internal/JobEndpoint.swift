/// Where a running session job serves, as it announced on its log stream:
/// `sessiongw-endpoint HOST PORT [AGENT_PORT]` (``JobScripts/endpointMarker``).
struct JobEndpoint: Hashable, Sendable {
    /// The host.
    var host: String
    /// The IDE's port.
    var port: Int
    /// The session agent's port; nil when the job runs none.
    var agentPort: Int?

    /// The endpoint of an announcement line; nil for another line or bad ports.
    init?(announcement line: String) {
        let parts = line.split(separator: " ")
        guard parts.count == 3 || parts.count == 4, parts[0] == JobScripts.endpointMarker,
              let port = Int(parts[2]), (1...65535).contains(port)
        else { return nil }
        host = String(parts[1])
        self.port = port
        if parts.count == 4 {
            guard let agentPort = Int(parts[3]), (1...65535).contains(agentPort) else { return nil }
            self.agentPort = agentPort
        }
    }
}
