import Foundation
import SessionSDK

/// Runs a program on the gateway host (tar for checkpoints, unshare for `execute`),
/// collecting its output, with an optional time limit.
enum LocalCommand {
    /// Runs `executable` with `arguments` and `environment`, and `input` (if any) on
    /// its standard input.
    ///
    /// - Throws: `INTERNAL` when it cannot start, `DEADLINE_EXCEEDED` after `timeout`.
    static func run(
        _ executable: String, _ arguments: [String], environment: [String: String], input: Data? = nil, timeout: Duration?
    ) async throws(SessionError) -> ExecutionResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        let inputPipe = input.map { _ in Pipe() }
        process.standardInput = inputPipe ?? FileHandle.nullDevice
        let ended = AsyncStream<Void>.makeStream()
        process.terminationHandler = { _ in ended.continuation.finish() }
        do {
            try process.run()
        } catch {
            throw SessionError(.internalError, "cannot run \(executable) on the gateway host", cause: error)
        }
        if let inputPipe, let input {
            Task.detached {
                try? inputPipe.fileHandleForWriting.write(contentsOf: input)
                try? inputPipe.fileHandleForWriting.close()
            }
        }
        async let collectedOutput = Task.detached { output.fileHandleForReading.readDataToEndOfFile() }.value
        async let collectedErrors = Task.detached { errors.fileHandleForReading.readDataToEndOfFile() }.value
        let finished = await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                for await _ in ended.stream {}
                return true
            }
            if let timeout {
                group.addTask {
                    try? await Task.sleep(for: timeout)
                    return false
                }
            }
            let first = await group.next() ?? true
            if !first { kill(process.processIdentifier, SIGKILL) }
            group.cancelAll()
            return first
        }
        let (stdout, stderr) = await (collectedOutput, collectedErrors)
        process.waitUntilExit()
        guard finished else {
            throw SessionError(.deadlineExceeded, "\((executable as NSString).lastPathComponent) did not finish within \(timeout ?? .zero)")
        }
        return ExecutionResult(
            exitCode: process.terminationStatus, output: String(decoding: stdout, as: UTF8.self),
            errorOutput: String(decoding: stderr, as: UTF8.self))
    }
}
