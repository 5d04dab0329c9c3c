/// A saved copy of the changes a session made to its own filesystem (not mounted
/// data), taken when it starts, every few minutes while it runs, and when it pauses.
public struct Checkpoint: Hashable, Sendable, Identifiable, Codable {
    /// Why a checkpoint was taken.
    public enum Trigger: String, Hashable, Sendable, CaseIterable, Codable {
        /// When the session started.
        case start = "START"
        /// Periodically while it ran.
        case periodic = "PERIODIC"
        /// When it paused.
        case pause = "PAUSE"
    }

    /// The checkpoint's id.
    public var id: CheckpointID
    /// The session that took it.
    public var session: SessionID
    /// Its name, unique per session; spaces become underscores.
    public var name: String
    /// Why it was taken.
    public var trigger: Trigger
    /// Its size in bytes.
    public var sizeBytes: Int64
    /// Where the provider keeps it; opaque to the gateway.
    public var location: String
    /// Seconds since the Unix epoch when taken.
    public var createdAt: Double

    /// Creates a checkpoint record.
    public init(
        id: CheckpointID, session: SessionID, name: String, trigger: Trigger, sizeBytes: Int64,
        location: String, createdAt: Double
    ) {
        self.id = id
        self.session = session
        self.name = name
        self.trigger = trigger
        self.sizeBytes = sizeBytes
        self.location = location
        self.createdAt = createdAt
    }
}
