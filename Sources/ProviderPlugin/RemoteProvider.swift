internal import RPCTransport
public import SessionSDK
internal import SessionAPI
import Synchronization

/// A provider that runs out of process, reached over `provider.proto`
/// (`sessiongw.provider.v1.SessionProviderService`) at an address, as CSI drivers are.
///
/// Every requirement of ``SessionProvider`` calls the matching RPC, with the per-call
/// limits of ``Configuration``. The plugin's statuses come back as ``SessionError``s
/// with the same code and message, so a `NOT_FOUND` thrown by a provider in another
/// process reaches the gateway as it would from a linked-in one. Two codes say where
/// the failure happened instead of only what the plugin said, because the gateway
/// cannot tell them apart from failures of the connection itself: `UNAVAILABLE`
/// (connection refused or reset, the client closed, or the plugin's backend down)
/// names the address, and `DEADLINE_EXCEEDED` names the call and its limit. Responses
/// that break the protocol (a status without a handle, a bad identity) are
/// `INTERNAL`.
///
/// The identity and capabilities are learned once, with `GetIdentity`, on first use:
/// by ``connect()`` or by the first requirement called. Since ``identity`` and
/// ``capabilities`` are synchronous, a provider that has not answered yet reports
/// ``unknownIdentity`` and no capabilities; ``connect(address:configuration:)`` gives
/// a provider that has already answered.
///
/// The client connects lazily and reconnects after the plugin restarts. Call
/// ``close()`` when the provider is no longer needed.
///
/// ```swift
/// let provider = try await RemoteProvider.connect(address: "unix:/run/sessiongw/slurm.sock")
/// print(provider.identity.name, provider.capabilities)   // slurm [PAUSE_RESUME, ...]
/// let status = try await provider.createSession(request)
/// await provider.close()
/// ```
public final class RemoteProvider: SessionProvider {
    /// What `GetIdentity` answered.
    private struct Negotiated: Sendable {
        var identity: ProviderIdentity
        var capabilities: Set<ProviderCapability>
    }

    /// The identity reported before the plugin has answered `GetIdentity`:
    /// `remote` version `0.0.0`.
    public static let unknownIdentity = ProviderIdentity(name: "remote", version: "0.0.0")

    /// The address the provider was created with, as `host:port`, `h2c://host:port`,
    /// `https://host:port` or `unix:PATH`; error messages name it.
    public let address: String
    /// Timeouts, TLS and the client's limits.
    public let configuration: Configuration
    /// The connection to the plugin, shared by every call.
    let client: RPCClient
    private let negotiated = Mutex<Negotiated?>(nil)

    /// Creates a provider for the plugin at `address`; nothing is sent until it is
    /// used. Use ``connect(address:configuration:)`` to learn the identity at once.
    ///
    /// - Throws: `INVALID_ARGUMENT` when `address` is none of `host:port`,
    ///   `h2c://host:port`, `https://host:port` or `unix:PATH`.
    public init(address: String, configuration: Configuration = .defaults) throws(SessionError) {
        guard let target = RPCClient.Target(address: address, tls: configuration.tls) else {
            throw SessionError(
                .invalidArgument,
                "provider address '\(address.prefix(200))' is not host:port, h2c://host:port, https://host:port or unix:PATH")
        }
        self.address = address
        self.configuration = configuration
        self.client = RPCClient(target: target, configuration: configuration.client)
    }

    /// Creates a provider for the plugin at `address` and learns its identity and
    /// capabilities before returning it.
    ///
    /// - Throws: `INVALID_ARGUMENT` for an unusable address, `UNAVAILABLE` naming the
    ///   address when the plugin cannot be reached, `INTERNAL` when its identity is
    ///   malformed.
    public static func connect(address: String, configuration: Configuration = .defaults) async throws -> RemoteProvider {
        let provider = try RemoteProvider(address: address, configuration: configuration)
        do {
            try await provider.connect()
        } catch {
            await provider.close()
            throw error
        }
        return provider
    }

    /// Learns the plugin's identity and capabilities with `GetIdentity`, unless it
    /// already has; afterwards ``identity`` and ``capabilities`` report them for the
    /// provider's life.
    ///
    /// - Throws: `UNAVAILABLE` naming the address when the plugin cannot be reached,
    ///   `INTERNAL` when the identity it sends is malformed.
    public func connect() async throws {
        if hasIdentity { return }
        let method = SessionProviderServiceMethods.getIdentity
        let response: ProviderV1GetIdentityResponse = try await call(method, ProviderV1GetIdentityRequest())
        let identity = try decoded(method) { () throws(SessionError) in try ProviderIdentity(response) }
        let capabilities = response.providerCapabilities
        negotiated.withLock { negotiated in
            if negotiated == nil { negotiated = Negotiated(identity: identity, capabilities: capabilities) }
        }
    }

    /// Whether the plugin has answered `GetIdentity`, so that ``identity`` and
    /// ``capabilities`` are its own.
    public var hasIdentity: Bool {
        negotiated.withLock { $0 != nil }
    }

    /// The plugin's name and version; ``unknownIdentity`` until it has answered.
    public var identity: ProviderIdentity {
        negotiated.withLock { $0?.identity } ?? Self.unknownIdentity
    }

    /// What the plugin supports, unknown names included; empty until it has answered.
    public var capabilities: Set<ProviderCapability> {
        negotiated.withLock { $0?.capabilities } ?? []
    }

    /// Closes the connection. Calls in flight and later calls fail with `UNAVAILABLE`.
    public func close() async {
        await client.close()
    }

    // MARK: Calls

    /// Makes a unary call after learning the identity (the "first use").
    func request<Request, Response>(
        _ method: TypedRPCMethod<Request, Response>, _ request: Request
    ) async throws -> Response {
        try await connect()
        return try await call(method, request)
    }

    /// Makes a unary call with the method's timeout, mapping every failure to a
    /// ``SessionError``.
    func call<Request, Response>(
        _ method: TypedRPCMethod<Request, Response>, _ request: Request
    ) async throws(SessionError) -> Response {
        do {
            let options = CallOptions(timeout: configuration.timeout(for: method.method))
            return try await client.unary(method, request: request, options: options).message
        } catch {
            throw sessionError(for: error, calling: method.method)
        }
    }

    /// Converts a response into model values; a response that breaks the protocol is
    /// the plugin's bug, so its `INVALID_ARGUMENT` becomes `INTERNAL` naming the call.
    func decoded<Request, Response, Value>(
        _ method: TypedRPCMethod<Request, Response>, _ body: () throws(SessionError) -> Value
    ) throws(SessionError) -> Value {
        do {
            return try body()
        } catch {
            throw SessionError(
                .internalError,
                "the provider at \(address) sent an invalid \(method.method.method) response: \(error.message)", cause: error)
        }
    }

    /// The status a response must carry.
    func status<Request, Response>(
        _ message: ProviderV1SessionStatus?, of method: TypedRPCMethod<Request, Response>
    ) throws(SessionError) -> ProviderSessionStatus {
        try decoded(method) { () throws(SessionError) in
            guard let message else { throw APIFieldRules.invalid("status", "is missing") }
            return try ProviderSessionStatus(message)
        }
    }
}
