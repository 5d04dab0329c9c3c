import Testing
@testable import SessionSDK

/// Whether text holds a Unicode control character (C0, DEL or C1), which must never
/// reach a message or a path.
private func hasControlCharacters(_ text: String) -> Bool {
    text.unicodeScalars.contains { $0.properties.generalCategory == .control }
}

private func location(_ text: String) throws -> DataLinkLocation {
    try DataLinkRules.parseLocation(text)
}

@Suite("DataLinkRules")
struct DataLinkRulesTests {
    // MARK: Names

    @Test("names normalize to lower-case directory names", arguments: [
        ("biopharmaXs project-A experiment-1 data", "biopharmaxs-project-a-experiment-1-data"),
        ("Results", "results"),
        ("MY_DATA", "my-data"),
        ("my.data/v2", "my-data-v2"),
        ("a  __ --..//b", "a-b"),
        ("  -_leading and trailing_-  ", "leading-and-trailing"),
        ("Café Données", "caf-donn-es"),
        ("naïve", "na-ve"),
        ("データ2024", "2024"),
        ("2024 Q1 runs", "2024-q1-runs"),
        ("007", "007"),
        ("tab\tand\nnewline", "tab-and-newline"),
        ("already-normal-1", "already-normal-1"),
    ])
    func normalizes(_ raw: String, _ expected: String) throws {
        #expect(try DataLinkRules.normalizeName(raw) == expected)
    }

    @Test("names with no letters or digits are refused",
          arguments: ["", " ", "---", "_./\\", "日本語", "é", "\u{0}\n\u{7F}\u{85}"])
    func emptyNamesRefused(_ raw: String) {
        let error = #expect(throws: SessionError.self) { try DataLinkRules.normalizeName(raw) }
        #expect(error?.code == .invalidArgument)
        #expect(error.map { hasControlCharacters($0.message) } == false, "message has raw control characters")
    }

    @Test("63 characters are kept as they are")
    func exactlyAtLimit() throws {
        let name = String(repeating: "a", count: 62) + "Z"
        #expect(try DataLinkRules.normalizeName(name) == String(repeating: "a", count: 62) + "z")
        // The limit applies to the normalized name, not the raw one.
        let padded = "  " + String(repeating: "b", count: 63) + "__"
        #expect(try DataLinkRules.normalizeName(padded) == String(repeating: "b", count: 63))
    }

    @Test("longer names keep 54 characters and a stable 8-hex-digit suffix", arguments: [
        // Golden values: the suffix is FNV-1a (32 bit) of the whole normalized name; mount
        // paths outlive processes, so it must not change between runs or releases.
        (String(repeating: "a", count: 64), String(repeating: "a", count: 54) + "-d96f0f85"),
        (String(repeating: "Project ", count: 10), "project-project-project-project-project-project-projec-a84a2582"),
        // Leading zeros in the hash are kept.
        (String(repeating: "x", count: 60) + "0300", String(repeating: "x", count: 54) + "-0a417104"),
        // A separator at the cut is not doubled.
        (String(repeating: "a", count: 53) + " " + String(repeating: "b", count: 20),
         String(repeating: "a", count: 53) + "-4a5bc76f"),
    ])
    func truncates(_ raw: String, _ expected: String) throws {
        let name = try DataLinkRules.normalizeName(raw)
        #expect(name == expected)
        #expect(name.count <= DataLinkRules.maxNameLength)
        #expect(!name.contains("--"))
        #expect(try DataLinkRules.normalizeName(raw) == name, "same input, same name")
    }

    @Test("distinct long names stay distinct")
    func longNamesDistinct() throws {
        let stem = String(repeating: "experiment ", count: 8)
        let alpha = try DataLinkRules.normalizeName(stem + "alpha")
        let beta = try DataLinkRules.normalizeName(stem + "beta")
        #expect(alpha != beta)
        #expect(alpha.count == 63 && beta.count == 63)
        #expect(alpha.dropLast(9) == beta.dropLast(9), "both keep the same first characters")
    }

    @Test("a normalized name normalizes to itself", arguments: [
        "biopharmaXs project-A experiment-1 data",
        String(repeating: "a", count: 64),
        String(repeating: "a", count: 53) + " " + String(repeating: "b", count: 20),
        String(repeating: "Project ", count: 10),
        "  Ünïcode / Data  ",
    ])
    func idempotent(_ raw: String) throws {
        // Links store the normalized name and mounts normalize it again: both must agree.
        let once = try DataLinkRules.normalizeName(raw)
        #expect(try DataLinkRules.normalizeName(once) == once)
    }

