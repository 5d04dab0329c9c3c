import Foundation
@testable import SessionAgent
import SessionSDK
import Testing

@Suite("GPU query: nvidia-smi's answers of real GPUs")
struct GPUQueryTests {
    static let fixtures = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appending(path: "Fixtures/nvidia-smi")

    static func recorded(_ name: String) throws -> String {
        try String(contentsOf: fixtures.appending(path: name), encoding: .utf8)
    }

    @Test("recorded answers of an H100 idle, under load and in MIG mode, and of an RTX 4080, read as those GPUs", arguments: [
        ("nvidia-h100-80gb-hbm3__590.48.01__idle.csv", "NVIDIA H100 80GB HBM3", 0.0 as Double?, Int64(0), Int64(81559)),
        ("nvidia-h100-80gb-hbm3__590.48.01__load.csv", "NVIDIA H100 80GB HBM3", 100, 19818, 81559),
        ("nvidia-h100-mig__590.48.01__load.csv", "NVIDIA H100 80GB HBM3", nil, 11125, 81559),
        ("nvidia-geforce-rtx-4080-super__595.71.05__load.csv", "NVIDIA GeForce RTX 4080 SUPER", 7, 1474, 16376),
    ])
    func recordedAnswers(file: String, name: String, utilization: Double?, usedMiB: Int64, totalMiB: Int64) throws {
        let gpus = try GPUQuery.parse(csv: try Self.recorded(file))
        #expect(gpus == [
            UtilizationSample.GPU(
                index: 0, name: name, utilizationPercent: utilization, memoryUsedBytes: usedMiB << 20, memoryTotalBytes: totalMiB << 20),
        ])
    }

    @Test("the query runs nvidia-smi from PATH with the documented arguments and reads its answer")
    func runsNvidiaSMI() throws {
        let directory = FileManager.default.temporaryDirectory.appending(path: "gpu-query-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // Stands where nvidia-smi is installed: answers the recorded load of an H100, but
        // only to the query the agent documents.
        let script = """
            #!/bin/sh
            [ "$1" = "--query-gpu=index,name,utilization.gpu,memory.used,memory.total" ] && [ "$2" = "--format=csv" ] || exit 6
            cat '\(Self.fixtures.appending(path: "nvidia-h100-80gb-hbm3__590.48.01__load.csv").path)'
            """
        let executable = directory.appending(path: "nvidia-smi")
        try script.write(to: executable, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: executable.path)
        let gpus = GPUQuery.run(path: "/nonexistent:\(directory.path)")
        #expect(gpus.map(\.utilizationPercent) == [100])
        #expect(GPUQuery.run(path: "/nonexistent") == [], "no nvidia-smi: no GPUs, not zeros")
    }

    @Test("answers that are not the expected CSV are refused", arguments: [
        "index, name\n0, x\n",
        "index, name, utilization.gpu [%], memory.used [MiB], memory.total [MiB]\n0, x, 5 %\n",
        "index, name, utilization.gpu [%], memory.used [MiB], memory.total [MiB]\nzero, x, 5 %, 1 MiB, 2 MiB\n",
    ])
    func refused(csv: String) {
        #expect(throws: GPUQuery.FormatError.self) { try GPUQuery.parse(csv: csv) }
    }
}
