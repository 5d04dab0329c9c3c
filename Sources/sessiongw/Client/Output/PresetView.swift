import SessionAPI

/// How presets look to people.
enum PresetView {
    /// The columns of ``table(_:)``.
    static let columns = ["ID", "NAME", "IDE", "IMAGES", "POD SIZES", "HOME"]

    /// One row per preset. IMAGES marks the recommended image with `*` and the others
    /// with their tag (`base*, old (deprecated)`); POD SIZES marks the default with `*`.
    static func table(_ presets: [V1Preset]) -> TextTable {
        TextTable(columns: columns, rows: presets.map { preset in
            [
                preset.id,
                preset.displayName,
                preset.ideKind.name,
                preset.images.map(image).joined(separator: ", "),
                preset.podSizes.map { size in
                    size.name == preset.defaultPodSize ? "\(size.name)*" : size.name
                }.joined(separator: ", "),
                preset.defaultHomeVolumeBytes > 0 ? HumanUnits.bytes(preset.defaultHomeVolumeBytes) : "",
            ]
        })
    }

    /// `name*` for the recommended image, `name (deprecated)` or `name (experimental)`
    /// for the others.
    static func image(_ image: V1PresetImage) -> String {
        switch image.tag {
        case .recommended: "\(image.name)*"
        case .unspecified: image.name
        default: "\(image.name) (\(image.tag.name.lowercased()))"
        }
    }
}
