package import SessionSDK

/// The rule for identifiers that name files and directories of the backends that keep
/// sessions in directories (Local, Slurm): session ids, checkpoint ids and home volume
/// names.
package enum StorageIdentifier {
    /// Checks that `value` can name a file: 1 to 128 letters, digits, `.`, `_` or `-`,
    /// not starting with `.`.
    ///
    /// - Parameters:
    ///   - what: what the value is, for the message (`session id`, `checkpoint id`).
    ///   - backend: the backend's name, for the message (`Local`, `Slurm`).
    /// - Throws: `INVALID_ARGUMENT` naming `what` and the rule.
    package static func validate(_ value: String, what: String, backend: String) throws(SessionError) {
        let allowed = value.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"): true
            default: false
            }
        }
        guard allowed, (1...128).contains(value.utf8.count), !value.hasPrefix(".") else {
            throw SessionError(
                .invalidArgument,
                "\(what) '\(value.prefix(200))' cannot be used by the \(backend) backend: use 1 to 128 letters, digits, '.', '_' or '-', not starting with '.'")
        }
    }
}
