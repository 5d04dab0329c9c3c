public import SessionSDK

extension SessionSpec.HomeVolume {
    /// The home volume of a message: a new volume of more than 0 bytes, or a named
    /// existing claim.
    ///
    /// - Throws: `INVALID_ARGUMENT` naming the field, such as
    ///   `spec.home_volume.new_size_bytes`.
    public init(_ message: V1HomeVolume, field: String = "home_volume") throws(SessionError) {
        switch message.source {
        case .newSizeBytes(let size):
            guard size > 0 else { throw APIFieldRules.invalid("\(field).new_size_bytes", "must be more than 0") }
            self = .new(sizeBytes: size)
        case .existingClaim(let claim):
            self = .existing(try APIFieldRules.required(claim, field: "\(field).existing_claim"))
        case nil:
            throw APIFieldRules.invalid(field, "sets neither new_size_bytes nor existing_claim")
        }
    }
}

extension V1HomeVolume {
    /// The message of a home volume.
    public init(_ volume: SessionSpec.HomeVolume) {
        switch volume {
        case .new(let size): self.init(source: .newSizeBytes(size))
        case .existing(let claim): self.init(source: .existingClaim(claim))
        }
    }
}
