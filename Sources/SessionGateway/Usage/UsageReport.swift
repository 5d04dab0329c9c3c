public import SessionSDK

/// What a workspace's sessions cost over a period, per session, per owner and in
/// total (one total per currency), deleted sessions included: every metered interval
/// counts for the part of it inside the period.
public struct UsageReport: Hashable, Sendable {
    /// One session's, one owner's or one currency's usage.
    public struct Line: Hashable, Sendable {
        /// The owner; empty on a total.
        public var owner: String
        /// The session; nil on an owner's line and a total.
        public var sessionID: SessionID?
        /// The session's name (its last); empty on an owner's line and a total.
        public var sessionName: String
        /// The currency; empty for environments without prices.
        public var currency: String
        /// Spent on compute.
        public var computeSpend: Double
        /// Spent on storage.
        public var storageSpend: Double
        /// How long compute was held, in seconds.
        public var computeHeldSeconds: Double

        /// Compute and storage.
        public var total: Double { computeSpend + storageSpend }

        /// Creates a line.
        public init(
            owner: String, sessionID: SessionID?, sessionName: String, currency: String, computeSpend: Double = 0,
            storageSpend: Double = 0, computeHeldSeconds: Double = 0
        ) {
            self.owner = owner
            self.sessionID = sessionID
            self.sessionName = sessionName
            self.currency = currency
            self.computeSpend = computeSpend
            self.storageSpend = storageSpend
            self.computeHeldSeconds = computeHeldSeconds
        }

        /// Adds another line's figures.
        mutating func add(_ other: Line) {
            computeSpend += other.computeSpend
            storageSpend += other.storageSpend
            computeHeldSeconds += other.computeHeldSeconds
        }
    }

    /// The workspace.
    public var workspace: WorkspaceID
    /// The period's start and end, in seconds since the Unix epoch.
    public var start: Double, end: Double
    /// Each session with usage in the period, by owner, then name.
    public var sessions: [Line]
    /// Each owner's sessions summed (per currency), by owner.
    public var owners: [Line]
    /// Everything summed, one line per currency.
    public var totals: [Line]

    /// The report of per-session lines: owners and totals are their sums.
    init(workspace: WorkspaceID, start: Double, end: Double, sessions: [Line]) {
        self.workspace = workspace
        self.start = start
        self.end = end
        self.sessions = sessions.sorted { ($0.owner, $0.sessionName, $0.sessionID?.rawValue ?? "") < ($1.owner, $1.sessionName, $1.sessionID?.rawValue ?? "") }
        var owners: [String: Line] = [:]
        var totals: [String: Line] = [:]
        for line in self.sessions {
            owners["\(line.owner)\u{0}\(line.currency)", default: Line(owner: line.owner, sessionID: nil, sessionName: "", currency: line.currency)].add(line)
            totals[line.currency, default: Line(owner: "", sessionID: nil, sessionName: "", currency: line.currency)].add(line)
        }
        self.owners = owners.values.sorted { ($0.owner, $0.currency) < ($1.owner, $1.currency) }
        self.totals = totals.values.sorted { $0.currency < $1.currency }
    }
}
