import SessionAPI
import Testing

/// Every message of `sessiongw/v1/catalog_service.proto` through protobuf-c and back.
struct CatalogServiceMessagesTests {
    static let cases: [MessageCase] = [
        .of(V1ListPresetsRequest(workspace: "team-a", pageSize: 10, pageToken: "x")),
        .of(V1ListPresetsResponse(presets: [V1Fixtures.preset], nextPageToken: "y")),
        .of(V1ListComputeEnvironmentsRequest(workspace: "team-a", pageSize: 10, pageToken: "x")),
        .of(V1ListComputeEnvironmentsResponse(computeEnvironments: [V1Fixtures.computeEnvironment], nextPageToken: "y")),
    ]

    @Test(arguments: cases)
    func roundTrip(_ message: MessageCase) throws {
        try message.run()
    }
}
