public import SessionSDK

extension GatewayConfiguration {
    /// Who may call besides the administrator: the workspaces and members the file
    /// declares (created and set at every start; members added with `sessiongw member`
    /// are kept), and the keys that sign accepted JWTs.
    ///
    /// ```yaml
    /// workspaces: [lab]
    /// members:
    ///   - {workspace: lab, caller: alice, role: launch}
    /// streamRecheckInterval: 5s
    /// jwt:
    ///   issuer: https://id.example.com
    ///   audience: sessiongw
    ///   clockSkew: 60s
    ///   keys:
    ///     - {id: k1, algorithm: HS256, secretFile: /etc/sessiongw/jwt.secret}
    ///     - {algorithm: ES256, publicKeyFile: /etc/sessiongw/jwt-es256.pem}
    /// ```
    public struct Access: Sendable {
        /// A caller's role in a workspace.
        public struct Member: Hashable, Sendable {
            /// The workspace.
            public var workspace: WorkspaceID
            /// The caller: an API token's caller or a JWT's `sub`.
            public var caller: String
            /// Its role.
            public var role: Role

            /// Creates a member.
            public init(workspace: WorkspaceID, caller: String, role: Role) {
                self.workspace = workspace
                self.caller = caller
                self.role = role
            }
        }

        /// Workspaces to create besides `default`.
        public var workspaces: [WorkspaceID]
        /// Members to set.
        public var members: [Member]
        /// How JWTs are checked; nil accepts none.
        public var jwt: JWTVerifier?
        /// How often open streams (WatchSessions) authorize their caller again
        /// (`streamRecheckInterval`, 5 s): a revoked token or a removed member's stream
        /// ends within this time.
        public var streamRecheckInterval: Duration

        /// Creates the access settings.
        public init(
            workspaces: [WorkspaceID] = [], members: [Member] = [], jwt: JWTVerifier? = nil,
            streamRecheckInterval: Duration = .seconds(5)
        ) {
            self.workspaces = workspaces
            self.members = members
            self.jwt = jwt
            self.streamRecheckInterval = streamRecheckInterval
        }
    }
}
