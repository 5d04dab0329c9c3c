import SessionAPI

/// The catalog look-ups that fill in what `session create` was not told: the preset's
/// recommended image and the workspace's first compute environment.
struct CatalogLookup {
    /// The gateway.
    let gateway: GatewayClient

    /// Every preset, following page tokens.
    func presets() async throws -> [V1Preset] {
        try await gateway.pages(from: "", all: true) { token in
            let request = V1ListPresetsRequest(workspace: gateway.workspace, pageToken: token)
            let page = try await gateway.catalog.listPresets(request)
            return (page.presets, page.nextPageToken)
        }.items
    }

    /// Every compute environment of the workspace, following page tokens.
    func environments() async throws -> [V1ComputeEnvironment] {
        try await gateway.pages(from: "", all: true) { token in
            let request = V1ListComputeEnvironmentsRequest(workspace: gateway.workspace, pageToken: token)
            let page = try await gateway.catalog.listComputeEnvironments(request)
            return (page.computeEnvironments, page.nextPageToken)
        }.items
    }

    /// The image a new session of `preset` gets when the caller names none.
    ///
    /// - Throws: ``ClientFailure`` when there is no such preset or it offers no image.
    func recommendedImage(ofPreset id: String) async throws -> String {
        let presets = try await presets()
        guard let preset = presets.first(where: { $0.id == id }) else {
            throw ClientFailure(
                ClientExitCode.refused, "there is no preset '\(id)'",
                hint: "the presets are: \(presets.map(\.id).joined(separator: ", "))")
        }
        guard let image = Self.defaultImage(of: preset) else {
            throw ClientFailure(ClientExitCode.clientError, "preset '\(id)' offers no images; pass --image")
        }
        return image
    }

    /// The compute environment a new session gets when the caller names none.
    ///
    /// - Throws: ``ClientFailure`` when the workspace has none.
    func firstEnvironment() async throws -> String {
        guard let environment = try await environments().first else {
            throw ClientFailure(
                ClientExitCode.clientError, "workspace '\(gateway.workspace)' has no compute environments")
        }
        return environment.id
    }

    /// The first recommended image of a preset, else its first image that is not
    /// deprecated, else its first; nil when it has none.
    static func defaultImage(of preset: V1Preset) -> String? {
        (preset.images.first { $0.tag == .recommended }
            ?? preset.images.first { $0.tag != .deprecated }
            ?? preset.images.first)?.name
    }
}
