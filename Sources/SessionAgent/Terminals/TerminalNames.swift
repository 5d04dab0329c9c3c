/// Terminal names: the rule a given name follows, and random readable ones
/// (`quiet-otter`) for terminals created without a name.
enum TerminalNames {
    /// The longest name.
    static let maximumLength = 63

    /// Whether `name` is 1–63 lower-case letters, digits and `-`, starting with a
    /// letter or digit.
    static func isValid(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard !bytes.isEmpty, bytes.count <= maximumLength, bytes[0] != UInt8(ascii: "-") else { return false }
        return bytes.allSatisfy { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || $0 == UInt8(ascii: "-") }
    }

    /// A random `adjective-animal` name that `taken` does not hold; a number is added
    /// when the pairs run short.
    static func random(avoiding taken: Set<String>, using generator: inout some RandomNumberGenerator) -> String {
        for attempt in 0..<1_000 {
            var name = "\(adjectives.randomElement(using: &generator)!)-\(animals.randomElement(using: &generator)!)"
            if attempt >= 100 { name += "-\(Int.random(in: 2...9_999, using: &generator))" }
            if !taken.contains(name) { return name }
        }
        return "terminal-\(UInt64.random(in: 0...UInt64.max, using: &generator))"
    }

    private static let adjectives = [
        "amber", "brave", "bright", "calm", "clever", "cosmic", "curious", "eager", "fuzzy", "gentle",
        "golden", "happy", "jolly", "keen", "lively", "lucky", "mellow", "misty", "nimble", "noble",
        "patient", "plucky", "proud", "quick", "quiet", "rapid", "rosy", "shy", "silver", "sleepy",
        "snowy", "sturdy", "sunny", "swift", "tidy", "vivid", "warm", "wild", "witty", "zesty",
    ]

    private static let animals = [
        "badger", "beaver", "bison", "crane", "dingo", "dolphin", "eagle", "falcon", "ferret", "finch",
        "fox", "gecko", "heron", "ibis", "jackal", "koala", "lemur", "lynx", "magpie", "marmot",
        "moose", "newt", "ocelot", "otter", "owl", "panda", "puffin", "quokka", "raven", "robin",
        "salmon", "seal", "sparrow", "stoat", "tapir", "tiger", "walrus", "weasel", "wombat", "yak",
    ]
}
