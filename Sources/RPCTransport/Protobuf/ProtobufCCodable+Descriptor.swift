package import CProtobufC

extension ProtobufCCodable {
    /// The address of the generated descriptor, read from a struct that the generated
    /// `*__init` function initialized.
    ///
    /// Swift imports a C `extern const` descriptor as a `let` and cannot take the
    /// address of it; the `*__init` function stores that address in `base.descriptor`,
    /// which is where libprotobuf-c reads it from as well.
    ///
    /// ```swift
    /// static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
    ///     descriptor(initializedBy: grpc__testing__empty__init)
    /// }
    /// ```
    package static func descriptor(
        initializedBy initialize: (UnsafeMutablePointer<CStruct>) -> Void
    ) -> UnsafePointer<ProtobufCMessageDescriptor> {
        withUnsafeTemporaryAllocation(of: CStruct.self, capacity: 1) { buffer in
            let message = buffer.baseAddress!
            initialize(message)
            return UnsafeRawPointer(message).load(as: ProtobufCMessage.self).descriptor
        }
    }
}
