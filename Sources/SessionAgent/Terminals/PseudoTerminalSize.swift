/// A terminal window's size in character cells.
public struct PseudoTerminalSize: Hashable, Sendable {
    /// Rows; at least 1.
    public var rows: UInt16
    /// Columns; at least 1.
    public var columns: UInt16

    /// A size; zero becomes 1.
    public init(rows: UInt16, columns: UInt16) {
        self.rows = max(rows, 1)
        self.columns = max(columns, 1)
    }

    /// 24 × 80, what terminals start with.
    public static let standard = PseudoTerminalSize(rows: 24, columns: 80)
}
