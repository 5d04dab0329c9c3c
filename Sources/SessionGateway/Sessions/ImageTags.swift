public import SessionSDK

/// What the catalog's image tags mean for sessions: an EXPERIMENTAL image needs an
/// explicit opt-in to start a session on; a DEPRECATED one is allowed with a warning
/// that names the RECOMMENDED image to migrate to ("add as new" with that image).
public enum ImageTags {
    /// Refuses an EXPERIMENTAL image unless the caller opted in.
    ///
    /// - Throws: `FAILED_PRECONDITION` saying how to opt in, and which image is recommended.
    public static func check(_ image: Preset.Image, of preset: Preset, allowExperimental: Bool) throws(SessionError) {
        guard image.tag == .experimental, !allowExperimental else { return }
        throw SessionError(
            .failedPrecondition,
            "image '\(image.name)' of preset '\(preset.id)' is EXPERIMENTAL: it is not supported and should not be used "
                + "in production; set allow_experimental_image (sessiongw session create --allow-experimental) to use it"
                + (recommended(in: preset).map { ", or use the RECOMMENDED image '\($0.name)'" } ?? ""))
    }

    /// What the users of a session on `image` of `preset` (nil: no longer configured)
    /// should know now; empty for a RECOMMENDED image.
    public static func warnings(image name: String, preset presetID: String, in preset: Preset?) -> [String] {
        guard let preset else { return ["preset '\(presetID)' is no longer offered; its sessions keep running as they are"] }
        guard let image = preset.image(named: name) else {
            return ["image '\(name)' is no longer offered by preset '\(preset.id)'" + migration(to: preset)]
        }
        switch image.tag {
        case .recommended:
            return []
        case .deprecated:
            return ["image '\(name)' of preset '\(preset.id)' is DEPRECATED" + migration(to: preset)]
        case .experimental:
            return ["image '\(name)' of preset '\(preset.id)' is EXPERIMENTAL: not supported, not for production"]
        }
    }

    /// The preset's first RECOMMENDED image.
    static func recommended(in preset: Preset) -> Preset.Image? {
        preset.images.first { $0.tag == .recommended }
    }

    /// `; migrate to the RECOMMENDED image 'x': add the session as new ...`, or nothing
    /// when the preset recommends none.
    private static func migration(to preset: Preset) -> String {
        guard let image = recommended(in: preset) else { return "" }
        return "; migrate to the RECOMMENDED image '\(image.name)': stop the session and add it as new with that image "
            + "(sessiongw session clone --from-session SESSION_ID NAME --image \(image.name))"
    }
}
