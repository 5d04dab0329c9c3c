internal import RPCTransport
public import SessionSDK

extension Checkpoint {
    /// The checkpoint of a provider message: id, session, name and a known trigger
    /// are required; the size may not be negative.
    ///
    /// - Throws: `INVALID_ARGUMENT` naming the field, such as `checkpoint.trigger`.
    public init(_ message: ProviderV1Checkpoint, field: String = "checkpoint") throws(SessionError) {
        self.init(
            id: try CheckpointID(validating: message.id, field: "\(field).id"),
            session: try SessionID(validating: message.sessionID, field: "\(field).session_id"),
            name: try APIFieldRules.required(message.name, field: "\(field).name"),
            trigger: try Trigger(V1CheckpointTrigger(rawValue: message.trigger.rawValue), field: "\(field).trigger"),
            sizeBytes: try APIFieldRules.nonNegative(message.sizeBytes, field: "\(field).size_bytes"),
            location: try APIFieldRules.text(message.location, field: "\(field).location"),
            createdAt: try APIFieldRules.time(message.createTime, field: "\(field).create_time")
        )
    }
}

extension ProviderV1Checkpoint {
    /// The provider message of a checkpoint, location included.
    public init(_ checkpoint: Checkpoint) {
        self.init(
            id: checkpoint.id.rawValue,
            sessionID: checkpoint.session.rawValue,
            name: checkpoint.name,
            trigger: ProviderV1CheckpointTrigger(rawValue: V1CheckpointTrigger(checkpoint.trigger).rawValue),
            sizeBytes: checkpoint.sizeBytes,
            location: checkpoint.location,
            createTime: ProtobufTimestamp(secondsSince1970: checkpoint.createdAt)
        )
    }
}
