import Foundation

extension OutputOptions {
    /// Prints a result: `value` as one pretty-printed JSON document with `--output
    /// json`, else the text `table` makes.
    func print(_ value: some JSONRepresentable, table: () -> String) {
        print(json: value.jsonValue, table: table)
    }

    /// Prints a result: `json` as one pretty-printed document with `--output json`,
    /// else the text `table` makes.
    func print(json: JSONValue, table: () -> String) {
        switch output {
        case .json: Console.out(json.rendered(pretty: true))
        case .table: Console.out(table())
        }
    }

    /// Seconds since 1970 now, for ages in tables.
    var now: Double { Date().timeIntervalSince1970 }
}
