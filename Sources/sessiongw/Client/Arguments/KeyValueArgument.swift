import ArgumentParser

/// A `KEY=VALUE` argument, as for `--env`, `--secret-env` and `--label`: split at the
/// first `=`; the key must not be empty, the value may be.
struct KeyValueArgument: ExpressibleByArgument, Sendable, Equatable {
    /// The part before the first `=`.
    var key: String
    /// The part after it.
    var value: String

    /// Creates a pair.
    init(key: String, value: String) {
        self.key = key
        self.value = value
    }

    /// Parses `KEY=VALUE`; nil without `=` or with an empty key.
    init?(argument: String) {
        guard let equals = argument.firstIndex(of: "="), equals != argument.startIndex else { return nil }
        self.init(key: String(argument[..<equals]), value: String(argument[argument.index(after: equals)...]))
    }


    /// The pairs as a dictionary.
    ///
    /// - Throws: `ValidationError` naming `option` when a key is given twice.
    static func dictionary(_ pairs: [KeyValueArgument], option: String) throws -> [String: String] {
        var result: [String: String] = [:]
        for pair in pairs {
            guard result.updateValue(pair.value, forKey: pair.key) == nil else {
                throw ValidationError("\(option) gives '\(pair.key)' more than once")
            }
        }
        return result
    }
}
