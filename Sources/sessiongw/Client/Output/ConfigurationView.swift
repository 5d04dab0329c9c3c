import SessionAPI

/// How workspace configurations look to people.
enum ConfigurationView {
    /// The columns of ``table(_:)``.
    static let columns = ["NAME", "DEFAULT", "ENV", "INIT", "DESCRIPTION"]

    /// One row per configuration: the variables it sets by name, whether it has a script.
    static func table(_ configurations: [V1Configuration]) -> TextTable {
        TextTable(columns: columns, rows: configurations.map { configuration in
            [
                configuration.name,
                configuration.defaultOn ? "on" : "-",
                configuration.env.isEmpty ? "-" : configuration.env.map(\.name).joined(separator: ","),
                configuration.initScript.isEmpty ? "-" : "yes",
                configuration.description,
            ]
        })
    }
}
