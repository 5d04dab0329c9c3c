import SessionSDK

extension ConformanceReport {
    /// The report as JUnit XML, as CI systems read it: one `testsuite` per group with
    /// a `testcase` per case (`classname` `conformance.GROUP`, `name` the case's name,
    /// `time` in seconds); a failed case holds `<failure message="…">` with the
    /// message, a skipped one `<skipped message="…"/>` with the reason. A last
    /// `cleanup` suite has one case, `resources-removed`, that fails listing the
    /// leftovers when some remain. The provider's name, version and capabilities are
    /// `properties` of the root.
    ///
    /// ```swift
    /// try report.junitXML().write(toFile: "reports/conformance-local.xml", atomically: true, encoding: .utf8)
    /// ```
    public func junitXML() -> String {
        let groups = results.reduce(into: [(ConformanceGroup, [CaseResult])]()) { groups, result in
            if let index = groups.firstIndex(where: { $0.0 == result.group }) {
                groups[index].1.append(result)
            } else {
                groups.append((result.group, [result]))
            }
        }
        let cleanupFailed = leftovers.isEmpty ? 0 : 1
        var xml = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
        xml += "<testsuites name=\"\(Self.escaped("session-provider-conformance"))\" tests=\"\(results.count + 1)\""
        xml += " failures=\"\(failed.count + cleanupFailed)\" errors=\"0\" skipped=\"\(skipped.count)\""
        xml += " time=\"\(Self.seconds(duration))\">\n"
        xml += "  <properties>\n"
        xml += "    <property name=\"provider.name\" value=\"\(Self.escaped(provider.name))\"/>\n"
        xml += "    <property name=\"provider.version\" value=\"\(Self.escaped(provider.version))\"/>\n"
        let capabilityNames = capabilities.map(\.rawValue).sorted().joined(separator: ",")
        xml += "    <property name=\"provider.capabilities\" value=\"\(Self.escaped(capabilityNames))\"/>\n"
        xml += "  </properties>\n"
        for (group, cases) in groups {
            let failures = cases.filter { if case .failed = $0.outcome { true } else { false } }.count
            let skips = cases.filter { if case .skipped = $0.outcome { true } else { false } }.count
            let time = cases.reduce(Duration.zero) { $0 + $1.duration }
            xml += "  <testsuite name=\"\(Self.escaped(group.rawValue))\" tests=\"\(cases.count)\" failures=\"\(failures)\""
            xml += " errors=\"0\" skipped=\"\(skips)\" time=\"\(Self.seconds(time))\">\n"
            for result in cases {
                xml += Self.testCase(classname: "conformance.\(group.rawValue)", name: result.name, time: result.duration, outcome: result.outcome)
            }
            xml += "  </testsuite>\n"
        }
        let cleanupOutcome: Outcome = leftovers.isEmpty
            ? .passed
            : .failed("every resource the suite makes is removed — broken: \(leftovers.joined(separator: "; "))")
        xml += "  <testsuite name=\"cleanup\" tests=\"1\" failures=\"\(cleanupFailed)\" errors=\"0\" skipped=\"0\" time=\"0.000\">\n"
        xml += Self.testCase(classname: "conformance.cleanup", name: "resources-removed", time: .zero, outcome: cleanupOutcome)
        xml += "  </testsuite>\n"
        xml += "</testsuites>\n"
        return xml
    }

    private static func testCase(classname: String, name: String, time: Duration, outcome: Outcome) -> String {
        let open = "    <testcase classname=\"\(escaped(classname))\" name=\"\(escaped(name))\" time=\"\(seconds(time))\""
        switch outcome {
        case .passed:
            return open + "/>\n"
        case .failed(let message):
            return open + ">\n      <failure message=\"\(escaped(message))\" type=\"RuleBroken\">\(escaped(message))</failure>\n    </testcase>\n"
        case .skipped(let reason):
            return open + ">\n      <skipped message=\"\(escaped(reason))\"/>\n    </testcase>\n"
        }
    }

    /// `text` safe inside XML attribute values and character data: the five markup
    /// characters as entities, tab, newline and carriage return as character
    /// references, and characters XML 1.0 does not allow as U+FFFD.
    static func escaped(_ text: String) -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&apos;"
            case "\t": output += "&#9;"
            case "\n": output += "&#10;"
            case "\r": output += "&#13;"
            default:
                let value = scalar.value
                let allowed = value >= 0x20 && !(0xD800...0xDFFF).contains(value) && value != 0xFFFE && value != 0xFFFF
                output.unicodeScalars.append(allowed ? scalar : "\u{FFFD}")
            }
        }
        return output
    }
}
