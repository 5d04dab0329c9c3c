extension GatewayConfiguration {
    /// How long the store keeps what grows with use; the reconciler prunes on every
    /// full pass.
    ///
    /// ```yaml
    /// retention:
    ///   changes: 100000          # change-log records kept for watchers that resume
    ///   eventsPerSession: 1000   # newest activity log entries kept per session
    ///   auditTrail: 2160h        # 90 days
    /// ```
    public struct Retention: Hashable, Sendable {
        /// Change-log records kept: a watcher further behind must list again.
        public var changes: Int
        /// The newest activity log entries kept for each session.
        public var eventsPerSession: Int
        /// How long audit trail entries are kept.
        public var auditTrail: Duration

        /// Creates retention settings; the defaults keep 100,000 changes, 1,000 entries
        /// per session's activity log and 90 days of audit trail.
        public init(changes: Int = 100_000, eventsPerSession: Int = 1000, auditTrail: Duration = .seconds(90 * 24 * 3600)) {
            self.changes = changes
            self.eventsPerSession = eventsPerSession
            self.auditTrail = auditTrail
        }
    }
}
