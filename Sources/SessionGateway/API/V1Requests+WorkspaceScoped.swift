internal import SessionAPI

// Every request of the public API names its workspace in field 1.
extension V1CreateSessionRequest: WorkspaceScoped {}
extension V1GetSessionRequest: WorkspaceScoped {}
extension V1ListSessionsRequest: WorkspaceScoped {}
extension V1WatchSessionsRequest: WorkspaceScoped {}
extension V1UpdateSessionRequest: WorkspaceScoped {}
extension V1PauseSessionRequest: WorkspaceScoped {}
extension V1ResumeSessionRequest: WorkspaceScoped {}
extension V1DeleteSessionRequest: WorkspaceScoped {}
extension V1CloneSessionRequest: WorkspaceScoped {}
extension V1GetSessionConnectionRequest: WorkspaceScoped {}
extension V1ListSessionEventsRequest: WorkspaceScoped {}
extension V1ListCheckpointsRequest: WorkspaceScoped {}
extension V1GetCheckpointRequest: WorkspaceScoped {}
extension V1RenameCheckpointRequest: WorkspaceScoped {}
extension V1CreateDataLinkRequest: WorkspaceScoped {}
extension V1ListDataLinksRequest: WorkspaceScoped {}
extension V1DeleteDataLinkRequest: WorkspaceScoped {}
extension V1ListPresetsRequest: WorkspaceScoped {}
extension V1ListComputeEnvironmentsRequest: WorkspaceScoped {}
extension V1ListConfigurationsRequest: WorkspaceScoped {}
extension V1CreateTerminalRequest: WorkspaceScoped {}
extension V1ListTerminalsRequest: WorkspaceScoped {}
extension V1DeleteTerminalRequest: WorkspaceScoped {}
extension V1ListSessionActivitiesRequest: WorkspaceScoped {}
extension V1ShutdownActivityRequest: WorkspaceScoped {}
extension V1GetUsageReportRequest: WorkspaceScoped {}
extension V1GetSessionUtilizationRequest: WorkspaceScoped {}
extension V1CreateSecretRequest: WorkspaceScoped {}
extension V1ListSecretsRequest: WorkspaceScoped {}
extension V1DeleteSecretRequest: WorkspaceScoped {}
