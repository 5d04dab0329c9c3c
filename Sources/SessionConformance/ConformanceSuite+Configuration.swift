public import Logging
public import SessionSDK

extension ConformanceSuite {
    /// What the suite runs against and what the plugin author supplies for it.
    ///
    /// Only the provider and the request template are required; every other field
    /// enables more cases (cases without what they need are skipped, saying which
    /// field would enable them).
    ///
    /// ```swift
    /// var configuration = ConformanceSuite.Configuration(provider: provider) { id in
    ///     ProviderSessionRequest(
    ///         sessionID: id, workspace: .default, name: id.rawValue, ideKind: .terminal,
    ///         image: "python:3.12", command: ["sh", "-c", "exec python3 -m http.server $SESSION_PORT"],
    ///         resources: Resources(cpuMillis: 500, memoryBytes: 512 << 20))
    /// }
    /// configuration.dataLinks = try .init(writable: scratch, readOnly: reference, in: environment)
    /// ```
    public struct Configuration: Sendable {
        /// The provider under test.
        public var provider: any SessionProvider
        /// Makes a request for a session with the given id: an image the backend has, a
        /// command that serves HTTP on `$SESSION_PORT` (and keeps serving until stopped),
        /// small resources. The suite sets the id and, for data-link cases, the
        /// data-links; everything else is used as given.
        public var makeRequest: @Sendable (SessionID) -> ProviderSessionRequest
        /// A writable and a read-only data-link; without them the data-link cases are
        /// skipped.
        public var dataLinks: ConformanceDataLinks?
        /// Makes a request the backend must refuse with `RESOURCE_EXHAUSTED` (more than
        /// its quota); without it the quota case is skipped.
        public var overQuotaRequest: (@Sendable (SessionID) -> ProviderSessionRequest)?
        /// Makes a request that names something the backend does not have (an image, a
        /// home volume, a bucket), which it must refuse with `NOT_FOUND`; without it the
        /// case is skipped.
        public var missingReferenceRequest: (@Sendable (SessionID) -> ProviderSessionRequest)?
        /// How to get a new instance of the provider, as after a restart of the
        /// gateway or the plugin; without it the recovery case is skipped.
        public var restart: ProviderRestart?
        /// How long the suite waits.
        public var timeouts: Timeouts
        /// How many times idempotency and concurrency cases repeat a call (N); at least 2.
        public var repetitions: Int
        /// The first part of every session and checkpoint id the suite makes, so its
        /// resources can be told apart from others on a shared backend.
        public var idPrefix: String
        /// Where the suite logs its progress (at info and debug).
        public var logger: Logger

        /// Creates a configuration with the default timeouts and N = 3.
        public init(
            provider: any SessionProvider,
            logger: Logger = Logger(label: "session-conformance", factory: { _ in SwiftLogNoOpLogHandler() }),
            makeRequest: @escaping @Sendable (SessionID) -> ProviderSessionRequest
        ) {
            self.provider = provider
            self.makeRequest = makeRequest
            self.dataLinks = nil
            self.overQuotaRequest = nil
            self.missingReferenceRequest = nil
            self.restart = nil
            self.timeouts = .defaults
            self.repetitions = 3
            self.idPrefix = "cf"
            self.logger = logger
        }

        /// Whether the configuration gives what a case needs.
        func provides(_ need: ConformanceCase.ConfigurationNeed) -> Bool {
            switch need {
            case .dataLinks: dataLinks != nil
            case .restart: restart != nil
            case .overQuotaRequest: overQuotaRequest != nil
            case .missingReferenceRequest: missingReferenceRequest != nil
            }
        }
    }

    /// How long the suite waits for the provider.
    public struct Timeouts: Hashable, Sendable {
        /// For a new or resumed session to become RUNNING. Default 120 s.
        public var running: Duration
        /// For a pausing session to become PAUSED. Default 60 s.
        public var paused: Duration
        /// For the probe to report ready. Default 30 s.
        public var probe: Duration
        /// For a paused session's endpoint to stop answering, and for one TCP connect
        /// to the endpoint. Default 10 s.
        public var endpoint: Duration
        /// For each expected status on a watch stream. Default 30 s.
        public var watchEvent: Duration
        /// For a whole case; it is then cancelled and failed. Default 5 minutes.
        public var testCase: Duration
        /// Between two describes while waiting. Default 50 ms.
        public var pollInterval: Duration

        /// Creates timeouts.
        public init(
            running: Duration = .seconds(120), paused: Duration = .seconds(60), probe: Duration = .seconds(30),
            endpoint: Duration = .seconds(10), watchEvent: Duration = .seconds(30), testCase: Duration = .seconds(300),
            pollInterval: Duration = .milliseconds(50)
        ) {
            self.running = running
            self.paused = paused
            self.probe = probe
            self.endpoint = endpoint
            self.watchEvent = watchEvent
            self.testCase = testCase
            self.pollInterval = pollInterval
        }

        /// The defaults listed with each field.
        public static var defaults: Timeouts { Timeouts() }
    }
}
