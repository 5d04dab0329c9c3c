import SessionAPI

/// A message the client can print with `--output json`.
protocol JSONRepresentable {
    /// The message as JSON: every field present, named as in the `.proto` file in
    /// lowerCamelCase, enums by value name, absent messages as `null`.
    var jsonValue: JSONValue { get }
}

extension JSONValue {
    /// An enum value by its name, or by its number when this version does not know it.
    static func enumName(_ name: String) -> JSONValue {
        Int64(name).map(JSONValue.int) ?? .string(name)
    }

    /// An optional message, `null` when absent.
    static func message(_ message: (some JSONRepresentable)?) -> JSONValue {
        message?.jsonValue ?? .null
    }

    /// Strings as an array.
    static func strings(_ values: [String]) -> JSONValue {
        .array(values.map(JSONValue.string))
    }

    /// A string map as an object with its keys sorted, so it renders the same every time.
    static func stringMap(_ map: [String: String]) -> JSONValue {
        .object(map.sorted { $0.key < $1.key }.map { Member(key: $0.key, value: .string($0.value)) })
    }

    /// Messages as an array.
    static func messages(_ values: [some JSONRepresentable]) -> JSONValue {
        .array(values.map(\.jsonValue))
    }
}

extension V1Session: JSONRepresentable {
    var jsonValue: JSONValue {
        .object([
            "id": .string(id),
            "workspace": .string(workspace),
            "name": .string(name),
            "owner": .string(owner),
            "spec": .message(spec),
            "state": .enumName(state.name),
            "stateReason": .string(stateReason),
            "clonedFromCheckpointId": .string(clonedFromCheckpointID),
            "connectionUrl": .string(connectionURL),
            "dataLinks": .messages(dataLinks),
            "createTimeSeconds": .double(createTimeSeconds),
            "updateTimeSeconds": .double(updateTimeSeconds),
            "revision": .int(revision),
            "connectedUsers": .messages(connectedUsers),
        ])
    }
}

extension V1ConnectedUser: JSONRepresentable {
    var jsonValue: JSONValue {
        .object([
            "user": .string(user),
            "sinceSeconds": .double(sinceSeconds),
            "lastSeenSeconds": .double(lastSeenSeconds),
            "openConnections": .int(Int64(openConnections)),
        ])
    }
}

extension V1SessionSpec: JSONRepresentable {
    var jsonValue: JSONValue {
        .object([
            "preset": .string(preset),
            "image": .string(image),
            "podSize": .string(podSize),
            "resources": .message(resources),
            "computeEnvironment": .string(computeEnvironment),
            "computePool": .string(computePool),
            "env": .messages(env),
            "homeVolume": .message(homeVolume),
            "dataVolumes": .messages(dataVolumes),
            "dataLinkIds": .strings(dataLinkIDs),
            "labels": .stringMap(labels),
            "durationLimitSeconds": .int(durationLimitSeconds),
        ])
    }
}

extension V1Resources: JSONRepresentable {
    var jsonValue: JSONValue {
        .object(["cpuMillis": .int(cpuMillis), "memoryBytes": .int(memoryBytes), "gpus": .int(Int64(gpus))])
    }
}

extension V1EnvVar: JSONRepresentable {
    var jsonValue: JSONValue {
        switch source {
        case .value(let value): .object(["name": .string(name), "value": .string(value)])
        case .secretRef(let reference): .object(["name": .string(name), "secretRef": .string(reference)])
        case nil: .object(["name": .string(name)])
        }
    }
}

extension V1HomeVolume: JSONRepresentable {
    var jsonValue: JSONValue {
        switch source {
        case .newSizeBytes(let bytes): .object(["newSizeBytes": .int(bytes)])
        case .existingClaim(let claim): .object(["existingClaim": .string(claim)])
        case nil: .object([])
        }
    }
}

extension V1DataVolume: JSONRepresentable {
    var jsonValue: JSONValue {
        .object(["source": .string(source), "mountPath": .string(mountPath), "readOnly": .bool(readOnly)])
    }
}

extension V1DataLink: JSONRepresentable {
    var jsonValue: JSONValue {
        .object([
            "id": .string(id),
            "workspace": .string(workspace),
            "name": .string(name),
            "location": .string(location),
            "description": .string(description),
            "mountPath": .string(mountPath),
            "readOnly": .bool(readOnly),
        ])
    }
}

