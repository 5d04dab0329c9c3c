internal import Foundation
internal import Logging
internal import NIOSSL
import Synchronization

/// The TLS context of a listener, rebuilt when its certificate, key or client trust
/// roots change on disk, so that renewed certificates take effect without a restart.
/// New connections use the newest context; open ones keep theirs. The files are
/// checked at most once a second; a change that does not load (a half-written file)
/// keeps the previous context and is logged, and is tried again on the next check.
final class ReloadingTLSContext: Sendable {
    private struct State {
        var context: NIOSSLContext
        var stamps: [Date?]
        var checked: ContinuousClock.Instant
    }

    private let listener: RPCServer.Listener
    private let paths: [String]
    private let logger: Logger
    private let state: Mutex<State>

    /// Loads the context now.
    ///
    /// - Throws: `INVALID_ARGUMENT` when the files do not make a usable context.
    init(_ listener: RPCServer.Listener, settings: RPCServer.TLSConfiguration, logger: Logger) throws {
        self.listener = listener
        self.paths = [settings.certificateChainPath, settings.privateKeyPath] + (settings.clientCertificateTrustRootsPath.map { [$0] } ?? [])
        self.logger = logger
        let stamps = Self.stamps(paths)
        state = Mutex(State(context: try listener.makeTLSContext(), stamps: stamps, checked: .now))
    }

    /// The context for a new connection.
    func current() -> NIOSSLContext {
        let now = ContinuousClock.now
        let due = state.withLock { state -> [Date?]? in
            guard now - state.checked >= .seconds(1) else { return nil }
            state.checked = now
            let stamps = Self.stamps(paths)
            return stamps == state.stamps ? nil : stamps
        }
        if let stamps = due {
            do {
                let context = try listener.makeTLSContext()
                state.withLock {
                    $0.context = context
                    $0.stamps = stamps
                }
                logger.info("reloaded the TLS certificate", metadata: ["rpc.listener": "\(listener)"])
            } catch {
                logger.error(
                    "the changed TLS files do not load; keeping the previous certificate",
                    metadata: ["rpc.listener": "\(listener)", "error": "\(error)"])
            }
        }
        return state.withLock { $0.context }
    }

    private static func stamps(_ paths: [String]) -> [Date?] {
        paths.map { (try? FileManager.default.attributesOfItem(atPath: $0))?[.modificationDate] as? Date }
    }
}
