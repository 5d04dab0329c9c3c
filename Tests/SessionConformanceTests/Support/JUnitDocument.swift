import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A JUnit XML document read back with `XMLParser`: the root's counts and every
/// test case with its outcome, enough to check what a report wrote.
struct JUnitDocument {
    /// One `testcase` element.
    struct TestCase: Equatable {
        var suite: String
        var classname: String
        var name: String
        var time: String
        /// `passed`, `failed` or `skipped`.
        var outcome: String
        /// The `message` attribute of `failure` or `skipped`; empty when passed.
        var message: String
        /// The text of `failure`.
        var text: String
    }

    /// The attributes of `testsuites`.
    var root: [String: String] = [:]
    /// The attributes of each `testsuite`, in order.
    var suites: [[String: String]] = []
    /// The `properties` of the root.
    var properties: [String: String] = [:]
    /// Every `testcase`, in order.
    var cases: [TestCase] = []

    /// Parses `xml`.
    ///
    /// - Throws: the parser's error when the document is not well-formed XML.
    init(parsing xml: String) throws {
        let delegate = Delegate()
        let parser = XMLParser(data: Data(xml.utf8))
        parser.delegate = delegate
        guard parser.parse() else {
            throw parser.parserError ?? CocoaError(.coderReadCorrupt)
        }
        self = delegate.document
    }

    private init() {}

    private final class Delegate: NSObject, XMLParserDelegate {
        var document = JUnitDocument()
        private var suite = ""
        private var text: String?

        func parser(
            _ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            switch element {
            case "testsuites": document.root = attributes
            case "property": document.properties[attributes["name"] ?? ""] = attributes["value"] ?? ""
            case "testsuite":
                document.suites.append(attributes)
                suite = attributes["name"] ?? ""
            case "testcase":
                document.cases.append(TestCase(
                    suite: suite, classname: attributes["classname"] ?? "", name: attributes["name"] ?? "",
                    time: attributes["time"] ?? "", outcome: "passed", message: "", text: ""))
            case "failure":
                document.cases[document.cases.count - 1].outcome = "failed"
                document.cases[document.cases.count - 1].message = attributes["message"] ?? ""
                text = ""
            case "skipped":
                document.cases[document.cases.count - 1].outcome = "skipped"
                document.cases[document.cases.count - 1].message = attributes["message"] ?? ""
            default: break
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            text? += string
        }

        func parser(_ parser: XMLParser, didEndElement element: String, namespaceURI: String?, qualifiedName: String?) {
            if element == "failure", let text {
                document.cases[document.cases.count - 1].text = text
                self.text = nil
            }
        }
    }
}