    @Test("default names come from the bucket and path", arguments: [
        ("s3://biopharmaX/experiments/project-A/experiment-1/data", "biopharmax-experiments-project-a-experiment-1-data"),
        ("s3://biopharmaXs", "biopharmaxs"),
        ("efs://fs-0123abcd/home/Team_A/", "fs-0123abcd-home-team-a"),
        ("file:///data/shared/Genomes", "data-shared-genomes"),
    ])
    func defaultNames(_ text: String, _ expected: String) throws {
        #expect(DataLinkRules.defaultName(for: try location(text)) == expected)
    }

    @Test("a default name is always a usable directory name")
    func defaultNameFallback() throws {
        let name = DataLinkRules.defaultName(for: try location("s3://___"))
        #expect(!name.isEmpty)
        #expect(try DataLinkRules.normalizeName(name) == name)
    }

    @Test("links mount under /workspace/data")
    func mountPath() {
        #expect(DataLinkRules.mountPath(forName: "results") == "/workspace/data/results")
    }

    // MARK: Locations

    @Test("valid locations parse", arguments: [
        ("s3://biopharmaX/experiments/project-A/experiment-1/data", DataLinkLocation.Scheme.s3, "biopharmaX",
         "experiments/project-A/experiment-1/data"),
        ("s3://bucket", .s3, "bucket", ""),
        ("s3://bucket/", .s3, "bucket", ""),
        ("s3://bucket/a/b/", .s3, "bucket", "a/b"),
        ("S3://bucket/a", .s3, "bucket", "a"),
        ("s3://my.bucket_name-1/x", .s3, "my.bucket_name-1", "x"),
        ("s3://b/.hidden/.../x", .s3, "b", ".hidden/.../x"),
        ("s3://b/with space/ü", .s3, "b", "with space/ü"),
        ("efs://fs-0123abcd", .efs, "fs-0123abcd", ""),
        ("efs://fs-0123abcd/home/team", .efs, "fs-0123abcd", "home/team"),
        ("efs://fs-0123abcd/home/", .efs, "fs-0123abcd", "home"),
        ("file:///data/shared", .file, "", "data/shared"),
        ("file:///data/shared/", .file, "", "data/shared"),
    ])
    func parses(_ text: String, _ scheme: DataLinkLocation.Scheme, _ bucket: String, _ prefix: String) throws {
        let parsed = try location(text)
        #expect(parsed == DataLinkLocation(scheme: scheme, bucket: bucket, prefix: prefix))
        #expect(try location(parsed.description) == parsed, "description must parse back to the same location")
    }

    static let invalidLocations: [String] = [
        // Traversal and empty segments.
        "s3://b/../x", "s3://b/a/..", "s3://b/..", "s3://b/./x", "s3://b/a/.", "s3://b/./",
        "s3://b/a//c", "s3://b//x", "s3://b//", "s3://b/a//", "file:////etc", "file:///data//x",
        // Control characters, backslashes, encodings.
        "s3://b/a\u{0}b", "s3://b/a\nb", "s3://b/a\rb", "s3://b/a\tb", "s3://b/a\u{7F}b", "s3://b/a\u{85}b",
        "s3://b/a\\b", "s3://b/..\\x", "s3://b/a%2Fb", "s3://b/%2e%2e/x", "s3://b/a%20b", "s3://b/100%",
        // Bad buckets.
        "s3:///x", "s3://", "s3://bu cket/x", "s3://b@x/y", "s3://../x", "s3://./x", "s3://bü/x",
        "s3://b%2F/x", "s3://b\u{0}/x", "s3://b\\c/x", "efs://fs:1/x", "s3://" + String(repeating: "b", count: 256),
        // Schemes and shapes.
        "gs://b/x", "http://b/x", "://b/x", "s4://b", "s3:/b/x", "s3:b", "bucket/x", "", "s3//b/x",
        "file://relative", "file://relative/path", "file://", "file:///",
    ]

    @Test("invalid locations are refused with INVALID_ARGUMENT", arguments: invalidLocations)
    func refuses(_ text: String) {
        let error = #expect(throws: SessionError.self) { try location(text) }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message.contains("data-link location") == true)
        #expect(error.map { hasControlCharacters($0.message) } == false, "message has raw control characters")
    }

    @Test("control characters are escaped in refusal messages")
    func escapesControls() {
        let error = #expect(throws: SessionError.self) { try location("s3://b/a\u{0}\n\u{7F}\u{85}z") }
        let message = error?.message ?? ""
        #expect(message.contains(#"s3://b/a\0\n\u{7F}\u{0085}z"#), "got: \(message)")
    }

