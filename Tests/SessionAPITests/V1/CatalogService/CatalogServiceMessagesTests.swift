import SessionAPI
import Testing

/// Every message of `sessiongw/v1/catalog_service.proto` through protobuf-c and back.
struct CatalogServiceMessagesTests {
    static let cases: [MessageCase] = [
        .of(V1ListPresetsRequest(workspace: "team-a", pageSize: 10, pageToken: "x")),
        .of(V1ListPresetsResponse(presets: [V1Fixtures.preset], nextPageToken: "y")),
        .of(V1ListComputeEnvironmentsRequest(workspace: "team-a", pageSize: 10, pageToken: "x")),
        .of(V1ListComputeEnvironmentsResponse(computeEnvironments: [V1Fixtures.computeEnvironment], nextPageToken: "y")),
        .of(V1ListConfigurationsRequest(workspace: "team-a")),
        .of(V1ListConfigurationsResponse(configurations: [
            V1Configuration(
                name: "corporate-proxy", description: "the lab's proxy", defaultOn: true,
                env: [V1Fixtures.plainVariable, V1Fixtures.secretVariable], initScript: "git config --global http.proxy \"$HTTPS_PROXY\"\n"),
        ])),
    ]

    @Test(arguments: cases)
    func roundTrip(_ message: MessageCase) throws {
        try message.run()
    }
}
