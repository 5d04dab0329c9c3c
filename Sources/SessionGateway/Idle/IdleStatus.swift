internal import RPCTransport
internal import SessionAPI

/// Whether a running session is idle, since when, and what last kept it busy: what
/// `Session.idle` carries and the culling policy acts on.
public struct IdleStatus: Hashable, Sendable {
    /// Whether every signal it is judged by has been quiet for the policy's time.
    public var idle: Bool
    /// Since when every signal has been quiet: the latest activity of any.
    public var quietSince: Double
    /// The signal that showed that latest activity.
    public var lastActiveSignal: IdleSignal
    /// The signals it is judged by, with when each last showed activity.
    public var signals: [IdleSignal: Double]
    /// When it is (or became) idle if nothing happens: ``quietSince`` plus the policy's time.
    public var idleAt: Double
    /// When the culling policy pauses it if nothing happens; nil without culling.
    public var cullAt: Double?

    /// Creates a status.
    public init(
        idle: Bool, quietSince: Double, lastActiveSignal: IdleSignal, signals: [IdleSignal: Double], idleAt: Double,
        cullAt: Double?
    ) {
        self.idle = idle
        self.quietSince = quietSince
        self.lastActiveSignal = lastActiveSignal
        self.signals = signals
        self.idleAt = idleAt
        self.cullAt = cullAt
    }

    /// Whether the culling policy pauses the session at `now`.
    public func culls(at now: Double) -> Bool {
        cullAt.map { $0 <= now } ?? false
    }
}

extension V1IdleStatus {
    /// The public message of a status.
    init(_ status: IdleStatus) {
        self.init(
            idle: status.idle, quietSince: ProtobufTimestamp(secondsSince1970: status.quietSince),
            lastActiveSignal: status.lastActiveSignal.rawValue,
            signals: status.signals.sorted { $0.key < $1.key }.map { signal, time in
                V1IdleSignal(name: signal.rawValue, lastActiveTime: ProtobufTimestamp(secondsSince1970: time))
            },
            idleTime: ProtobufTimestamp(secondsSince1970: status.idleAt),
            cullTime: status.cullAt.map { ProtobufTimestamp(secondsSince1970: $0) })
    }
}
