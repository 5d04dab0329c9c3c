@testable import RPCTransport
import Testing

struct GRPCStatusMessageTests {
    @Test func printableASCIIPassesThroughAndTheRestIsEscaped() {
        #expect(GRPCStatusMessage.encode("session s-1 not found") == "session s-1 not found")
        #expect(GRPCStatusMessage.encode("100%\n") == "100%25%0A")
        #expect(GRPCStatusMessage.encode("☺") == "%E2%98%BA")
    }

    @Test(arguments: ["", "plain", "\t\ntest with whitespace\r\nand Unicode BMP ☺ and non-BMP 😈\t\n", "%%41"])
    func roundTrips(message: String) {
        #expect(GRPCStatusMessage.decode(GRPCStatusMessage.encode(message)) == message)
    }

    @Test func malformedEscapesAreKept() {
        #expect(GRPCStatusMessage.decode("50%") == "50%")
        #expect(GRPCStatusMessage.decode("%zz%4") == "%zz%4")
    }
}
