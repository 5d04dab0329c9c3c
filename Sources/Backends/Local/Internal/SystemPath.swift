import Glibc

/// A host path the sandbox shows of the system: a directory, bound read-only, or a
/// symbolic link, recreated (on merged-`/usr` systems `/bin` is `usr/bin`).
enum SystemPath: Hashable, Sendable {
    /// A directory, bound read-only at the same path.
    case directory(String)
    /// A symbolic link at `link` pointing to `target`.
    case symbolicLink(String, target: String)

    /// What each of `paths` is on this machine; paths that do not exist, or are
    /// neither directories nor links, are left out.
    static func scan(_ paths: [String]) -> [SystemPath] {
        paths.compactMap { path in
            var info = stat()
            guard lstat(path, &info) == 0 else { return nil }
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                return .directory(path)
            case S_IFLNK:
                var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
                let count = readlink(path, &buffer, Int(PATH_MAX))
                guard count > 0 else { return nil }
                return .symbolicLink(path, target: String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self))
            default:
                return nil
            }
        }
    }
}
