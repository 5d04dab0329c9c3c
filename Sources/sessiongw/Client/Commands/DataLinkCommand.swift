import ArgumentParser

/// `sessiongw datalink`: the data-link commands.
struct DataLinkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "datalink",
        abstract: "Create, list and delete the workspace's data-links.",
        discussion: """
            A data-link names data a session can mount: a bucket or a subdirectory of one \
            (s3://bucket/prefix), an EFS file system (efs://fs-id/prefix) or a path (file:///data/x). A \
            session created with --data-link ID sees it at /workspace/data/<name>, read-only unless the \
            compute environment lists its bucket as writable.

            \(ClientExitCode.help)
            """,
        subcommands: [DataLinkCreateCommand.self, DataLinkListCommand.self, DataLinkDeleteCommand.self])
}
