import ArgumentParser
import Foundation
import RPCTransport

/// Runs the body of a client command: resolves the connection settings, opens a
/// ``GatewayClient``, and turns failures into a message on standard error and the
/// exit status of ``ClientExitCode``.
///
/// ```swift
/// func run() async throws {
///     try await ClientInvocation.run(connection) { gateway in ... }
/// }
/// ```
enum ClientInvocation {
    /// Runs `body` with a client for the settings of `options`.
    ///
    /// - Throws: `ExitCode` with the status for a failure, after printing
    ///   `error: CODE: message` (and a hint where one helps); usage errors as they are.
    static func run(_ options: ConnectionOptions, _ body: (GatewayClient) async throws -> Void) async throws {
        var resolved: ClientSettings?
        do {
            let settings = try settings(for: options)
            resolved = settings
            try await GatewayClient.withClient(settings) { gateway in try await body(gateway) }
        } catch let error as RPCError {
            Console.error("error: \(error.code): \(error.message)")
            if let hint = hint(for: error, settings: resolved) { Console.error("hint: \(hint)") }
            throw ExitCode(ClientExitCode.forStatus(error.code))
        } catch let failure as ClientFailure {
            Console.error("error: \(failure.message)")
            if let hint = failure.hint { Console.error("hint: \(hint)") }
            throw ExitCode(failure.exitCode)
        }
    }

    /// The merged settings of the flags, the environment and the config file.
    static func settings(for options: ConnectionOptions) throws -> ClientSettings {
        let environment = ProcessInfo.processInfo.environment
        let file = try ClientSettings.configPath(flag: options.config, environment: environment).flatMap { location in
            try ClientConfigFile.load(path: location.path, explicit: location.explicit, home: environment["HOME"])
        }
        return ClientSettings.merging(
            flags: options.flags, environment: ClientSettings.Layer(environment: environment), file: file?.layer)
    }

    private static func hint(for error: RPCError, settings: ClientSettings?) -> String? {
        switch error.code {
        case .unauthenticated:
            if let origin = settings?.tokenOrigin {
                return "the token from \(origin) was refused; the gateway printed where its admin token is"
            }
            return "pass --token or set SESSIONGW_TOKEN; the gateway printed where its admin token is"
        case .unavailable where error.message.hasPrefix("could not connect"):
            return "is the gateway running at that address? Start one with 'sessiongw serve', or pass --address"
        default:
            return nil
        }
    }
}
