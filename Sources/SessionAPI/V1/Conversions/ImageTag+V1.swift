public import SessionSDK

extension Preset.Image.Tag {
    /// The image tag of a wire value.
    ///
    /// - Throws: `INVALID_ARGUMENT` naming `field` for `IMAGE_TAG_UNSPECIFIED` and values
    ///   this version does not know.
    public init(_ value: V1ImageTag, field: String = "tag") throws(SessionError) {
        switch value {
        case .recommended: self = .recommended
        case .deprecated: self = .deprecated
        case .experimental: self = .experimental
        case .unspecified: throw APIFieldRules.invalid(field, "is required")
        case .unrecognized(let raw): throw APIFieldRules.invalid(field, "has an unknown value \(raw)")
        }
    }
}

extension V1ImageTag {
    /// The wire value of an image tag.
    public init(_ tag: Preset.Image.Tag) {
        self = switch tag {
        case .recommended: .recommended
        case .deprecated: .deprecated
        case .experimental: .experimental
        }
    }
}
