public import SessionSDK

extension Preset.IDEKind {
    /// The IDE kind of a wire value.
    ///
    /// - Throws: `INVALID_ARGUMENT` naming `field` for `IDE_KIND_UNSPECIFIED` and values
    ///   this version does not know.
    public init(_ value: V1IDEKind, field: String = "ide_kind") throws(SessionError) {
        switch value {
        case .jupyterlab: self = .jupyterLab
        case .vscode: self = .vsCode
        case .rstudio: self = .rStudio
        case .terminal: self = .terminal
        case .unspecified: throw APIFieldRules.invalid(field, "is required")
        case .unrecognized(let raw): throw APIFieldRules.invalid(field, "has an unknown value \(raw)")
        }
    }
}

extension V1IDEKind {
    /// The wire value of an IDE kind.
    public init(_ kind: Preset.IDEKind) {
        self = switch kind {
        case .jupyterLab: .jupyterlab
        case .vsCode: .vscode
        case .rStudio: .rstudio
        case .terminal: .terminal
        }
    }
}
