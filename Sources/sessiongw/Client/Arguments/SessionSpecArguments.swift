import ArgumentParser
import SessionAPI

/// Turns the spec arguments of `session create` and `session update` into message fields.
enum SessionSpecArguments {
    /// The environment variables of `--env NAME=VALUE` and `--secret-env NAME=SECRET`,
    /// plain ones first, each group in the order given.
    ///
    /// - Throws: `ValidationError` when a name is given twice, or a secret name is empty.
    static func environment(plain: [KeyValueArgument], secret: [KeyValueArgument]) throws -> [V1EnvVar] {
        var seen = Set<String>()
        var variables: [V1EnvVar] = []
        for pair in plain {
            guard seen.insert(pair.key).inserted else { throw ValidationError("--env gives '\(pair.key)' more than once") }
            variables.append(V1EnvVar(name: pair.key, source: .value(pair.value)))
        }
        for pair in secret {
            guard seen.insert(pair.key).inserted else {
                throw ValidationError("'\(pair.key)' is given more than once in --env and --secret-env")
            }
            guard !pair.value.isEmpty else { throw ValidationError("--secret-env \(pair.key)= names no secret") }
            variables.append(V1EnvVar(name: pair.key, source: .secretRef(pair.value)))
        }
        return variables
    }
}
