@testable import RPCTransport
import Testing

struct GRPCMessageDeframerTests {
    private func deframe(_ chunks: [[UInt8]], limit: Int = 1024) throws -> [[UInt8]] {
        var deframer = GRPCMessageDeframer(maxMessageSize: limit)
        var messages: [[UInt8]] = []
        for chunk in chunks {
            try chunk.withUnsafeBytes { bytes in
                try deframer.append(bytes) { messages.append($0.bytes) }
            }
        }
        try deframer.finish()
        return messages
    }

    @Test func messagesSplitAcrossChunksAreReassembled() throws {
        let stream = GRPCMessageDeframer.frame([1, 2, 3]) + GRPCMessageDeframer.frame([]) + GRPCMessageDeframer.frame([4])
        for split in 0...stream.count {
            let messages = try deframe([Array(stream[..<split]), Array(stream[split...])])
            #expect(messages == [[1, 2, 3], [], [4]])
        }
    }

    @Test func aDeclaredLengthOverTheLimitIsRefusedBeforeBuffering() {
        #expect(throws: GRPCMessageDeframer.Failure.tooLarge(length: 2000, limit: 1024)) {
            _ = try deframe([[0, 0, 0, 0x07, 0xD0]])
        }
    }

    @Test func anInvalidFlagIsRefused() {
        #expect(throws: GRPCMessageDeframer.Failure.invalidFlag(2)) { _ = try deframe([[2, 0, 0, 0, 0]]) }
    }

    @Test func aTruncatedBodyIsRefused() {
        #expect(throws: GRPCMessageDeframer.Failure.truncated) { _ = try deframe([[0, 0, 0, 0, 5, 1, 2]]) }
        #expect(throws: GRPCMessageDeframer.Failure.truncated) { _ = try deframe([[0, 0]]) }
    }

    @Test func framingWritesFlagAndBigEndianLength() {
        #expect(GRPCMessageDeframer.frame([UInt8](repeating: 9, count: 258)).prefix(5) == [0, 0, 0, 1, 2])
    }
}
