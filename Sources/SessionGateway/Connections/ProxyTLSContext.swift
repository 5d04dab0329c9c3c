internal import Foundation
internal import Logging
internal import NIOSSL
internal import Synchronization

/// The connection proxy's TLS context, from the gateway's certificate and key, rebuilt
/// when the files change (checked at most once a second) so that renewed
/// certificates take effect without a restart. ALPN offers `http/1.1`. The proxy asks
/// for no client certificate: its callers are browsers, which prove themselves with
/// link tickets or bearer tokens.
final class ProxyTLSContext: Sendable {
    private struct State {
        var context: NIOSSLContext
        var stamps: [Date?]
        var checked: ContinuousClock.Instant
    }

    private let certificate: String
    private let privateKey: String
    private let logger: Logger
    private let state: Mutex<State>

    /// Loads the context now.
    ///
    /// - Throws: ``ConfigurationError`` when the files do not make a usable context.
    init(certificate: String, privateKey: String, logger: Logger) throws {
        self.certificate = certificate
        self.privateKey = privateKey
        self.logger = logger
        let stamps = Self.stamps([certificate, privateKey])
        state = Mutex(State(context: try Self.make(certificate: certificate, privateKey: privateKey), stamps: stamps, checked: .now))
    }

    /// The context for a new connection.
    func current() -> NIOSSLContext {
        let now = ContinuousClock.now
        let due = state.withLock { state -> [Date?]? in
            guard now - state.checked >= .seconds(1) else { return nil }
            state.checked = now
            let stamps = Self.stamps([certificate, privateKey])
            return stamps == state.stamps ? nil : stamps
        }
        if let stamps = due {
            do {
                let context = try Self.make(certificate: certificate, privateKey: privateKey)
                state.withLock {
                    $0.context = context
                    $0.stamps = stamps
                }
                logger.info("reloaded the connection proxy's TLS certificate")
            } catch {
                logger.error("the changed TLS files do not load; the connection proxy keeps the previous certificate")
            }
        }
        return state.withLock { $0.context }
    }

    private static func make(certificate: String, privateKey: String) throws -> NIOSSLContext {
        do {
            let chain = try NIOSSLCertificate.fromPEMFile(certificate)
            var configuration = TLSConfiguration.makeServerConfiguration(
                certificateChain: chain.map { .certificate($0) },
                privateKey: .privateKey(try NIOSSLPrivateKey(file: privateKey, format: .pem)))
            configuration.applicationProtocols = ["http/1.1"]
            configuration.minimumTLSVersion = .tlsv12
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw ConfigurationError(path: "tls", message: "the certificate or key does not load for the connection proxy: \(error)")
        }
    }

    private static func stamps(_ paths: [String]) -> [Date?] {
        paths.map { (try? FileManager.default.attributesOfItem(atPath: $0))?[.modificationDate] as? Date }
    }
}
