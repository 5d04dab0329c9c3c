package import CProtos

/// The kind of interactive environment a preset starts.
///
/// The `sessiongw.v1.IdeKind` enum. Protobuf enums are open: a value this version
/// does not know is kept as ``unrecognized(_:)`` and survives decoding and encoding.
public enum V1IDEKind: RawRepresentable, Sendable, Hashable {
    /// Not set; refused where a kind is required (`IDE_KIND_UNSPECIFIED` = 0).
    case unspecified
    /// JupyterLab notebooks (`IDE_KIND_JUPYTERLAB` = 1).
    case jupyterLab
    /// VS Code in the browser (`IDE_KIND_VSCODE` = 2).
    case vsCode
    /// RStudio (`IDE_KIND_RSTUDIO` = 3).
    case rStudio
    /// A persistent terminal (`IDE_KIND_TERMINAL` = 4).
    case terminal
    /// A value with no case here.
    case unrecognized(Int32)

    /// The case for a wire value.
    public init(rawValue: Int32) {
        switch rawValue {
        case 0: self = .unspecified
        case 1: self = .jupyterLab
        case 2: self = .vsCode
        case 3: self = .rStudio
        case 4: self = .terminal
        default: self = .unrecognized(rawValue)
        }
    }

    /// The wire value.
    public var rawValue: Int32 {
        switch self {
        case .unspecified: 0
        case .jupyterLab: 1
        case .vsCode: 2
        case .rStudio: 3
        case .terminal: 4
        case .unrecognized(let value): value
        }
    }
}

extension V1IDEKind {
    /// The case for the generated C enum.
    package init(_ value: Sessiongw__V1__IdeKind) {
        self.init(rawValue: Int32(bitPattern: value.rawValue))
    }

    /// The generated C enum.
    package var cValue: Sessiongw__V1__IdeKind {
        Sessiongw__V1__IdeKind(rawValue: UInt32(bitPattern: rawValue))
    }
}
