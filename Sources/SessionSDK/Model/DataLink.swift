/// A named link to data a session can mount: a cloud bucket or a subdirectory of one,
/// an EFS file system, or a path on a cluster file system.
///
/// Mounted, it appears inside the session at `/workspace/data/<name>` (see
/// ``DataLinkRules``), read-only unless the compute environment lists its bucket as
/// writable; a link to a subdirectory confines writes to that subdirectory.
public struct DataLink: Hashable, Sendable, Identifiable, Codable {
    /// The link's id, unique on the gateway.
    public var id: String
    /// The workspace it belongs to.
    public var workspace: WorkspaceID
    /// The normalized name: the directory under `/workspace/data`.
    public var name: String
    /// Where the data is.
    public var location: DataLinkLocation
    /// What it is for, for people.
    public var description: String

    /// Creates a data-link.
    public init(id: String, workspace: WorkspaceID, name: String, location: DataLinkLocation, description: String = "") {
        self.id = id
        self.workspace = workspace
        self.name = name
        self.location = location
        self.description = description
    }
}

/// Where a data-link's data is: a store (`s3://bucket`, `efs://fs-id`, `file://`
/// for a cluster path) and a path prefix inside it.
public struct DataLinkLocation: Hashable, Sendable, CustomStringConvertible, Codable {
    /// The kind of store.
    public enum Scheme: String, Hashable, Sendable, CaseIterable, Codable {
        /// An S3 bucket.
        case s3
        /// An EFS file system.
        case efs
        /// A directory on a file system every compute node sees.
        case file
    }

    /// The kind of store.
    public var scheme: Scheme
    /// The bucket, file system id, or (for `file`) the root directory.
    public var bucket: String
    /// The subdirectory inside it, without leading or trailing `/`; empty for all of it.
    public var prefix: String

    /// Creates a location; use ``DataLinkRules/parseLocation(_:)`` for user input.
    public init(scheme: Scheme, bucket: String, prefix: String) {
        self.scheme = scheme
        self.bucket = bucket
        self.prefix = prefix
    }

    /// `s3://bucket/prefix`.
    public var description: String {
        let root = scheme == .file ? "file://\(bucket)" : "\(scheme.rawValue)://\(bucket)"
        return prefix.isEmpty ? root : "\(root)/\(prefix)"
    }
}

/// A data-link as mounted in one session.
public struct DataLinkMount: Hashable, Sendable {
    /// The link.
    public var dataLink: DataLink
    /// Where it appears in the session: `/workspace/data/<name>`.
    public var mountPath: String
    /// Whether writes are refused.
    public var readOnly: Bool

    /// Creates a mount; use ``DataLinkRules/mounts(for:in:)`` to derive them.
    public init(dataLink: DataLink, mountPath: String, readOnly: Bool) {
        self.dataLink = dataLink
        self.mountPath = mountPath
        self.readOnly = readOnly
    }
}
