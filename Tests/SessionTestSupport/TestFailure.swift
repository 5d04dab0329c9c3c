/// A test failure with a message, thrown by the shared test support; a test that lets
/// it escape fails with the message.
public struct TestFailure: Error, CustomStringConvertible {
    /// What went wrong, for the test's output.
    public var description: String

    /// Creates a failure.
    public init(_ description: String) {
        self.description = description
    }
}
