/// Writes an open enum: a case per value, `unrecognized` for the values this version
/// does not know, and conversions to and from the protoc-c enum.
struct EnumEmitter {
    let type: ProtoEnum
    let registry: TypeRegistry
    let options: GeneratorOptions

    func emit(into out: inout CodeWriter) throws {
        let entry = try registry.entry(type.fullName)
        // Aliases share a number; the first name of a number is its case.
        var seen = Set<Int32>()
        let values = type.values.filter { seen.insert($0.number).inserted }
        let cases = values.map { ($0, SwiftNames.escaped(SwiftNames.caseName($0.name, enumName: type.name))) }

        let (scope, name) = TypeRegistry.split(entry.swiftName)
        if let scope {
            out.block("extension \(scope) {") { out in declaration(name, cases: cases, into: &out) }
        } else {
            declaration(name, cases: cases, into: &out)
        }
        out.line()
        let prefix = SwiftNames.upperSnake(type.name) + "_"
        let valueNamePrefix = type.values.allSatisfy { $0.name.hasPrefix(prefix) } ? prefix : ""
        out.block("extension \(entry.swiftName): ProtoEnum {") { out in
            out.line("/// The prefix of the value names.")
            out.line("\(options.packageModifier)static let valueNamePrefix = \"\(valueNamePrefix)\"")
            out.line()
            out.line("/// The case for the protoc-c enum.")
            out.block("\(options.packageModifier)init(_ value: \(entry.cType)) {") { out in
                out.line("self.init(rawValue: Int32(bitPattern: value.rawValue))")
            }
            out.line()
            out.line("/// The value's name in the `.proto` file, as the JSON mapping prints it; nil for")
            out.line("/// ``unrecognized(_:)``.")
            out.block("\(options.packageModifier)var protoName: String? {") { out in
                out.switchBlock("self") { out in
                    for (value, name) in cases { out.line("case .\(name): \"\(value.name)\"") }
                    out.line("case .unrecognized: nil")
                }
            }
            out.line()
            out.line("/// The protoc-c enum.")
            out.block("\(options.packageModifier)var cValue: \(entry.cType) {") { out in
                out.line("\(entry.cType)(rawValue: UInt32(bitPattern: rawValue))")
            }
        }
    }

    private func declaration(_ name: String, cases: [(ProtoEnum.Value, String)], into out: inout CodeWriter) {
        out.doc(type.comment)
        if !type.comment.isEmpty { out.line("///") }
        out.line("/// The `\(type.fullName)` enum. Protobuf enums are open: a value this version does not")
        out.line("/// know is kept as ``unrecognized(_:)`` and survives decoding and encoding.")
        out.block("\(options.publicModifier)enum \(name): RawRepresentable, Sendable, Hashable {") { out in
            for (value, name) in cases {
                let undocumented = DocComment.lines(value.comment).isEmpty
                out.doc(undocumented ? "`\(value.name)` = \(value.number)." : value.comment + "\n(`\(value.name)` = \(value.number))")
                out.line("case \(name)")
            }
            out.line("/// A value with no case here.")
            out.line("case unrecognized(Int32)")
            out.line()
            out.line("/// The case for a wire value.")
            out.block("\(options.publicModifier)init(rawValue: Int32) {") { out in
                out.switchBlock("rawValue") { out in
                    for (value, name) in cases { out.line("case \(value.number): self = .\(name)") }
                    out.line("default: self = .unrecognized(rawValue)")
                }
            }
            out.line()
            out.line("/// The wire value.")
            out.block("\(options.publicModifier)var rawValue: Int32 {") { out in
                out.switchBlock("self") { out in
                    for (value, name) in cases { out.line("case .\(name): \(value.number)") }
                    out.line("case .unrecognized(let value): value")
                }
            }
        }
    }
}
