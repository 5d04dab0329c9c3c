public import SessionSDK

extension ExecutionResult {
    /// The result of an `Execute` response. Output that is not valid UTF-8 is decoded
    /// with replacement characters.
    public init(_ response: ProviderV1ExecuteResponse) {
        self.init(
            exitCode: response.exitCode,
            output: String(decoding: response.output, as: UTF8.self),
            errorOutput: String(decoding: response.errorOutput, as: UTF8.self)
        )
    }
}

extension ProviderV1ExecuteResponse {
    /// The `Execute` response of a result.
    public init(_ result: ExecutionResult) {
        self.init(
            exitCode: result.exitCode, output: Array(result.output.utf8), errorOutput: Array(result.errorOutput.utf8))
    }
}
