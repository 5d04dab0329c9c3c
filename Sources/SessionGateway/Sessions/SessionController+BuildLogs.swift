internal import Logging
internal import SessionSDK
internal import Synchronization

extension SessionController {
    /// Copies what a session's environment build wrote since the last look into its
    /// activity log, one `BUILD_LOG` entry per line, with the values of the session's
    /// secret variables masked as in reasons. Called on every observation while the
    /// session is BUILDING and on the one that ends the build, so that the whole log is
    /// kept, also for a BUILD_FAILED session.
    ///
    /// Where to continue is remembered per session; after a gateway restart it is the
    /// number of lines already recorded. A failure to read the log is logged and
    /// retried on the next observation: the build's state matters more than its log.
    func followBuildLog(
        of session: Session, handle: SessionHandle, provider: any SessionProvider, observed: SessionState
    ) async {
        guard !session.spec.packages.isEmpty, provider.capabilities.contains(.environmentBuilds),
              session.state == .building || observed == .building
        else { return }
        do {
            var next: Int
            if let known = buildLogLines.withLock({ $0[session.id] }) {
                next = known
            } else {
                next = try await store.eventCount(session: session.id, type: SessionEvent.buildLogType)
            }
            var mask: (@Sendable (String) -> String)?
            while true {
                let from = next
                let lines = try await providerCall { try await provider.buildLog(handle, from: from) }
                guard !lines.isEmpty else { break }
                let masking = if let mask { mask } else { await secretMask(of: session) }  // read once, when there are lines
                mask = masking
                try await store.appendEvents(session: session.id, type: SessionEvent.buildLogType, messages: lines.map(masking))
                next += lines.count
                buildLogLines.withLock { $0[session.id] = next }
                guard lines.count >= type(of: provider).buildLogPageSize else { break }
            }
            if observed != .building {
                _ = buildLogLines.withLock { $0.removeValue(forKey: session.id) }
            }
        } catch {
            logger.info(
                "reading the environment build log failed",
                metadata: ["session.id": "\(session.id)", "error": "\(error)"])
        }
    }
}
