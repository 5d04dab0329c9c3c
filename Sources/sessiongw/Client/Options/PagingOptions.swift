import ArgumentParser

/// Paging for list commands: one page by default, every page with `--all`.
struct PagingOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The most items per page; 0 for the gateway's default (100).", valueName: "n"))
    var pageSize: Int32 = 0

    @Option(help: ArgumentHelp("Start from this page token (printed after a partial list).", valueName: "token"))
    var pageToken: String?

    @Flag(help: "Follow page tokens and print every item.")
    var all = false

    func validate() throws {
        guard pageSize >= 0 else { throw ValidationError("--page-size must not be negative") }
    }
}
