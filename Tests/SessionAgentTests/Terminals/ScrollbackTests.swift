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
            #expect(size <= 2 * limits.maximumBytes, "the file grows past twice the bound")
        }
        let reopened = Scrollback(limits: limits, file: file)
        #expect(reopened.bytes == scrollback.bytes)
        #expect(String(decoding: reopened.bytes, as: UTF8.self).hasSuffix("49999\n50000\n"))
    }
}
