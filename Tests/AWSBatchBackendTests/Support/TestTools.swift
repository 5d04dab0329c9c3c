import Foundation
import SessionTestSupport

/// Paths and processes the AWS Batch tests use.
enum TestTools {
    /// A test failure with a message.
    typealias Failure = TestFailure

    /// The repository root, found from this file's path.
    static let repositoryRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// A path inside the repository.
    static func repositoryPath(_ relative: String) -> String { "\(repositoryRoot)/\(relative)" }

    /// Runs `arguments` (looked up on PATH), feeding `input`; returns standard output,
    /// throws with standard error when it exits non-zero.
    @discardableResult
    static func run(_ arguments: [String], input: Data = Data(), environment: [String: String]? = nil) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        if let environment { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        stdin.fileHandleForWriting.write(input)
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let errors = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure("\(arguments.joined(separator: " ")) exited \(process.terminationStatus): \(String(decoding: errors, as: UTF8.self))")
        }
        return output
    }
}

extension TestTools {
    /// A loopback TCP port nothing listens on: bound, then closed.
    static func closedPort() throws -> Int {
        let output = try run(["python3", "-c", "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1]); s.close()"])
        guard let port = Int(String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw Failure("no free port")
        }
        return port
    }
}
