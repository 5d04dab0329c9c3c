internal import Foundation
internal import Logging
internal import NIOCore
internal import SessionSDK

/// What every connection of the proxy shares: the authorizer, the connected users,
/// the audit trail, the log, and the timeouts.
struct ProxyServices: Sendable {
    /// Decides every request.
    let authorizer: ConnectionAuthorizer
    /// Who is connected to which session.
    let users: ConnectedUsers
    /// Where connections are audited.
    let store: SessionStore
    /// The gateway's log (never given tokens or tickets).
    let logger: Logger
    /// How long a backend may take to accept a connection and to begin its answer.
    let backendTimeout: TimeAmount
    /// How often a long response or a tunnel re-checks its caller.
    let recheckInterval: TimeAmount
    /// `http` or `https`, for `X-Forwarded-Proto`.
    let scheme: String

    /// Records that `caller` connected to a session, when that begins a new presence:
    /// in the audit trail (`ConnectionProxy/Connect`) and the log.
    func recordConnect(_ plan: ForwardPlan) {
        guard users.opened(plan.caller.caller, workspace: plan.workspace, session: plan.session) else { return }
        logger.info(
            "connected to a session through the proxy",
            metadata: ["caller": "\(plan.caller.caller)", "workspace": "\(plan.workspace)", "session": "\(plan.session)"])
        let entry = AuditEntry(
            time: Date().timeIntervalSince1970, caller: plan.caller.caller, workspace: plan.workspace.rawValue,
            action: "ConnectionProxy/Connect", target: plan.session.rawValue, result: "OK")
        let store = store
        let logger = logger
        Task {
            do throws(SessionError) {
                try await store.appendAudit(entry)
            } catch {
                logger.error("could not write the audit trail", metadata: ["error": "\(error.message)"])
            }
        }
    }

    /// Records that a connection counted by ``recordConnect(_:)`` ended.
    func recordClose(_ plan: ForwardPlan) {
        users.closed(plan.caller.caller, workspace: plan.workspace, session: plan.session)
    }

    /// Closes `channel` once the plan's caller may no longer reach the session,
    /// checking every ``recheckInterval`` while the channel is open.
    @discardableResult
    func recheck(_ plan: ForwardPlan, closing channel: any Channel) -> RepeatedTask {
        let authorizer = authorizer
        let logger = logger
        let task = channel.eventLoop.scheduleRepeatedAsyncTask(initialDelay: recheckInterval, delay: recheckInterval) { _ in
            let promise = channel.eventLoop.makePromise(of: Void.self)
            promise.completeWithTask {
                guard await !authorizer.stillAllowed(plan) else { return }
                logger.notice(
                    "closed a proxied connection: its caller may no longer connect to the session",
                    metadata: ["caller": "\(plan.caller.caller)", "session": "\(plan.session)"])
                channel.close(promise: nil)
            }
            return promise.futureResult
        }
        channel.closeFuture.whenComplete { _ in task.cancel() }
        return task
    }
}
