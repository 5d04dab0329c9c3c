internal import RPCTransport

/// The calls of each interop case, as the gRPC interop test descriptions define them.
struct InteropCalls {
    let client: RPCClient

    private static let service = TestService.self
    private static let requestSizes: [Int] = [27182, 8, 1828, 45904]
    private static let responseSizes: [Int32] = [31415, 9, 2653, 58979]

    func emptyUnary() async throws {
        let response: ClientResponse<Empty> = try await client.unary(
            Self.service.method("EmptyCall"), request: Empty())
        try expect(response.message == Empty(), "EmptyCall returned a non-empty message")
    }

    func largeUnary() async throws {
        let request = SimpleRequest(responseSize: 314_159, payload: Payload(zeros: 271_828))
        let response: ClientResponse<SimpleResponse> = try await client.unary(
            Self.service.method("UnaryCall"), request: request)
        try expectZeros(response.message.payload, count: 314_159)
    }

    func clientStreaming() async throws {
        let response: ClientResponse<StreamingInputCallResponse> = try await client.clientStreaming(
            Self.service.method("StreamingInputCall")
        ) { (writer: ClientRequestWriter<StreamingInputCallRequest>) in
            for size in Self.requestSizes {
                try await writer.write(StreamingInputCallRequest(payload: Payload(zeros: size)))
            }
        }
        try expect(response.message.aggregatedPayloadSize == 74922,
                   "aggregated size \(response.message.aggregatedPayloadSize), expected 74922")
    }

    func serverStreaming() async throws {
        let request = StreamingOutputCallRequest(
            responseParameters: Self.responseSizes.map { ResponseParameters(size: $0) })
        let sizes = try await client.serverStreaming(
            Self.service.method("StreamingOutputCall"), request: request
        ) { (responses: ClientResponseStream<StreamingOutputCallResponse>) in
            var sizes: [Int32] = []
            for try await response in responses {
                try expectZeros(response.payload, count: Int(Self.responseSizes[min(sizes.count, 3)]))
                sizes.append(Int32(response.payload?.body.count ?? 0))
            }
            return sizes
        }
        try expect(sizes == Self.responseSizes, "response sizes \(sizes), expected \(Self.responseSizes)")
    }

    func pingPong() async throws {
        try await client.bidirectional(Self.service.method("FullDuplexCall")) {
            (requests: ClientRequestWriter<StreamingOutputCallRequest>,
             responses: ClientResponseStream<StreamingOutputCallResponse>) in
            var iterator = responses.makeAsyncIterator()
            for (requestSize, responseSize) in zip(Self.requestSizes, Self.responseSizes) {
                try await requests.write(StreamingOutputCallRequest(
                    responseParameters: [ResponseParameters(size: responseSize)], payload: Payload(zeros: requestSize)))
                guard let response = try await iterator.next() else {
                    throw InteropFailure("the stream ended before the response to a \(requestSize)-byte request")
                }
                try expectZeros(response.payload, count: Int(responseSize))
            }
            requests.finish()
            try expect(try await iterator.next() == nil, "a response arrived after the requests ended")
        }
    }

    func emptyStream() async throws {
        try await client.bidirectional(Self.service.method("FullDuplexCall")) {
            (requests: ClientRequestWriter<StreamingOutputCallRequest>,
             responses: ClientResponseStream<StreamingOutputCallResponse>) in
            requests.finish()
            var count = 0
            for try await _ in responses { count += 1 }
            try expect(count == 0, "\(count) responses to an empty stream")
        }
    }

    func customMetadata() async throws {
        let initialValue = "test_initial_metadata_value"
        let trailingValue: [UInt8] = [0xAB, 0xAB, 0xAB]
        var metadata = Metadata()
        metadata.add(TestService.echoInitialMetadataKey, initialValue)
        metadata.add(TestService.echoTrailingMetadataKey, .binary(trailingValue))

        let unary: ClientResponse<SimpleResponse> = try await client.unary(
            Self.service.method("UnaryCall"),
            request: SimpleRequest(responseSize: 314_159, payload: Payload(zeros: 271_828)),
            metadata: metadata)
        try expectEchoed(initial: unary.initialMetadata, trailing: unary.trailingMetadata,
                         initialValue: initialValue, trailingValue: trailingValue)

        try await client.bidirectional(Self.service.method("FullDuplexCall"), metadata: metadata) {
            (requests: ClientRequestWriter<StreamingOutputCallRequest>,
             responses: ClientResponseStream<StreamingOutputCallResponse>) in
            try await requests.write(StreamingOutputCallRequest(
                responseParameters: [ResponseParameters(size: 314_159)], payload: Payload(zeros: 271_828)))
            requests.finish()
            for try await response in responses { try expectZeros(response.payload, count: 314_159) }
            try expectEchoed(initial: try await responses.initialMetadata, trailing: responses.trailingMetadata,
                             initialValue: initialValue, trailingValue: trailingValue)
        }
    }

