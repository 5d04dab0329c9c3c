import Foundation
import Glibc
import SessionSDK

extension ChildProcess {
    /// Runs a program to completion, with `input` (if any) on its standard input, and
    /// returns its exit code and output.
    ///
    /// Output goes through two files in `scratchDirectory` (no pipes, so a chatty
    /// program cannot dead-lock against a reader), which are removed afterwards. At
    /// most `outputLimit` bytes of each stream are returned.
    ///
    /// - Throws: `DEADLINE_EXCEEDED` after `timeout`, `CANCELLED`, or `INTERNAL` when
    ///   the program cannot be started.
    static func run(
        _ executable: String, _ arguments: [String], environment: [String: String], input: [UInt8]? = nil,
        scratchDirectory: String, timeout: Duration?, outputLimit: Int = 4 << 20
    ) async throws(SessionError) -> ExecutionResult {
        let stem = "\(scratchDirectory)/run-\(UInt64.random(in: .min ... .max))"
        let outputPath = stem + ".out"
        let errorPath = stem + ".err"
        defer {
            unlink(outputPath)
            unlink(errorPath)
        }
        do {
            try FileManager.default.createDirectory(atPath: scratchDirectory, withIntermediateDirectories: true)
        } catch {
            throw SessionError(.internalError, "cannot create the scratch directory \(scratchDirectory)", cause: error)
        }
        let child = try spawn(
            executable, arguments, environment: environment, input: input,
            standardOutput: .file(outputPath, append: false), standardError: .file(errorPath, append: false))
        let termination = try await child.waitForExit(timeout: timeout)
        return ExecutionResult(
            exitCode: termination.exitCode,
            output: readPrefix(of: outputPath, limit: outputLimit),
            errorOutput: readPrefix(of: errorPath, limit: outputLimit))
    }

    /// The first `limit` bytes of a file as text; empty when it cannot be read.
    static func readPrefix(of path: String, limit: Int) -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { return "" }
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: limit)) ?? nil
        return String(decoding: data ?? Data(), as: UTF8.self)
    }
}
