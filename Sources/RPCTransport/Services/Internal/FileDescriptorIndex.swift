/// The `.proto` files the reflection service can describe, by file name and by the
/// fully qualified symbols they define.
struct FileDescriptorIndex: Sendable {
    private var files: [String: ProtoFileDescriptor] = [:]
    private var fileBySymbol: [String: String] = [:]
    private var messageTypes: Set<String> = []

    /// An index of `files` (a file given twice counts once).
    init(files: [ProtoFileDescriptor]) {
        for file in files where self.files[file.name] == nil {
            self.files[file.name] = file
            for symbol in file.symbols { fileBySymbol[symbol] = file.name }
            do {
                messageTypes.formUnion(try Self.messageTypes(inFile: file.descriptor[...]))
            } catch {
                preconditionFailure("the descriptor of \(file.name) is not a FileDescriptorProto: \(error)")
            }
        }
    }

    /// The serialized descriptors of the file called `name` and of every file it
    /// imports, directly or not: the file first, then each dependency once, in
    /// depth-first import order. Nil when no file has that name.
    func descriptorsWithDependencies(ofFile name: String) -> [[UInt8]]? {
        guard files[name] != nil else { return nil }
        var order: [String] = []
        var seen: Set<String> = []
        var pending = [name]
        while let next = pending.popLast() {
            guard seen.insert(next).inserted, let file = files[next] else { continue }
            order.append(next)
            pending.append(contentsOf: file.dependencies.reversed())
        }
        return order.compactMap { files[$0]?.descriptor }
    }

    /// The name of the file that defines a fully qualified symbol.
    func file(definingSymbol symbol: String) -> String? {
        fileBySymbol[symbol]
    }

    /// Whether `name` is a fully qualified message type, nested or not.
    func isMessageType(_ name: String) -> Bool {
        messageTypes.contains(name)
    }

    /// The fully qualified names of every message type in a `FileDescriptorProto`:
    /// `package` is field 2, `message_type` field 4; in a `DescriptorProto`, `name`
    /// is field 1 and `nested_type` field 3.
    private static func messageTypes(inFile descriptor: ArraySlice<UInt8>) throws -> [String] {
        let fields = try ProtobufWireReader.fields(of: descriptor)
        let package = fields.last { $0.number == 2 }?.bytes.map { String(decoding: $0, as: UTF8.self) } ?? ""
        var names: [String] = []
        for field in fields where field.number == 4 {
            try collectMessageTypes(field.bytes ?? [], scope: package, into: &names)
        }
        return names
    }

    private static func collectMessageTypes(
        _ message: ArraySlice<UInt8>,
        scope: String,
        into names: inout [String]
    ) throws {
        let fields = try ProtobufWireReader.fields(of: message)
        let name = fields.last { $0.number == 1 }?.bytes.map { String(decoding: $0, as: UTF8.self) } ?? ""
        let fullName = scope.isEmpty ? name : "\(scope).\(name)"
        names.append(fullName)
        for field in fields where field.number == 3 {
            try collectMessageTypes(field.bytes ?? [], scope: fullName, into: &names)
        }
    }
}
