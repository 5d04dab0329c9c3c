internal import SessionSDK
import Foundation

/// The session's GPUs, from `nvidia-smi --query-gpu=... --format=csv` (the query NVIDIA
/// documents for scripts; the same NVML figures as the library gives). Where
/// `nvidia-smi` is not installed or finds no GPU, the session has no GPUs: an empty
/// list, never zeros.
enum GPUQuery {
    /// The fields asked for, in `nvidia-smi`'s names.
    static let fields = ["index", "name", "utilization.gpu", "memory.used", "memory.total"]

    /// The arguments of the query.
    static var arguments: [String] { ["--query-gpu=\(fields.joined(separator: ","))", "--format=csv"] }

    /// Runs `nvidia-smi` from `path` (within `timeout`); no GPUs when it is absent,
    /// fails or answers something unreadable.
    static func run(path: String, timeout: Duration = .seconds(10)) -> [UtilizationSample.GPU] {
        guard let executable = path.split(separator: ":").map({ "\($0)/nvidia-smi" })
            .first(where: { FileManager.default.isExecutableFile(atPath: $0) }),
              let answer = CommandOutput.read([executable] + arguments, timeout: timeout)
        else { return [] }
        return (try? parse(csv: answer)) ?? []
    }

    /// The error of an answer that is not the expected CSV.
    struct FormatError: Error, CustomStringConvertible {
        var description: String
    }

    /// The GPUs of a CSV answer with its header line (units in the header, such as
    /// `memory.used [MiB]`, and in the values, such as `1234 MiB` or `35 %`). Columns are
    /// found by name, so answers with more fields read the same.
    static func parse(csv: String) throws -> [UtilizationSample.GPU] {
        let lines = csv.split(whereSeparator: \.isNewline).map(String.init).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        guard let header = lines.first else { return [] }
        let names = cells(header).map { $0.split(separator: " ").first.map(String.init) ?? "" }
        func column(_ field: String) throws -> Int {
            guard let index = names.firstIndex(of: field) else { throw FormatError(description: "no '\(field)' column in \(names)") }
            return index
        }
        let (index, name, utilization, used, total) = (
            try column("index"), try column("name"), try column("utilization.gpu"), try column("memory.used"),
            try column("memory.total")
        )
        return try lines.dropFirst().map { line in
            let values = cells(line)
            guard values.count == names.count else {
                throw FormatError(description: "a line has \(values.count) values for \(names.count) columns")
            }
            guard let number = Int(values[index]), let usedBytes = mebibytes(values[used]), let totalBytes = mebibytes(values[total]) else {
                throw FormatError(description: "unreadable GPU line: \(line)")
            }
            return UtilizationSample.GPU(
                index: number, name: values[name], utilizationPercent: percent(values[utilization]),
                memoryUsedBytes: usedBytes, memoryTotalBytes: totalBytes)
        }
    }

    /// The comma-separated cells of a line, trimmed.
    private static func cells(_ line: String) -> [String] {
        line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// `35 %` or `35`; nil for `[N/A]` and the like.
    private static func percent(_ value: String) -> Double? {
        Double(value.replacingOccurrences(of: "%", with: "").trimmingCharacters(in: .whitespaces))
    }

    /// `1234 MiB` or `1234`, in bytes.
    private static func mebibytes(_ value: String) -> Int64? {
        Int64(value.replacingOccurrences(of: "MiB", with: "").trimmingCharacters(in: .whitespaces)).map { $0 << 20 }
    }
}
