/// Thrown by a case when the provider broke the case's rule; `detail` says how.
struct CaseFailure: Error, Sendable, CustomStringConvertible {
    /// What the provider did, such as "the second delete threw NOT_FOUND: ...".
    var detail: String

    init(_ detail: String) {
        self.detail = detail
    }

    var description: String { detail }
}

/// Thrown by a case that finds, once running, that it cannot apply (for example the
/// backend reports it cannot do something the case needs); `reason` says why.
struct CaseSkip: Error, Sendable, CustomStringConvertible {
    /// Why the case was skipped.
    var reason: String

    init(_ reason: String) {
        self.reason = reason
    }

    var description: String { reason }
}
