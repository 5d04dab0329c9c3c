import Foundation

/// What the agent keeps of a terminal across restarts (besides its scrollback file).
struct TerminalRecord: Hashable, Sendable {
    var name: String
    var command: [String]
    var directory: String
    var createdAt: Date
    var lastAttachedAt: Date?
}

/// The terminals' records in `DIRECTORY/terminals.json`, written atomically:
///
/// ```json
/// {"v":1,"terminals":[{"name":"quiet-otter","command":["/bin/bash"],"directory":"/workspace",
///   "createTime":"2026-12-06T10:00:00Z","lastAttachTime":"2026-12-06T10:05:00Z"}]}
/// ```
///
/// A missing file is no terminals; a newer format is refused rather than misread.
struct TerminalRecords: Sendable {
    let file: URL

    init(directory: URL) {
        file = directory.appendingPathComponent("terminals.json")
    }

    private static let version = 1

    private struct Document: Codable {
        var v: Int
        var terminals: [Entry]
    }

    private struct Entry: Codable {
        var name: String
        var command: [String]
        var directory: String
        var createTime: Date
        var lastAttachTime: Date?
    }

    func load() throws -> [TerminalRecord] {
        guard let data = try? Data(contentsOf: file) else { return [] }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let document = try decoder.decode(Document.self, from: data)
        guard document.v <= Self.version else {
            throw CocoaError(.fileReadCorruptFile, userInfo: [
                NSLocalizedDescriptionKey: "\(file.path) is in format \(document.v), newer than this agent's \(Self.version)"
            ])
        }
        return document.terminals.filter { TerminalNames.isValid($0.name) && !$0.command.isEmpty }.map {
            TerminalRecord(
                name: $0.name, command: $0.command, directory: $0.directory, createdAt: $0.createTime,
                lastAttachedAt: $0.lastAttachTime)
        }
    }

    func save(_ records: [TerminalRecord]) throws {
        let document = Document(v: Self.version, terminals: records.map {
            Entry(name: $0.name, command: $0.command, directory: $0.directory, createTime: $0.createdAt,
                  lastAttachTime: $0.lastAttachedAt)
        })
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        try encoder.encode(document).write(to: file, options: .atomic)
    }
}