    func statusCodeAndMessage() async throws {
        try await expectEchoedStatus(message: "test status message")
    }

    func specialStatusMessage() async throws {
        try await expectEchoedStatus(message: "\t\ntest with whitespace\r\nand Unicode BMP ☺ and non-BMP 😈\t\n")
    }

    func unimplementedMethod() async throws {
        try await expectError(.unimplemented) {
            let _: ClientResponse<Empty> = try await client.unary(Self.service.method("UnimplementedCall"), request: Empty())
        }
    }

    func unimplementedService() async throws {
        try await expectError(.unimplemented) {
            let _: ClientResponse<Empty> = try await client.unary(
                RPCMethod(service: "grpc.testing.UnimplementedService", method: "UnimplementedCall"), request: Empty())
        }
    }

    func cancelAfterBegin() async throws {
        let call = Task {
            try await client.clientStreaming(Self.service.method("StreamingInputCall")) {
                (_: ClientRequestWriter<StreamingInputCallRequest>) async throws -> Void in
                try await Task.sleep(for: .seconds(30))
            } as ClientResponse<StreamingInputCallResponse>
        }
        try await Task.sleep(for: .milliseconds(50))
        call.cancel()
        try await expectError(.cancelled) { _ = try await call.value }
    }

    func cancelAfterFirstResponse() async throws {
        let (firstResponse, signal) = AsyncStream.makeStream(of: Void.self)
        let call = Task {
            try await client.bidirectional(Self.service.method("FullDuplexCall")) {
                (requests: ClientRequestWriter<StreamingOutputCallRequest>,
                 responses: ClientResponseStream<StreamingOutputCallResponse>) in
                try await requests.write(StreamingOutputCallRequest(
                    responseParameters: [ResponseParameters(size: 31415)], payload: Payload(zeros: 27182)))
                var iterator = responses.makeAsyncIterator()
                _ = try await iterator.next()
                signal.yield()
                _ = try await iterator.next()
            }
        }
        for await _ in firstResponse { break }
        call.cancel()
        try await expectError(.cancelled) { try await call.value }
    }

    func timeoutOnSleepingServer() async throws {
        try await expectError(.deadlineExceeded) {
            try await client.bidirectional(
                Self.service.method("FullDuplexCall"), options: CallOptions(timeout: .milliseconds(1))
            ) { (requests: ClientRequestWriter<StreamingOutputCallRequest>,
                 responses: ClientResponseStream<StreamingOutputCallResponse>) in
                try? await requests.write(StreamingOutputCallRequest(payload: Payload(zeros: 27182)))
                for try await _ in responses {}
            }
        }
    }

    // MARK: Checks

    private func expectEchoedStatus(message: String) async throws {
        let status = EchoStatus(code: 2, message: message)
        let unary = try await expectError(.unknown) {
            let _: ClientResponse<SimpleResponse> = try await client.unary(
                Self.service.method("UnaryCall"), request: SimpleRequest(responseStatus: status))
        }
        try expect(unary.message == message, "UnaryCall status message '\(unary.message)', expected '\(message)'")
        let duplex = try await expectError(.unknown) {
            try await client.bidirectional(Self.service.method("FullDuplexCall")) {
                (requests: ClientRequestWriter<StreamingOutputCallRequest>,
                 responses: ClientResponseStream<StreamingOutputCallResponse>) in
                try await requests.write(StreamingOutputCallRequest(responseStatus: status))
                requests.finish()
                for try await _ in responses {}
            }
        }
        try expect(duplex.message == message, "FullDuplexCall status message '\(duplex.message)', expected '\(message)'")
    }

    private func expectZeros(_ payload: Payload?, count: Int) throws {
        let body = payload?.body ?? []
        try expect(body.count == count, "payload of \(body.count) bytes, expected \(count)")
        try expect(body.allSatisfy { $0 == 0 }, "payload bytes are not all zero")
    }

    private func expectEchoed(
        initial: Metadata, trailing: Metadata, initialValue: String, trailingValue: [UInt8]
    ) throws {
        let echoedInitial = initial[string: TestService.echoInitialMetadataKey]
        try expect(echoedInitial == initialValue, "initial metadata echoed \(echoedInitial ?? "nothing")")
        let echoedTrailing = trailing[binary: TestService.echoTrailingMetadataKey]
        try expect(echoedTrailing == trailingValue, "trailing metadata echoed \(echoedTrailing ?? [])")
    }
}
