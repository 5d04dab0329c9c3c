import Testing
@testable import SessionSDK

@Suite("SessionState")
struct SessionStateTests {
    /// The design brief's table: canonical name, Kubeflow word, Seqera word; nil where
    /// the brief has "—".
    static let vocabulary: [(SessionState, String, kubeflow: String?, seqera: String?)] = [
        (.pending, "PENDING", "Pending", "starting"),
        (.building, "BUILDING", nil, "building"),
        (.buildFailed, "BUILD_FAILED", nil, "build-failed"),
        (.starting, "STARTING", "Pending", "starting"),
        (.running, "RUNNING", "Running", "running"),
        (.pausing, "PAUSING", nil, "stopping"),
        (.paused, "PAUSED", "Paused", "stopped"),
        (.failed, "FAILED", "Error", "errored"),
        (.deleting, "DELETING", "Terminating", nil),
        (.unknown, "UNKNOWN", "Unknown", nil),
    ]

    @Test("the table covers every state once")
    func tableIsComplete() {
        #expect(Self.vocabulary.map(\.0) == SessionState.allCases)
    }

    @Test("canonical names and the words users know", arguments: vocabulary)
    func names(_ state: SessionState, _ canonical: String, kubeflow: String?, seqera: String?) {
        #expect(state.rawValue == canonical)
        #expect(state.description == canonical)
        #expect(SessionState(rawValue: canonical) == state)
        if let kubeflow { #expect(state.kubeflowName == kubeflow) }
        if let seqera { #expect(state.seqeraName == seqera) }
    }

    /// Where the brief has no word, the code still needs one; these are its choices.
    @Test("words for states the other vocabularies lack", arguments: [
        (SessionState.building, "Pending", "building"),
        (.buildFailed, "Error", "build-failed"),
        (.pausing, "Paused", "stopping"),
        (.deleting, "Terminating", "deleting"),
        (.unknown, "Unknown", "unknown"),
    ])
    func fillIns(_ state: SessionState, _ kubeflow: String, _ seqera: String) {
        #expect(state.kubeflowName == kubeflow)
        #expect(state.seqeraName == seqera)
    }

    @Test("which states hold or are acquiring compute", arguments: [
        (SessionState.pending, true), (.building, true), (.starting, true), (.running, true), (.pausing, true),
        (.paused, false), (.failed, false), (.buildFailed, false), (.deleting, false), (.unknown, false),
    ])
    func holdsCompute(_ state: SessionState, _ expected: Bool) {
        #expect(state.holdsCompute == expected)
    }

    @Test("which states are on the way somewhere else", arguments: [
        (SessionState.pending, true), (.building, true), (.starting, true), (.pausing, true), (.deleting, true),
        (.running, false), (.paused, false), (.failed, false), (.buildFailed, false), (.unknown, false),
    ])
    func isTransitional(_ state: SessionState, _ expected: Bool) {
        #expect(state.isTransitional == expected)
    }
}
