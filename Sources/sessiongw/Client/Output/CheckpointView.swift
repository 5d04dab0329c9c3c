import RPCTransport
import SessionAPI

/// How checkpoints look to people.
enum CheckpointView {
    /// The columns of ``table(_:now:)``.
    static let columns = ["NAME", "ID", "SESSION", "TRIGGER", "SIZE", "AGE"]

    /// One row per checkpoint; AGE counts from when it was taken to `now`.
    static func table(_ checkpoints: [V1Checkpoint], now: Double) -> TextTable {
        TextTable(columns: columns, rows: checkpoints.map { checkpoint in
            [
                checkpoint.name,
                checkpoint.id,
                checkpoint.sessionID,
                checkpoint.trigger.name,
                HumanUnits.bytes(checkpoint.sizeBytes),
                HumanUnits.age(of: checkpoint.createTime?.secondsSince1970 ?? 0, now: now),
            ]
        })
    }
}
