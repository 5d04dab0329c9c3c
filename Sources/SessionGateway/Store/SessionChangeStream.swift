public import SessionSDK

/// The changes of one workspace (or all) after a revision, as they are committed; made
/// by ``SessionStore/watchChanges(workspace:after:)``.
///
/// ```swift
/// for try await change in store.watchChanges(workspace: .default, after: snapshot.revision) {
///     send(change)
/// }
/// ```
public struct SessionChangeStream: AsyncSequence, Sendable {
    public typealias Element = SessionChange
    public typealias Failure = SessionError

    let store: SessionStore
    let workspace: WorkspaceID?
    let revision: Int64

    public func makeAsyncIterator() -> Iterator {
        Iterator(store: store, workspace: workspace, revision: revision)
    }

    /// Reads a batch at a time and waits on the store's change feed when caught up.
    public struct Iterator: AsyncIteratorProtocol {
        public typealias Element = SessionChange
        public typealias Failure = SessionError

        /// How many changes one read fetches.
        private static let batchSize = 256

        let store: SessionStore
        let workspace: WorkspaceID?
        /// Everything up to here has been read.
        var revision: Int64
        private var pending: [SessionChange] = []
        private var index = 0

        init(store: SessionStore, workspace: WorkspaceID?, revision: Int64) {
            self.store = store
            self.workspace = workspace
            self.revision = revision
        }

        /// The next change; nil once the task is cancelled or the store closed.
        public mutating func next() async throws(SessionError) -> SessionChange? {
            while true {
                if index < pending.count {
                    defer { index += 1 }
                    return pending[index]
                }
                if Task.isCancelled || store.feed.isClosed { return nil }
                let batch: (changes: [SessionChange], through: Int64)
                do {
                    batch = try await store.changeBatch(after: revision, workspace: workspace, limit: Self.batchSize)
                } catch where Task.isCancelled || store.feed.isClosed {
                    return nil
                }
                pending = batch.changes
                index = 0
                revision = batch.through
                if pending.isEmpty { await store.feed.wait(after: revision) }
            }
        }
    }
}
