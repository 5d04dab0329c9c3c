import Foundation
import SessionTestSupport

/// Paths and processes the Kubernetes backend tests use.
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

    /// Runs `arguments` (looked up on PATH); returns the exit status, standard output and
    /// standard error.
    static func execute(_ arguments: [String], environment: [String: String]? = nil) throws -> (status: Int32, output: String, errors: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        if let environment { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        let stdout = Pipe(), stderr = Pipe()
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let errors = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self), String(decoding: errors, as: UTF8.self))
    }

    /// Runs `arguments`; returns standard output, throws with standard error when it exits non-zero.
    @discardableResult
    static func run(_ arguments: [String], environment: [String: String]? = nil) throws -> String {
        let result = try execute(arguments, environment: environment)
        guard result.status == 0 else {
            throw Failure("\(arguments.joined(separator: " ")) exited \(result.status): \(result.errors)\(result.output)")
        }
        return result.output
    }

    /// Validates files with the emulator's strict schema validator
    /// (`scripts/lib/kube_api/validation.py`); returns whether all are valid, and its report.
    static func validate(_ paths: [String]) throws -> (valid: Bool, report: String) {
        let result = try execute(["python3", repositoryPath("scripts/lib/kube_api/validation.py")] + paths)
        return (result.status == 0, result.output + result.errors)
    }
}
