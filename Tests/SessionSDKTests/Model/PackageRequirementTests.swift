import SessionSDK
import Testing

@Suite("Package requirements")
struct PackageRequirementTests {
    @Test("names, extras and version clauses are accepted", arguments: [
        ("requests", "requests"), ("numpy==2.1.0", "numpy"), ("pandas[parquet]>=2,<3", "pandas"),
        ("Flask_SQLAlchemy~=3.1", "flask-sqlalchemy"), ("zope.interface!=6.0", "zope-interface"),
        ("torch===2.4.0+cpu", "torch"), ("a[b,c]", "a"), ("x==1.*", "x"),
    ])
    func accepted(_ text: String, _ name: String) throws {
        let requirement = try PackageRequirement(text)
        #expect(requirement.text == text)
        #expect(requirement.name == name)
    }

    @Test("what pip would read as an option, a URL, a path or a marker is refused", arguments: [
        "", "-e.", "--index-url=http://evil/simple", "--extra-index-url", "pkg @ https://example.com/p.whl",
        "pkg@https://example.com/p.whl", "./local/dir", "/abs/path", "pkg; python_version>'3'", "pkg ==1.0", " pkg",
        "pkg[", "pkg[a", "pkg[]", "pkg==", "pkg==1.0,", "pkg-", "pkg=1.0", "pkg\n--index-url=x", "pâckage",
        String(repeating: "a", count: 201),
    ])
    func refused(_ text: String) {
        #expect(throws: SessionError.self) { try PackageRequirement(text) }
    }

    @Test("a list is checked element by element, each project once, at most 64")
    func lists() throws {
        #expect(try PackageRequirement.parse(["a", "b==1"], field: "spec.packages").map(\.name) == ["a", "b"])
        let bad = #expect(throws: SessionError.self) { try PackageRequirement.parse(["a", "--pre"], field: "spec.packages") }
        #expect(bad?.code == .invalidArgument)
        #expect(bad?.message.hasPrefix("spec.packages[1] '--pre'") == true)
        let twice = #expect(throws: SessionError.self) { try PackageRequirement.parse(["Foo_Bar", "foo-bar==1"], field: "p") }
        #expect(twice?.message.contains("p[1] asks for 'foo-bar' again") == true)
        #expect(throws: SessionError.self) { try PackageRequirement.parse((0...64).map { "p\($0)" }, field: "p") }
    }

    @Test("the canonical order does not depend on the order given")
    func canonical() throws {
        let one = try PackageRequirement.parse(["pandas>=2", "Numpy==2.1.0", "attrs"], field: "p")
        let other = try PackageRequirement.parse(["attrs", "pandas>=2", "Numpy==2.1.0"], field: "p")
        #expect(PackageRequirement.canonical(one) == ["attrs", "Numpy==2.1.0", "pandas>=2"])
        #expect(PackageRequirement.canonical(one) == PackageRequirement.canonical(other))
    }
}
