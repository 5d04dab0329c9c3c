public import SessionSDK

extension ProviderIdentity {
    /// The identity of a `GetIdentity` response: a lower-case name of letters, digits,
    /// `-` and `.`, and a version.
    ///
    /// - Throws: `INVALID_ARGUMENT` naming `name` or `version`.
    public init(_ message: ProviderV1GetIdentityResponse) throws(SessionError) {
        let name = try APIFieldRules.required(message.name, field: "name")
        let allowed = name.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."): true
            default: false
            }
        }
        guard allowed else {
            throw APIFieldRules.invalid("name", "'\(name)' may contain only lower-case letters, digits, '-' and '.'")
        }
        self.init(name: name, version: try APIFieldRules.required(message.version, field: "version"))
    }
}

extension ProviderV1GetIdentityResponse {
    /// The response of a provider with this identity and these capabilities, sorted
    /// by name.
    public init(identity: ProviderIdentity, capabilities: Set<ProviderCapability>) {
        self.init(name: identity.name, version: identity.version, capabilities: capabilities.map(\.rawValue).sorted())
    }

    /// The capabilities named, unknown ones included (callers check for the ones they
    /// need); empty names are dropped.
    public var providerCapabilities: Set<ProviderCapability> {
        Set(capabilities.filter { !$0.isEmpty && !$0.utf8.contains(0) }.map(ProviderCapability.init(rawValue:)))
    }
}
