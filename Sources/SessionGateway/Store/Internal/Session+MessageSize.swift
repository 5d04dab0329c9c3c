internal import SessionSDK

extension Session {
    /// The longest state reason the store keeps, in bytes; longer ones (a backend
    /// quoting a long log) are cut, so that a record's size stays bounded.
    static let maxReasonBytes = 8 * 1024

    /// `reason` cut to ``maxReasonBytes`` at a character boundary, marked with `…`.
    static func bounded(reason: String) -> String {
        guard reason.utf8.count > maxReasonBytes else { return reason }
        var cut = ""
        var bytes = 0
        for character in reason {
            let size = character.utf8.count
            guard bytes + size <= maxReasonBytes - 3 else { break }
            cut.append(character)
            bytes += size
        }
        return cut + "…"
    }

    /// About how many bytes the session takes as an API message: its strings plus a
    /// fixed allowance per field, never less than what it encodes to.
    var estimatedMessageBytes: Int {
        var bytes = 512 + name.utf8.count + owner.utf8.count + stateReason.utf8.count + id.rawValue.utf8.count
        bytes += (connection?.url.utf8.count ?? 0) + (clonedFrom?.rawValue.utf8.count ?? 0)
        bytes += spec.preset.utf8.count + spec.image.utf8.count + spec.podSize.utf8.count
        bytes += spec.computeEnvironment.utf8.count + spec.computePool.utf8.count
        for variable in spec.environment {
            bytes += 16 + variable.name.utf8.count
            switch variable.value {
            case .plain(let value): bytes += value.utf8.count
            case .secret(let name): bytes += name.utf8.count
            }
        }
        for (key, value) in spec.labels { bytes += 8 + key.utf8.count + value.utf8.count }
        for link in spec.dataLinks { bytes += 256 + link.utf8.count }  // presented with its location and mount path
        for volume in spec.dataVolumes { bytes += 16 + volume.source.utf8.count + volume.mountPath.utf8.count }
        return bytes
    }
}
