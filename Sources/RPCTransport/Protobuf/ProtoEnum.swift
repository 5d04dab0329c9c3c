/// A protobuf enum as protoc-gen-sessiongw-swift writes it: open (a number this version
/// does not know is kept), with the value names of the `.proto` file.
package protocol ProtoEnum: RawRepresentable where RawValue == Int32 {
    /// The value's name in the `.proto` file, such as `SESSION_STATE_RUNNING`; nil for a
    /// number this version does not know.
    var protoName: String? { get }

    /// The prefix every value name of the enum carries by convention, such as
    /// `SESSION_STATE_`; empty when they do not all carry one.
    static var valueNamePrefix: String { get }
}

extension ProtoEnum {
    /// The value's name without the enum's prefix (`RUNNING`, `BUILD_FAILED`), or its
    /// number for a value this version does not know: how people see the value.
    package var shortName: String {
        guard let protoName else { return String(rawValue) }
        return String(protoName.dropFirst(Self.valueNamePrefix.count))
    }
}
