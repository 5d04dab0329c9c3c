import Foundation
import Yams

/// The client config file: YAML with any of `address`, `token`, `tokenFile`,
/// `workspace` and `caFile`.
///
/// ```yaml
/// address: 127.0.0.1:50051
/// tokenFile: ~/.sessiongw/admin-token    # relative paths are relative to this file
/// workspace: default
/// ```
struct ClientConfigFile: Sendable, Equatable {
    private struct Model: Decodable {
        var address: String?
        var token: String?
        var tokenFile: String?
        var workspace: String?
        var caFile: String?
    }

    /// The settings the file gives, with `tokenFile` already read into `token`.
    var layer: ClientSettings.Layer

    /// Reads the file at `path`.
    ///
    /// - Returns: nil when the file does not exist and was not named explicitly.
    /// - Throws: ``ClientFailure`` when the file cannot be read or parsed, sets both
    ///   `token` and `tokenFile`, or its `tokenFile` cannot be read or is empty.
    static func load(path: String, explicit: Bool, home: String?) throws -> ClientConfigFile? {
        guard FileManager.default.fileExists(atPath: path) else {
            guard explicit else { return nil }
            throw ClientFailure(ClientExitCode.clientError, "config file \(path) does not exist")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ClientFailure(ClientExitCode.clientError, "config file \(path) cannot be read")
        }
        return try parse(String(decoding: data, as: UTF8.self), path: path, home: home) { tokenPath in
            FileManager.default.contents(atPath: tokenPath).map { String(decoding: $0, as: UTF8.self) }
        }
    }

    /// Parses the text of the file at `path`; `readFile` reads a token file (nil when
    /// it cannot). `~/` in paths stands for `home`; other relative paths are relative
    /// to the file's directory.
    static func parse(
        _ text: String, path: String, home: String?, readFile: (String) -> String?
    ) throws -> ClientConfigFile {
        let model: Model
        do {
            model = try YAMLDecoder().decode(Model.self, from: text.isEmpty ? "{}" : text)
        } catch {
            throw ClientFailure(ClientExitCode.clientError, "config file \(path) is not valid: \(error)")
        }
        var layer = ClientSettings.Layer(
            address: model.address, workspace: model.workspace,
            caFile: model.caFile.map { resolve($0, relativeTo: path, home: home) })
        switch (model.token, model.tokenFile) {
        case (let token?, nil):
            layer.token = token
            layer.tokenOrigin = "token in \(path)"
        case (nil, let file?):
            let tokenPath = resolve(file, relativeTo: path, home: home)
            guard let contents = readFile(tokenPath) else {
                throw ClientFailure(ClientExitCode.clientError, "tokenFile \(tokenPath) (from \(path)) cannot be read")
            }
            let token = contents.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !token.isEmpty else {
                throw ClientFailure(ClientExitCode.clientError, "tokenFile \(tokenPath) (from \(path)) is empty")
            }
            layer.token = token
            layer.tokenOrigin = tokenPath
        case (_?, _?):
            throw ClientFailure(ClientExitCode.clientError, "config file \(path) sets both token and tokenFile; keep one")
        case (nil, nil):
            break
        }
        return ClientConfigFile(layer: layer)
    }

    /// `path` made absolute: `~/x` under `home`, `x` beside `file`.
    static func resolve(_ path: String, relativeTo file: String, home: String?) -> String {
        if path.hasPrefix("/") { return path }
        if path.hasPrefix("~/"), let home { return home + path.dropFirst(1) }
        guard let slash = file.lastIndex(of: "/") else { return path }
        return file[...slash] + path
    }
}
