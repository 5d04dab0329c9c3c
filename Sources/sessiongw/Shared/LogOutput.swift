import ArgumentParser
import Logging

/// Where the long-running commands (`serve`, `provider serve`, `conformance`) log:
/// standard error, at the level `--log-level` names.
enum LogOutput {
    /// Sends every logger of the process to standard error at `level`.
    ///
    /// - Throws: `ValidationError` listing the levels when `level` is not one.
    static func bootstrap(level: String) throws {
        guard let level = Logger.Level(rawValue: level) else {
            throw ValidationError(
                "'\(level)' is not a log level; use one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}
