import SessionAPI

/// How data-links look to people.
enum DataLinkView {
    /// The columns of ``table(_:)``.
    static let columns = ["NAME", "ID", "LOCATION", "DESCRIPTION"]

    /// One row per data-link.
    static func table(_ links: [V1DataLink]) -> TextTable {
        TextTable(columns: columns, rows: links.map { [$0.name, $0.id, $0.location, $0.description] })
    }
}
