import SessionAPI
import Testing

/// Every message of `sessiongw/v1/datalink_service.proto` through protobuf-c and back.
struct DataLinkServiceMessagesTests {
    static let cases: [MessageCase] = [
        .of(V1CreateDataLinkRequest(
            workspace: "team-a", name: "Experiment 1", location: "s3://biopharmaX/experiments/project-A",
            description: "raw reads")),
        .of(V1ListDataLinksRequest(workspace: "team-a", pageSize: 5, pageToken: "d2")),
        .of(V1ListDataLinksResponse(dataLinks: [V1Fixtures.readOnlyMount], nextPageToken: "d3")),
        .of(V1DeleteDataLinkRequest(workspace: "team-a", dataLinkID: "dl-1")),
        .of(V1DeleteDataLinkResponse()),
    ]

    @Test(arguments: cases)
    func roundTrip(_ message: MessageCase) throws {
        try message.run()
    }
}
