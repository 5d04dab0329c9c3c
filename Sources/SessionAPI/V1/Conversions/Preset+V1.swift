public import SessionSDK

extension Preset {
    /// The preset of a message: an id, a known IDE kind, images and pod sizes with
    /// unique names, and a default pod size among them. A default home volume size of
    /// 0 means 5 GiB.
    ///
    /// - Throws: `INVALID_ARGUMENT` naming the field, such as `preset.images[1].tag`.
    public init(_ message: V1Preset, field: String = "preset") throws(SessionError) {
        var images: [Image] = []
        for (index, image) in message.images.enumerated() {
            let converted = try Image(image, field: "\(field).images[\(index)]")
            if images.contains(where: { $0.name == converted.name }) {
                throw APIFieldRules.invalid(
                    "\(field).images[\(index)].name", "'\(converted.name)' is given more than once")
            }
            images.append(converted)
        }
        var podSizes: [PodSize] = []
        for (index, size) in message.podSizes.enumerated() {
            let converted = try PodSize(size, field: "\(field).pod_sizes[\(index)]")
            if podSizes.contains(where: { $0.name == converted.name }) {
                throw APIFieldRules.invalid(
                    "\(field).pod_sizes[\(index)].name", "'\(converted.name)' is given more than once")
            }
            podSizes.append(converted)
        }
        let defaultPodSize = try APIFieldRules.text(message.defaultPodSize, field: "\(field).default_pod_size")
        if !defaultPodSize.isEmpty && !podSizes.contains(where: { $0.name == defaultPodSize }) {
            throw APIFieldRules.invalid("\(field).default_pod_size", "'\(defaultPodSize)' is not one of pod_sizes")
        }
        let homeBytes = try APIFieldRules.nonNegative(
            message.defaultHomeVolumeBytes, field: "\(field).default_home_volume_bytes")
        self.init(
            id: try APIFieldRules.required(message.id, field: "\(field).id"),
            displayName: try APIFieldRules.text(message.displayName, field: "\(field).display_name"),
            ideKind: try IDEKind(message.ideKind, field: "\(field).ide_kind"),
            images: images,
            podSizes: podSizes,
            defaultPodSize: defaultPodSize,
            command: try APIFieldRules.texts(message.command, field: "\(field).command"),
            defaultHomeVolumeBytes: homeBytes == 0 ? 5 << 30 : homeBytes
        )
    }
}

extension Preset.Image {
    /// The catalog image of a message: a name, a reference and a known tag.
    ///
    /// - Throws: `INVALID_ARGUMENT` naming the field.
    public init(_ message: V1PresetImage, field: String = "image") throws(SessionError) {
        self.init(
            name: try APIFieldRules.required(message.name, field: "\(field).name"),
            reference: try APIFieldRules.required(message.reference, field: "\(field).reference"),
            tag: try Tag(message.tag, field: "\(field).tag")
        )
    }
}

extension Preset.PodSize {
    /// The pod size of a message: a name and valid resources.
    ///
    /// - Throws: `INVALID_ARGUMENT` naming the field.
    public init(_ message: V1PodSize, field: String = "pod_size") throws(SessionError) {
        guard let resources = message.resources else {
            throw APIFieldRules.invalid("\(field).resources", "is required")
        }
        self.init(
            name: try APIFieldRules.required(message.name, field: "\(field).name"),
            resources: try Resources(resources, field: "\(field).resources")
        )
    }
}

extension V1Preset {
    /// The message of a preset.
    public init(_ preset: Preset) {
        self.init(
            id: preset.id,
            displayName: preset.displayName,
            ideKind: V1IDEKind(preset.ideKind),
            images: preset.images.map(V1PresetImage.init),
            podSizes: preset.podSizes.map(V1PodSize.init),
            defaultPodSize: preset.defaultPodSize,
            command: preset.command,
            defaultHomeVolumeBytes: preset.defaultHomeVolumeBytes
        )
    }
}

extension V1PresetImage {
    /// The message of a catalog image.
    public init(_ image: Preset.Image) {
        self.init(name: image.name, reference: image.reference, tag: V1ImageTag(image.tag))
    }
}

extension V1PodSize {
    /// The message of a pod size.
    public init(_ size: Preset.PodSize) {
        self.init(name: size.name, resources: V1Resources(size.resources))
    }
}
