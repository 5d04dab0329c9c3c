internal import Crypto
public import SessionSDK

/// The name under which a built custom environment is cached: the SHA-256 of the
/// image and the packages in canonical order, in hex. Two sessions share a build
/// exactly when they ask for the same packages on the same image; a collision would
/// need a SHA-256 collision, so no session can craft a request whose build lands
/// where another's is looked up.
package enum EnvironmentCacheKey {
    /// The key of `packages` (valid requirements in canonical order, as requests carry
    /// them) on `image`, built with the operator's `settings` (such as a package index).
    package static func of(image: String, packages: [String], settings: [String] = []) -> String {
        var text = "sessiongw-environment-v1\n\(image)\n"
        for package in packages { text += package + "\n" }
        for setting in settings { text += "\u{0}" + setting + "\n" }
        return SHA256.hash(data: Array(text.utf8)).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