extension V1Connection: JSONRepresentable {
    var jsonValue: JSONValue {
        .object([
            "url": .string(url), "accessToken": .string(accessToken),
            "accessTokenExpireTimeSeconds": .double(accessTokenExpireTimeSeconds),
        ])
    }
}

extension V1Checkpoint: JSONRepresentable {
    var jsonValue: JSONValue {
        .object([
            "id": .string(id),
            "workspace": .string(workspace),
            "sessionId": .string(sessionID),
            "name": .string(name),
            "trigger": .enumName(trigger.name),
            "sizeBytes": .int(sizeBytes),
            "createTimeSeconds": .double(createTimeSeconds),
        ])
    }
}

extension V1SessionEvent: JSONRepresentable {
    var jsonValue: JSONValue {
        .object([
            "sessionId": .string(sessionID),
            "timeSeconds": .double(timeSeconds),
            "type": .enumName(type.name),
            "message": .string(message),
            "fromState": .enumName(fromState.name),
            "toState": .enumName(toState.name),
            "actor": .string(actor),
        ])
    }
}

extension V1Preset: JSONRepresentable {
    var jsonValue: JSONValue {
        .object([
            "id": .string(id),
            "displayName": .string(displayName),
            "ideKind": .enumName(ideKind.name),
            "images": .messages(images),
            "podSizes": .messages(podSizes),
            "defaultPodSize": .string(defaultPodSize),
            "command": .strings(command),
            "defaultHomeVolumeBytes": .int(defaultHomeVolumeBytes),
        ])
    }
}

extension V1PresetImage: JSONRepresentable {
    var jsonValue: JSONValue {
        .object(["name": .string(name), "reference": .string(reference), "tag": .enumName(tag.name)])
    }
}

extension V1PodSize: JSONRepresentable {
    var jsonValue: JSONValue {
        .object(["name": .string(name), "resources": .message(resources)])
    }
}

extension V1ComputeEnvironment: JSONRepresentable {
    var jsonValue: JSONValue {
        .object([
            "id": .string(id),
            "workspace": .string(workspace),
            "backend": .string(backend),
            "pools": .strings(pools),
            "defaultPool": .string(defaultPool),
            "writableBuckets": .strings(writableBuckets),
            "diskLimitBytes": .int(diskLimitBytes),
        ])
    }
}

extension V1WatchSessionsResponse: JSONRepresentable {
    var jsonValue: JSONValue {
        .object(["type": .enumName(type.name), "session": .message(session), "revision": .int(revision)])
    }
}

extension V1ListSessionsResponse: JSONRepresentable {
    var jsonValue: JSONValue {
        .object([
            "sessions": .messages(sessions), "nextPageToken": .string(nextPageToken), "revision": .int(revision),
        ])
    }
}

extension V1ListSessionEventsResponse: JSONRepresentable {
    var jsonValue: JSONValue {
        .object(["events": .messages(events), "nextPageToken": .string(nextPageToken)])
    }
}

extension V1ListCheckpointsResponse: JSONRepresentable {
    var jsonValue: JSONValue {
        .object(["checkpoints": .messages(checkpoints), "nextPageToken": .string(nextPageToken)])
    }
}

extension V1ListDataLinksResponse: JSONRepresentable {
    var jsonValue: JSONValue {
        .object(["dataLinks": .messages(dataLinks), "nextPageToken": .string(nextPageToken)])
    }
}

extension V1ListPresetsResponse: JSONRepresentable {
    var jsonValue: JSONValue {
        .object(["presets": .messages(presets), "nextPageToken": .string(nextPageToken)])
    }
}

extension V1ListComputeEnvironmentsResponse: JSONRepresentable {
    var jsonValue: JSONValue {
        .object(["computeEnvironments": .messages(computeEnvironments), "nextPageToken": .string(nextPageToken)])
    }
}

extension V1DeleteSessionResponse: JSONRepresentable {
    var jsonValue: JSONValue {
        .object(["session": .message(session)])
    }
}

extension V1DeleteDataLinkResponse: JSONRepresentable {
    var jsonValue: JSONValue { .object([]) }
}
