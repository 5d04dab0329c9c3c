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
public struct AccessControl: Sendable {
    let store: SessionStore

    /// Creates the access control over the store's members.
    public init(store: SessionStore) {
        self.store = store
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

    /// Writes a mutating call to the audit trail; a failure to write is logged, not thrown.
    func audit(_ context: ServerContext, workspace: String, target: String, result: String) async {
        guard AccessPolicy.rules[context.method]?.mutating == true else { return }
        let entry = AuditEntry(
            time: Date().timeIntervalSince1970, caller: context.principal?.caller ?? "",
            workspace: (try? WorkspaceID(validating: workspace))?.rawValue ?? String(workspace.prefix(256)),
            action: "\(context.method)", target: target, result: result)
        do {
            try await store.appendAudit(entry)
        } catch {
            context.logger.error("could not write the audit trail", metadata: ["error": "\(error.message)"])
        }
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
        _ method: RPCMethod, access: AccessControl, target: @escaping @Sendable (Request) -> String = { _ in "" },
        handler: @escaping @Sendable (Request, AccessGrant) async throws(SessionError) -> Response
    ) {
        unary(method) { (request: Request, context: ServerContext) in
            try await access.run(context, workspace: request.workspace, target: target(request)) { grant throws(SessionError) in
                try await handler(request, grant)
            }
        }
    }

    /// Registers a server-streaming RPC of the public API behind ``AccessControl``.
    public mutating func serverStreaming<Request: RPCMessage & WorkspaceScoped, Response: RPCMessage>(
        _ method: RPCMethod, access: AccessControl,
        handler: @escaping @Sendable (Request, ServerResponseWriter<Response>, AccessGrant) async throws -> Void
    ) {
        serverStreaming(method) { (request: Request, writer: ServerResponseWriter<Response>, context: ServerContext) in
            let grant: AccessGrant
            do throws(SessionError) {
                grant = try await access.authorize(context, workspace: request.workspace)
            } catch {
                throw error.rpcError
            }
            try await handler(request, writer, grant)
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
