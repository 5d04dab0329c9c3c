public import SessionSDK

extension SessionSpec.DataVolume {
    /// The data volume of a message: a named source and an absolute mount path without
    /// `.` or `..` segments, empty segments or control characters.
    ///
    /// - Throws: `INVALID_ARGUMENT` naming the field, such as
    ///   `spec.data_volumes[0].mount_path`.
    public init(_ message: V1DataVolume, field: String = "data_volume") throws(SessionError) {
        let source = try APIFieldRules.required(message.source, field: "\(field).source")
        let path = try APIFieldRules.required(message.mountPath, field: "\(field).mount_path")
        if let problem = Self.problem(withMountPath: path) {
            throw APIFieldRules.invalid("\(field).mount_path", "'\(path)' \(problem)")
        }
        self.init(source: source, mountPath: path, readOnly: message.readOnly)
    }

    /// What is wrong with a mount path, or nil.
    static func problem(withMountPath path: String) -> String? {
        guard path.hasPrefix("/"), path != "/" else { return "must be an absolute path below /" }
        if path.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) { return "contains a control character" }
        let trimmed = path.hasSuffix("/") ? path.dropFirst().dropLast() : path.dropFirst()
        for segment in trimmed.split(separator: "/", omittingEmptySubsequences: false) {
            if segment.isEmpty { return "has an empty path segment ('//')" }
            if segment == "." || segment == ".." { return "contains a '\(segment)' path segment" }
        }
        return nil
    }
}

extension V1DataVolume {
    /// The message of a data volume.
    public init(_ volume: SessionSpec.DataVolume) {
        self.init(source: volume.source, mountPath: volume.mountPath, readOnly: volume.readOnly)
    }
}
