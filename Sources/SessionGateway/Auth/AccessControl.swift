internal import Foundation
internal import Logging
public import RPCTransport
internal import SessionAPI
public import SessionSDK

/// Decides whether the authenticated caller may make a call in the workspace it names,
/// from ``AccessPolicy`` and the workspace's members, and records mutating calls in
/// the audit trail. Every handler of the public API registers through
/// ``RPCRouter/unary(_:access:target:handler:)`` or its streaming twin, so no call
/// reaches a handler without this check.
///
/// Calls that stay open (server streams) are authorized again every
/// `streamRecheckInterval` (5 seconds by default): once the caller's credential is
/// revoked or expires, or the caller is removed from the workspace or its role drops
/// below what the call needs, the stream ends with `UNAUTHENTICATED` or
/// `PERMISSION_DENIED`. Members and tokens may change in another process (the admin
/// commands write the store directly), so the check reads the store each time.
///
/// The audit trail stores nothing a caller sends unbounded: targets and workspace names
/// are cut to ``maxAuditField`` characters, and the entries of refused calls are
/// rate-limited per caller (``AuditLimiter``).
public struct AccessControl: Sendable {
    let store: SessionStore
    let authenticator: Authenticator?
    /// How often an open stream's caller is authorized again.
    let streamRecheckInterval: Duration
    let refusals = AuditLimiter()

    /// The most characters of a target or workspace name an audit entry keeps.
    static let maxAuditField = 256

    /// Creates the access control over the store's members; `authenticator` re-checks
    /// the credentials of open streams (without one, only their membership is).
    public init(store: SessionStore, authenticator: Authenticator? = nil, streamRecheckInterval: Duration = .seconds(5)) {
        self.store = store
        self.authenticator = authenticator
        self.streamRecheckInterval = streamRecheckInterval
    }

    /// The grant for a call, or the refusal.
    ///
    /// - Throws: `UNAUTHENTICATED` without a principal; `NOT_FOUND` when the caller is
    ///   not a member of the workspace (whether or not it exists); `PERMISSION_DENIED`
    ///   when its role is too low; `INVALID_ARGUMENT` for a malformed workspace id.
    public func authorize(_ context: ServerContext, workspace name: String) async throws(SessionError) -> AccessGrant {
        guard let principal = context.principal else {
            throw SessionError(.unauthenticated, "this call needs 'authorization: Bearer TOKEN' metadata")
        }
        guard let rule = AccessPolicy.rules[context.method] else {
            throw SessionError(.permissionDenied, "\(context.method) is not open to callers")
        }
        let workspace = try WorkspaceID(validating: name)
        let role: Role
        if principal.isAdministrator {
            role = .admin
        } else {
            guard let membership = try await store.role(of: principal.caller, in: workspace) else {
                throw SessionError(.notFound, "workspace '\(workspace)' not found, or you are not one of its members")
            }
            role = membership
        }
        guard role >= rule.role else {
            throw SessionError(
                .permissionDenied,
                "your role in workspace '\(workspace)' is \(role.rawValue); \(context.method.method) needs \(rule.role.rawValue) or higher")
        }
        return AccessGrant(principal: principal, workspace: workspace, role: role, method: context.method, rule: rule)
    }

    /// Authorizes an open call's caller again: its credential still valid, and its role
    /// in the grant's workspace still enough for the call.
    ///
    /// - Throws: `UNAUTHENTICATED` for a credential revoked or expired since;
    ///   `PERMISSION_DENIED` for a caller removed from the workspace or whose role dropped.
    func recheck(_ grant: AccessGrant) async throws(SessionError) {
        try await authenticator?.recheck(grant.principal)
        guard !grant.principal.isAdministrator else { return }
        guard let role = try await store.role(of: grant.principal.caller, in: grant.workspace) else {
            throw SessionError(
                .permissionDenied, "'\(grant.caller)' is no longer a member of workspace '\(grant.workspace)'; this stream ends")
        }
        guard role >= grant.rule.role else {
            throw SessionError(
                .permissionDenied,
                "your role in workspace '\(grant.workspace)' is now \(role.rawValue); \(grant.method.method) needs \(grant.rule.role.rawValue) or higher")
        }
    }

