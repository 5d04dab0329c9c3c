import Foundation
import RPCTransport

extension OutputOptions {
    /// How `--output json` prints messages: protobuf's canonical JSON mapping (as
    /// `grpcurl` and `json_format.MessageToJson` print it), with every field that has no
    /// presence printed even when it holds its default, so scripts find every key.
    static let json = ProtoJSONOptions(alwaysPrintFieldsWithNoPresence: true)

    /// Prints a result: `value` as one pretty-printed JSON document with `--output
    /// json`, else the text `table` makes.
    func print(_ value: some ProtoJSONEncodable, table: () -> String) {
        switch output {
        case .json: Console.out(value.jsonValue(options: Self.json).rendered(pretty: true))
        case .table: Console.out(table())
        }
    }

    /// Seconds since 1970 now, for ages in tables.
    var now: Double { Date().timeIntervalSince1970 }
}
