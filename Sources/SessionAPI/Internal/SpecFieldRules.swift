internal import SessionSDK

/// The checks of the session spec's list and map fields, shared by ``SessionSpec``'s
/// conversion and ``SessionSpecUpdate``, which validates only the fields it changes.
enum SpecFieldRules {
    /// Variables with unique names.
    static func environment(
        _ messages: [V1EnvVar], field: String
    ) throws(SessionError) -> [SessionSpec.EnvironmentVariable] {
        var seen: Set<String> = []
        var variables: [SessionSpec.EnvironmentVariable] = []
        for (index, message) in messages.enumerated() {
            let variable = try SessionSpec.EnvironmentVariable(message, field: "\(field)[\(index)]")
            guard seen.insert(variable.name).inserted else {
                throw APIFieldRules.invalid("\(field)[\(index)].name", "'\(variable.name)' is given more than once")
            }
            variables.append(variable)
        }
        return variables
    }

    /// Volumes with unique mount paths.
    static func dataVolumes(
        _ messages: [V1DataVolume], field: String
    ) throws(SessionError) -> [SessionSpec.DataVolume] {
        var seen: Set<String> = []
        var volumes: [SessionSpec.DataVolume] = []
        for (index, message) in messages.enumerated() {
            let volume = try SessionSpec.DataVolume(message, field: "\(field)[\(index)]")
            guard seen.insert(volume.mountPath).inserted else {
                throw APIFieldRules.invalid(
                    "\(field)[\(index)].mount_path", "'\(volume.mountPath)' is used more than once")
            }
            volumes.append(volume)
        }
        return volumes
    }

    /// Non-empty, unique ids.
    static func identifiers(_ values: [String], field: String) throws(SessionError) -> [String] {
        var seen: Set<String> = []
        for (index, value) in values.enumerated() {
            try APIFieldRules.required(value, field: "\(field)[\(index)]")
            guard seen.insert(value).inserted else {
                throw APIFieldRules.invalid("\(field)[\(index)]", "'\(value)' is given more than once")
            }
        }
        return values
    }

    /// Labels with non-empty keys.
    static func labels(_ labels: [String: String], field: String) throws(SessionError) -> [String: String] {
        for (key, value) in labels.sorted(by: { $0.key < $1.key }) {
            try APIFieldRules.required(key, field: "\(field) key")
            try APIFieldRules.text(value, field: "\(field)['\(key)']")
        }
        return labels
    }
}