    @Test("prefixes are limited to 1024 bytes, not characters")
    func prefixLength() throws {
        let ascii = String(repeating: "p", count: 1024)
        #expect(try location("s3://b/" + ascii).prefix == ascii)
        #expect(try location("s3://b/" + ascii + "/").prefix == ascii)
        #expect(throws: SessionError.self) { try location("s3://b/" + ascii + "p") }
        let twoByte = String(repeating: "é", count: 512)
        #expect(try location("s3://b/" + twoByte).prefix == twoByte)
        #expect(throws: SessionError.self) { try location("s3://b/" + twoByte + "é") }
    }

    @Test("bucket names may have 255 characters")
    func bucketLength() throws {
        let bucket = String(repeating: "b", count: 255)
        #expect(try location("s3://\(bucket)/x").bucket == bucket)
    }

    // MARK: Access

    static let environment = ComputeEnvironment(
        id: "ce", backend: "local", writableBuckets: ["shared-results", "fs-0123abcd", "/data/a", "/scratch/team/"])

    @Test("only listed buckets and directories are writable", arguments: [
        ("s3://shared-results", true),
        ("s3://shared-results/run-7/out", true),
        ("s3://other-bucket/x", false),
        ("s3://shared-results-2/x", false),
        ("efs://fs-0123abcd/home", true),
        ("efs://fs-9/home", false),
        ("file:///data/a", true),
        ("file:///data/a/x/y", true),
        ("file:///data/ab", false),
        ("file:///data/ab/x", false),
        ("file:///data", false),
        ("file:///scratch/team/x", true),
        ("file:///scratch/teams/x", false),
        ("file:///shared-results/x", false),
        // Names differing only in case are other buckets and directories.
        ("s3://Shared-Results/x", false),
        ("efs://FS-0123ABCD/home", false),
        ("file:///Data/a", false),
        ("file:///data/A", false),
    ])
    func writable(_ text: String, _ expected: Bool) throws {
        #expect(DataLinkRules.isWritable(try location(text), in: Self.environment) == expected)
    }

    @Test("a file root on the list does not make an S3 bucket of that name writable")
    func writableAcrossSchemes() throws {
        let environment = ComputeEnvironment(id: "ce", backend: "local", writableBuckets: ["/results"])
        #expect(!DataLinkRules.isWritable(try location("s3://results/x"), in: environment))
        #expect(DataLinkRules.isWritable(try location("file:///results/x"), in: environment))
    }

    // MARK: Mounts

    private static func link(_ id: String, _ name: String, _ text: String) throws -> DataLink {
        DataLink(id: id, workspace: .default, name: name, location: try location(text))
    }

    @Test("mounts get paths under /workspace/data and read-only unless writable")
    func mounts() throws {
        let seed = try Self.link(
            "dl-1", "biopharmaXs project-A experiment-1 data", "s3://biopharmaX/experiments/project-A/experiment-1/data")
        let results = try Self.link("dl-2", "Results", "s3://shared-results/run-7")
        let mounts = try DataLinkRules.mounts(for: [seed, results], in: Self.environment)
        #expect(mounts == [
            DataLinkMount(dataLink: seed, mountPath: "/workspace/data/biopharmaxs-project-a-experiment-1-data", readOnly: true),
            DataLinkMount(dataLink: results, mountPath: "/workspace/data/results", readOnly: false),
        ])
        #expect(try DataLinkRules.mounts(for: [], in: Self.environment).isEmpty)
    }

    @Test("two links on one mount path are refused, naming both", arguments: [
        ("Results", "results"), ("my data", "my_data"), ("My-Data", "my.data"), ("raw  files", "raw-files"),
    ])
    func collisions(_ first: String, _ second: String) throws {
        let links = [
            try Self.link("dl-first", first, "s3://bucket-a/x"),
            try Self.link("dl-other", "other", "s3://bucket-c"),
            try Self.link("dl-second", second, "s3://bucket-b/y"),
        ]
        let error = #expect(throws: SessionError.self) { try DataLinkRules.mounts(for: links, in: Self.environment) }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message.contains("dl-first") == true)
        #expect(error?.message.contains("dl-second") == true)
        #expect(error?.message.contains("dl-other") == false)
    }

    @Test("a link whose name normalizes to nothing cannot be mounted")
    func unnamedLinkRefused() throws {
        let links = [try Self.link("dl-1", "___", "s3://bucket")]
        let error = #expect(throws: SessionError.self) { try DataLinkRules.mounts(for: links, in: Self.environment) }
        #expect(error?.code == .invalidArgument)
    }
}
