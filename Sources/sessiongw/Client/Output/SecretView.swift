import RPCTransport
import SessionAPI

/// How secrets look to people: names and when they changed, never values.
enum SecretView {
    /// The columns of ``table(_:now:)``.
    static let columns = ["NAME", "ENV", "UPDATED", "BY"]

    /// One row per secret; ENV is the variable every session gets it as, `-` for none.
    static func table(_ secrets: [V1Secret], now: Double) -> TextTable {
        TextTable(columns: columns, rows: secrets.map { secret in
            [
                secret.name,
                secret.environmentVariable.isEmpty ? "-" : secret.environmentVariable,
                "\(HumanUnits.age(of: secret.updateTime?.secondsSince1970 ?? 0, now: now)) ago",
                secret.updatedBy,
            ]
        })
    }
}
