/// One page of a listing and the token for the next.
public struct StorePage<Item: Sendable>: Sendable {
    /// The items, in the listing's stable order.
    public var items: [Item]
    /// Pass this as `pageToken` to get the next page; empty on the last page.
    public var nextPageToken: String

    /// Creates a page.
    public init(items: [Item], nextPageToken: String) {
        self.items = items
        self.nextPageToken = nextPageToken
    }
}

extension StorePage: Equatable where Item: Equatable {}
