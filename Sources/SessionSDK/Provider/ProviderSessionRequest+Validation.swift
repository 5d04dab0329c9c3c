extension ProviderSessionRequest {
    /// Checks what every backend that runs the session's command as a process needs:
    /// a non-empty command without NUL characters, positive CPU and memory and no
    /// negative GPUs, and environment variables whose names are not empty and hold no
    /// `=` or NUL and whose values hold no NUL.
    ///
    /// - Throws: `INVALID_ARGUMENT` naming what is wrong.
    public func validateForProcess() throws(SessionError) {
        guard !command.isEmpty else {
            throw SessionError(.invalidArgument, "the session's command is empty; the preset must name a command")
        }
        guard !command.contains(where: { $0.utf8.contains(0) }) else {
            throw SessionError(.invalidArgument, "the session's command contains a NUL character")
        }
        guard resources.cpuMillis > 0, resources.memoryBytes > 0, resources.gpus >= 0 else {
            throw SessionError(
                .invalidArgument, "resources must have positive CPU and memory (got \(resources)) and no negative GPUs")
        }
        for (name, value) in environment {
            let validName = !name.isEmpty && !name.utf8.contains(UInt8(ascii: "=")) && !name.utf8.contains(0)
            guard validName, !value.utf8.contains(0) else {
                throw SessionError(.invalidArgument, "environment variable '\(name.prefix(100))' has an invalid name or a NUL in its value")
            }
        }
    }
}
