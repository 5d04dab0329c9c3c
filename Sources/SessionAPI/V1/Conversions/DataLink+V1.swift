public import SessionSDK

extension DataLink {
    /// The data-link of a message: the name must already be normalized (see
    /// ``DataLinkRules/normalizeName(_:)``) and the location must parse (see
    /// ``DataLinkRules/parseLocation(_:)``). `mount_path` and `read_only` are ignored.
    ///
    /// - Throws: `INVALID_ARGUMENT` naming the field, such as `data_link.location`.
    public init(_ message: V1DataLink, field: String = "data_link") throws(SessionError) {
        let name = try APIFieldRules.required(message.name, field: "\(field).name")
        let normalized: String
        do {
            normalized = try DataLinkRules.normalizeName(name)
        } catch {
            throw APIFieldRules.invalid("\(field).name", "'\(name)' has no letters or digits")
        }
        guard normalized == name else {
            throw APIFieldRules.invalid("\(field).name", "'\(name)' is not normalized; it would be '\(normalized)'")
        }
        let location = try APIFieldRules.required(message.location, field: "\(field).location")
        let parsed: DataLinkLocation
        do {
            parsed = try DataLinkRules.parseLocation(location)
        } catch {
            throw SessionError(.invalidArgument, "\(field).location: \(error.message)")
        }
        self.init(
            id: try APIFieldRules.required(message.id, field: "\(field).id"),
            workspace: try WorkspaceID(validating: message.workspace, field: "\(field).workspace"),
            name: name,
            location: parsed,
            description: try APIFieldRules.text(message.description, field: "\(field).description")
        )
    }
}

extension DataLinkMount {
    /// The mount of a message: a valid data-link (see ``DataLink/init(_:field:)``)
    /// whose `mount_path` is exactly `/workspace/data/<name>`.
    ///
    /// - Throws: `INVALID_ARGUMENT` naming the field, such as `data_links[0].mount_path`.
    public init(_ message: V1DataLink, field: String = "data_link") throws(SessionError) {
        let link = try DataLink(message, field: field)
        let expected = DataLinkRules.mountPath(forName: link.name)
        guard message.mountPath == expected else {
            throw APIFieldRules.invalid(
                "\(field).mount_path", "must be \(expected) for the data-link named '\(link.name)'")
        }
        self.init(dataLink: link, mountPath: expected, readOnly: message.readOnly)
    }
}

extension V1DataLink {
    /// The message of a data-link that is not shown in a session: no mount path,
    /// `read_only` false.
    public init(_ link: DataLink) {
        self.init(
            id: link.id,
            workspace: link.workspace.rawValue,
            name: link.name,
            location: link.location.description,
            description: link.description
        )
    }

    /// The message of a data-link as mounted in a session.
    public init(_ mount: DataLinkMount) {
        self.init(mount.dataLink)
        mountPath = mount.mountPath
        readOnly = mount.readOnly
    }
}
