import SessionSDK
import Testing

@Suite("Provider request checks for process backends")
struct ProviderSessionRequestValidationTests {
    static func request(_ change: (inout ProviderSessionRequest) -> Void = { _ in }) -> ProviderSessionRequest {
        var request = ProviderSessionRequest(
            sessionID: SessionID(rawValue: "s-1"), workspace: .default, name: "s", ideKind: .terminal, image: "i",
            command: ["sh", "-c", "serve"], resources: Resources(cpuMillis: 500, memoryBytes: 1 << 28),
            environment: ["MODE": "dev"])
        change(&request)
        return request
    }

    @Test("a good request passes")
    func passes() throws {
        try Self.request().validateForProcess()
    }

    @Test("each bad field is INVALID_ARGUMENT naming it", arguments: [
        ("empty command", request { $0.command = [] }, "command is empty"),
        ("NUL in command", request { $0.command = ["sh\u{0}"] }, "NUL character"),
        ("no CPU", request { $0.resources.cpuMillis = 0 }, "positive CPU"),
        ("negative GPUs", request { $0.resources.gpus = -1 }, "negative GPUs"),
        ("= in a name", request { $0.environment = ["A=B": "x"] }, "environment variable 'A=B'"),
        ("NUL in a value", request { $0.environment = ["A": "x\u{0}"] }, "environment variable 'A'"),
    ])
    func refusals(name: String, request: ProviderSessionRequest, says: String) {
        let error = #expect(throws: SessionError.self) { try request.validateForProcess() }
        #expect(error?.code == .invalidArgument, "\(name)")
        #expect(error?.message.contains(says) == true, "\(name): \(error?.message ?? "")")
    }
}
