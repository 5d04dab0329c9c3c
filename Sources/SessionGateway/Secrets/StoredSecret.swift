public import SessionSDK

/// A workspace secret as the store lists it: everything but its value, which only the
/// ``SecretVault`` can open.
public struct StoredSecret: Hashable, Sendable {
    /// The workspace it belongs to.
    public var workspace: WorkspaceID
    /// Its name: letters, digits, `-`, `_` and `.`.
    public var name: String
    /// The environment variable every session of the workspace gets it as (the bundle);
    /// nil when it is only referenced by name.
    public var environmentVariable: String?
    /// When it was created and when its value was last set, in seconds since 1970.
    public var createdAt: Double, updatedAt: Double
    /// Who last set its value.
    public var updatedBy: String

    /// Creates a secret's record.
    public init(
        workspace: WorkspaceID, name: String, environmentVariable: String?, createdAt: Double, updatedAt: Double,
        updatedBy: String
    ) {
        self.workspace = workspace
        self.name = name
        self.environmentVariable = environmentVariable
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.updatedBy = updatedBy
    }

    /// Letters, digits, `-`, `_` and `.`, at most 253 characters, not `.` or `..`: a
    /// secret's name, also as a file name under ``DirectorySecretResolver``.
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 253 && name != "." && name != ".."
            && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
    }

    /// Refuses a name ``isValidName(_:)`` does not accept.
    ///
    /// - Throws: `INVALID_ARGUMENT` naming `field`.
    public static func requireValidName(_ name: String, field: String) throws(SessionError) {
        guard !isValidName(name) else { return }
        throw SessionError(
            .invalidArgument,
            "\(field) '\(DataLinkRules.printable(name))' may only hold letters, digits, '-', '_' and '.' (at most 253)")
    }
}
