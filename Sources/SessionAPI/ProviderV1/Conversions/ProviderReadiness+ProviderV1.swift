public import SessionSDK

extension ProviderReadiness {
    /// The readiness of a `Probe` response.
    ///
    /// - Throws: `INVALID_ARGUMENT` naming `message` when it contains a NUL.
    public init(_ response: ProviderV1ProbeResponse) throws(SessionError) {
        self.init(ready: response.ready, message: try APIFieldRules.text(response.message, field: "message"))
    }
}

extension ProviderV1ProbeResponse {
    /// The `Probe` response of a readiness report.
    public init(_ readiness: ProviderReadiness) {
        self.init(ready: readiness.ready, message: readiness.message)
    }
}
