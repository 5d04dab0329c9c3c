import Foundation
import Glibc
import Logging
import Synchronization

/// The log handler of the in-process gateways the tests start (``GatewayHarness``,
/// ``RunningGateway``): when `SESSIONGW_TEST_LOG_DIR` is set (`scripts/test.sh` sets it
/// to `reports/logs`), every message at debug level and up is appended to
/// `$SESSIONGW_TEST_LOG_DIR/LABEL.log`, so that `scripts/check-secrets.sh` searches
/// these gateways' logs for the test secrets' values as it does the `sessiongw serve`
/// processes'. Without the variable the tests stay silent.
///
/// One line per message: time (UTC), level, label, message, then the handler's, the
/// metadata provider's and the message's metadata as `key=value`, then the source.
/// Appends are safe from any thread: every logger writing a file shares one
/// descriptor opened with `O_APPEND`, and each line is written whole under a lock.
/// Files are appended to, never truncated, so one folder can hold a whole run.
///
/// ```swift
/// let logger = TestLogHandler.logger(label: "running-gateway")
/// // SESSIONGW_TEST_LOG_DIR=/tmp/logs: lines go to /tmp/logs/running-gateway.log
/// ```
struct TestLogHandler: LogHandler {
    /// The variable naming the folder the logs go to.
    static let directoryVariable = "SESSIONGW_TEST_LOG_DIR"

    /// A logger called `label`: writing to `LABEL.log` at debug level when
    /// `SESSIONGW_TEST_LOG_DIR` is set, discarding everything when it is not (or
    /// when the file cannot be opened, which is said on standard error).
    static func logger(label: String) -> Logger {
        guard let directory = ProcessInfo.processInfo.environment[directoryVariable], !directory.isEmpty,
              let file = LogFile.shared(path: "\(directory)/\(label).log")
        else {
            return Logger(label: label) { _ in SwiftLogNoOpLogHandler() }
        }
        return Logger(label: label) { label in TestLogHandler(label: label, file: file) }
    }

    private static let time = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    let label: String
    private let file: LogFile
    var logLevel: Logger.Level = .debug
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    private init(label: String, file: LogFile) {
        self.label = label
        self.file = file
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let own = event.metadata { merged.merge(own) { $1 } }
        var line = "\(Self.time.format(Date())) \(event.level) \(label): \(event.message)"
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) { line += " \(key)=\(value)" }
        line += " [\(event.source)]\n"
        file.append(line)
    }
}

/// A log file open for appending, shared by every logger writing to it.
private final class LogFile: Sendable {
    /// The open files by path; opened once per process.
    private static let opened = Mutex<[String: LogFile]>([:])

    private let descriptor: Mutex<Int32>

    private init(descriptor: Int32) {
        self.descriptor = Mutex(descriptor)
    }

    /// The file at `path`, created (with its folder) when missing; nil when it cannot
    /// be opened.
    static func shared(path: String) -> LogFile? {
        opened.withLock { files in
            if let file = files[path] { return file }
            let folder = (path as NSString).deletingLastPathComponent
            try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let descriptor = Glibc.open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else {
                FileHandle.standardError.write(Data("test logs: cannot open \(path): \(String(cString: strerror(errno)))\n".utf8))
                return nil
            }
            let file = LogFile(descriptor: descriptor)
            files[path] = file
            return file
        }
    }

    /// Appends `text` whole: no other line is written in the middle of it.
    func append(_ text: String) {
        let bytes = Array(text.utf8)
        descriptor.withLock { descriptor in
            var written = 0
            while written < bytes.count {
                let result = bytes.withUnsafeBytes { buffer in
                    Glibc.write(descriptor, buffer.baseAddress! + written, buffer.count - written)
                }
                if result > 0 {
                    written += result
                } else if result < 0 && errno == EINTR {
                    continue
                } else {
                    return
                }
            }
        }
    }
}