    /// Runs an open call's `body` while authorizing its caller again every
    /// `streamRecheckInterval`; the first failed check cancels `body` and is thrown.
    func whileAuthorized(_ grant: AccessGrant, _ body: @escaping @Sendable () async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await body() }
            group.addTask {
                while true {
                    try await Task.sleep(for: streamRecheckInterval)
                    do throws(SessionError) {
                        try await recheck(grant)
                    } catch where error.code == .unavailable {
                        continue  // the store is busy: check again next time rather than end the stream
                    } catch {
                        throw error.rpcError
                    }
                }
            }
            defer { group.cancelAll() }
            try await group.next()
        }
    }

    /// Writes a mutating call to the audit trail; a failure to write is logged, not thrown.
    /// A refused call is written only while its caller is within ``AuditLimiter``'s
    /// allowance; the entry after a gap says how many were left out.
    func audit(_ context: ServerContext, workspace: String, target: String, result: String) async {
        guard AccessPolicy.rules[context.method]?.mutating == true else { return }
        let now = Date().timeIntervalSince1970
        let caller = context.principal?.caller ?? ""
        var result = result
        if result != "OK" {
            guard case .record(let suppressed) = refusals.admit(caller, now: now) else {
                context.logger.debug("refused call not audited: over the caller's allowance", metadata: ["caller": "\(caller)"])
                return
            }
            if suppressed > 0 { result += " (\(suppressed) earlier refusals of this caller not recorded)" }
        }
        let entry = AuditEntry(
            time: now, caller: caller,
            workspace: (try? WorkspaceID(validating: workspace))?.rawValue ?? Self.bounded(workspace), action: "\(context.method)",
            target: Self.bounded(target), result: result)
        do {
            try await store.appendAudit(entry)
        } catch {
            context.logger.error("could not write the audit trail", metadata: ["error": "\(error.message)"])
        }
    }
}

extension AccessControl {
    /// A caller-supplied name as the audit trail keeps it: at most ``maxAuditField``
    /// characters, marked when cut.
    static func bounded(_ text: String) -> String {
        guard text.count > maxAuditField else { return text }
        return text.prefix(maxAuditField) + "…(\(text.utf8.count) bytes)"
    }
}

/// The requests of the public API: each names its workspace in field 1.
public protocol WorkspaceScoped {
    /// The workspace, empty for "default".
    var workspace: String { get }
}

extension RPCRouter {
    /// Registers a unary RPC of the public API behind ``AccessControl``: the handler
    /// runs only with a grant, and mutating calls are audited with their outcome.
    /// `target` names the object a request is about, for the audit trail.
    public mutating func unary<Request: RPCMessage & WorkspaceScoped, Response: RPCMessage>(
        _ method: TypedRPCMethod<Request, Response>, access: AccessControl, target: @escaping @Sendable (Request) -> String = { _ in "" },
        handler: @escaping @Sendable (Request, AccessGrant) async throws(SessionError) -> Response
    ) {
        unary(method) { (request: Request, context: ServerContext) in
            try await access.run(context, workspace: request.workspace, target: target(request)) { grant throws(SessionError) in
                try await handler(request, grant)
            }
        }
    }

    /// Registers a server-streaming RPC of the public API behind ``AccessControl``: the
    /// handler runs only with a grant, and only as long as the caller keeps it.
    public mutating func serverStreaming<Request: RPCMessage & WorkspaceScoped, Response: RPCMessage>(
        _ method: TypedRPCMethod<Request, Response>, access: AccessControl,
        handler: @escaping @Sendable (Request, ServerResponseWriter<Response>, AccessGrant) async throws -> Void
    ) {
        serverStreaming(method) { (request: Request, writer: ServerResponseWriter<Response>, context: ServerContext) in
            let grant: AccessGrant
            do throws(SessionError) {
                grant = try await access.authorize(context, workspace: request.workspace)
            } catch {
                throw error.rpcError
            }
            try await access.whileAuthorized(grant) { try await handler(request, writer, grant) }
        }
    }
}

extension AccessControl {
    /// Authorizes, runs `body`, audits, and answers a ``SessionError`` as its status.
    func run<Result>(
        _ context: ServerContext, workspace: String, target: String,
        _ body: (AccessGrant) async throws(SessionError) -> Result
    ) async throws -> Result {
        do {
            let result = try await body(try await authorize(context, workspace: workspace))
            await audit(context, workspace: workspace, target: target, result: "OK")
            return result
        } catch {
            await audit(context, workspace: workspace, target: target, result: "\(error.code)")
            throw error.rpcError
        }
    }
}
