import ArgumentParser
import Foundation
import SessionGateway

/// Reading the gateway's YAML configuration file, for every command that takes `--config`.
enum ConfigurationFile {
    /// The file's text.
    ///
    /// - Throws: `ValidationError` naming the file when it cannot be read.
    static func text(at path: String) throws -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ValidationError("cannot read the configuration file '\(path)'")
        }
        return text
    }

    /// The configuration in the file at `path`, or the embedded default when `path` is nil.
    ///
    /// - Throws: `ValidationError` when the file cannot be read, ``ConfigurationError``
    ///   when it is not a valid configuration.
    static func load(_ path: String?, dataDirectory: String) throws -> GatewayConfiguration {
        guard let path else { return .embeddedDefault(dataDirectory: dataDirectory) }
        return try GatewayConfiguration.load(yaml: try text(at: path), dataDirectory: dataDirectory)
    }
}
