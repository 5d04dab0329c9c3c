import Foundation
import Testing

@testable import SessionAgent

struct ScrollbackTests {
    private func lines(_ range: ClosedRange<Int>) -> [UInt8] {
        Array(range.map { "\($0)\n" }.joined().utf8)
    }

    @Test func keepsTheLastLinesWithinTheLineBound() {
        var scrollback = Scrollback(limits: ScrollbackLimits(maximumLines: 100, maximumBytes: 1 << 20))
        scrollback.append(lines(1...1_000))
        scrollback.append(Array("partial".utf8))
        let text = String(decoding: scrollback.bytes, as: UTF8.self)
        #expect(text.hasPrefix("901\n"))
        #expect(text.hasSuffix("1000\npartial"))
    }

    @Test func keepsTheLastBytesWithinTheByteBound() {
        var scrollback = Scrollback(limits: ScrollbackLimits(maximumLines: 1_000_000, maximumBytes: 1_000))
        for chunk in stride(from: 1, through: 10_000, by: 100) {
            scrollback.append(lines(chunk...(chunk + 99)))
        }
        #expect(scrollback.bytes.count <= 1_000)
        #expect(String(decoding: scrollback.bytes, as: UTF8.self).hasSuffix("9999\n10000\n"))
    }

    /// The history as a byte-at-a-time reading of the rule gives it: the last
    /// `maximumBytes` bytes, then only whole lines within the last `maximumLines` newlines.
    private func expectedHistory(of output: [UInt8], limits: ScrollbackLimits) -> [UInt8] {
        var kept = Array(output.suffix(limits.maximumBytes))
        var newlines = kept.count { $0 == UInt8(ascii: "\n") }
        while newlines > limits.maximumLines {
            if kept.removeFirst() == UInt8(ascii: "\n") { newlines -= 1 }
        }
        return kept
    }

    @Test(arguments: [(3, 50), (40, 10_000), (1_000, 700)])
    func keepsWhatTheRuleKeepsForAnyChunking(maximumLines: Int, maximumBytes: Int) {
        let limits = ScrollbackLimits(maximumLines: maximumLines, maximumBytes: maximumBytes)
        var generator = SystemRandomNumberGenerator()
        var scrollback = Scrollback(limits: limits)
        var output: [UInt8] = []
        for _ in 0..<300 {
            let chunk = (0..<Int.random(in: 0...300, using: &generator)).map { _ in
                Bool.random(using: &generator) ? UInt8(ascii: "\n") : UInt8(ascii: "a")
            }
            scrollback.append(chunk)
            output += chunk
            #expect(scrollback.bytes == expectedHistory(of: output, limits: limits))
        }
    }

    @Test func survivesInItsFileWhichStaysBounded() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("scrollback-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("t.scrollback")
        let limits = ScrollbackLimits(maximumLines: 1_000_000, maximumBytes: 10_000)
        var scrollback = Scrollback(limits: limits, file: file)
        for chunk in stride(from: 1, through: 50_000, by: 500) {
            scrollback.append(lines(chunk...(chunk + 499)))
            let size = try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int ?? 0
            #expect(size <= Scrollback.fileBound * limits.maximumBytes, "the file grows past its bound")
        }
        let reopened = Scrollback(limits: limits, file: file)
        #expect(reopened.bytes == scrollback.bytes)
        #expect(String(decoding: reopened.bytes, as: UTF8.self).hasSuffix("49999\n50000\n"))
    }
}
