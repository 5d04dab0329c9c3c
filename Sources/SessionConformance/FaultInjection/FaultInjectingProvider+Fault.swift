extension FaultInjectingProvider {
    /// One rule of the provider contract that a ``FaultInjectingProvider`` breaks.
    ///
    /// Each fault breaks exactly one rule, so a conformance run against the broken
    /// provider shows which cases check it: the mutation check of the suite itself.
    public enum Fault: String, CaseIterable, Hashable, Sendable, CustomStringConvertible {
        /// Deleting an already deleted session throws `NOT_FOUND`.
        case deleteTwiceErrors
        /// A repeated create with the same session id starts a second session.
        case createNotIdempotent
        /// Read-only data-links are mounted writable.
        case readOnlyLinkWritable
        /// Pausing a deleted session succeeds, and resuming one creates it again.
        case illegalTransitionAllowed
        /// `listSessions` reports its first session twice.
        case listDuplicates
        /// After reporting a session RUNNING, the watch reports it STARTING again.
        case watchOutOfOrder
        /// Describing an unknown handle returns an UNKNOWN status instead of `NOT_FOUND`.
        case describeUnknownSucceeds
        /// Every second read of the capabilities toggles `GPUS`.
        case capabilitiesUnstable
        /// The capabilities include one the SDK does not define, `TELEPORT`.
        case unknownCapability
        /// Calls for an absent capability succeed instead of throwing `UNIMPLEMENTED`.
        case unimplementedReturnsOK
        /// Delete only pauses the session, leaving its storage (and listing) behind.
        case deleteLeavesResource
        /// Pausing a paused session throws `FAILED_PRECONDITION`.
        case idempotentPauseFails
        /// Commands run in a clone also run in its origin, so a clone's writes reach
        /// its origin.
        case cloneNotIsolated
        /// Pause reports PAUSED but leaves the session running.
        case pauseKeepsCompute
        /// Resume starts the session from an empty home (needs ``SessionSDK/ProviderCapability/execute``).
        case resumeLosesStorage
        /// Data-links mount the parent of their directory.
        case dataLinkWidened
        /// A new instance does not recognise sessions an earlier instance created:
        /// recover, describe, pause, resume and execute throw `NOT_FOUND` for them.
        case restartLosesSessions
        /// The version is `1.0`, not a semantic version.
        case malformedIdentity
        /// The probe never reports ready.
        case probeNeverReady
        /// Deleting a checkpoint deletes whatever checkpoint its location names (and
        /// succeeds for locations it does not know), whatever checkpoint is asked for.
        case foreignCheckpointDeleted

        /// The rule the fault breaks, in words.
        public var rule: String {
            switch self {
            case .deleteTwiceErrors: "deleting a deleted session succeeds"
            case .createNotIdempotent: "create is idempotent on the session id"
            case .readOnlyLinkWritable: "read-only data-links refuse writes"
            case .illegalTransitionAllowed: "a deleted session cannot be paused or resumed"
            case .listDuplicates: "listSessions reports each session once"
            case .watchOutOfOrder: "a watch reports states in lifecycle order"
            case .describeUnknownSucceeds: "describing an unknown or deleted handle fails with NOT_FOUND"
            case .capabilitiesUnstable: "capabilities are stable"
            case .unknownCapability: "capabilities are known to the SDK"
            case .unimplementedReturnsOK: "calls without their capability fail with UNIMPLEMENTED"
            case .deleteLeavesResource: "delete removes the session and its storage"
            case .idempotentPauseFails: "pausing a paused session succeeds"
            case .cloneNotIsolated: "a clone is isolated from its origin"
            case .pauseKeepsCompute: "pause releases compute"
            case .resumeLosesStorage: "pause keeps storage"
            case .dataLinkWidened: "nothing outside a data-link is reachable through it"
            case .restartLosesSessions: "a restarted provider recovers sessions from their handles"
            case .malformedIdentity: "the version is a semantic version"
            case .probeNeverReady: "the probe reports ready"
            case .foreignCheckpointDeleted: "a checkpoint is deleted only under the location made for it"
            }
        }

        /// The fault's name.
        public var description: String { rawValue }
    }
}
