package main

// The cases, as grpc/doc/interop-test-descriptions.md defines them and with the same
// checks as Tests/interop/interop_cases.py, plus cases of ours: large responses on a
// busy connection, health, and reflection (v1alpha and v1).

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"time"

	"github.com/golang/protobuf/proto"
	descriptorpb "github.com/golang/protobuf/protoc-gen-go/descriptor"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"
	reflectionpb "google.golang.org/grpc/reflection/grpc_reflection_v1alpha"
	"google.golang.org/grpc/status"

	testpb "generated/grpc/testing"
)

// callTimeout bounds every call that is not about deadlines.
const callTimeout = 30 * time.Second

var (
	clientStreamingSizes = []int{27182, 8, 1828, 45904}
	serverStreamingSizes = []int{31415, 9, 2653, 58979}
)

const (
	echoInitialKey       = "x-grpc-test-echo-initial"
	echoInitialValue     = "test_initial_metadata_value"
	echoTrailingKey      = "x-grpc-test-echo-trailing-bin"
	echoTrailingValue    = "\xab\xab\xab"
	specialStatusMessage = "\t\ntest with whitespace\r\nand Unicode BMP \u263a and non-BMP \U0001f608\t\n"

	// large_response_busy: just under grpc-go's default 4 MiB receive limit, with room
	// for the SimpleResponse and Payload framing.
	largeResponseSize  = 4*1024*1024 - 64
	largeResponseCalls = 5
)

type testCaseEntry struct {
	name string
	run  func(*grpc.ClientConn) error
}

var cases = []testCaseEntry{
	{"empty_unary", emptyUnary},
	{"large_unary", largeUnary},
	{"client_streaming", clientStreaming},
	{"server_streaming", serverStreaming},
	{"ping_pong", pingPong},
	{"empty_stream", emptyStream},
	{"custom_metadata", customMetadata},
	{"status_code_and_message", statusCodeAndMessage},
	{"special_status_message", specialStatus},
	{"unimplemented_method", unimplementedMethod},
	{"unimplemented_service", unimplementedService},
	{"cancel_after_begin", cancelAfterBegin},
	{"cancel_after_first_response", cancelAfterFirstResponse},
	{"timeout_on_sleeping_server", timeoutOnSleepingServer},
	{"large_response_busy", largeResponseBusy},
	{"health", healthCase},
	{"reflection_v1alpha", reflectionV1alpha},
	{"reflection_v1", reflectionV1},
}

func caseNames() []string {
	names := make([]string, len(cases))
	for i, entry := range cases {
		names[i] = entry.name
	}
	return names
}

func withTimeout() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), callTimeout)
}

func payload(size int) *testpb.Payload {
	return &testpb.Payload{Type: testpb.PayloadType_COMPRESSABLE, Body: make([]byte, size)}
}

func checkPayload(p *testpb.Payload, size int, what string) error {
	switch {
	case p.GetType() != testpb.PayloadType_COMPRESSABLE:
		return fmt.Errorf("%s: payload type %v, expected COMPRESSABLE", what, p.GetType())
	case len(p.GetBody()) != size:
		return fmt.Errorf("%s: payload of %d bytes, expected %d", what, len(p.GetBody()), size)
	case !bytes.Equal(p.GetBody(), make([]byte, size)):
		return fmt.Errorf("%s: payload bytes are not all zero", what)
	}
	return nil
}

// expectStatus checks that err is a gRPC status with code (and message, if not nil).
func expectStatus(err error, code codes.Code, message *string, what string) error {
	if err == nil {
		return fmt.Errorf("%s succeeded, expected status %v", what, code)
	}
	s, ok := status.FromError(err)
	switch {
	case !ok:
		return fmt.Errorf("%s: expected status %v, got %v", what, code, err)
	case s.Code() != code:
		return fmt.Errorf("%s: status %v (%q), expected %v", what, s.Code(), s.Message(), code)
	case message != nil && s.Message() != *message:
		return fmt.Errorf("%s: message %q, expected %q", what, s.Message(), *message)
	}
	return nil
}

func streamingRequest(responseSize, payloadSize int) *testpb.StreamingOutputCallRequest {
	return &testpb.StreamingOutputCallRequest{
		ResponseType:       testpb.PayloadType_COMPRESSABLE,
		ResponseParameters: []*testpb.ResponseParameters{{Size: int32(responseSize)}},
		Payload:            payload(payloadSize),
	}
}

// expectEnd reads a stream that must now end with status OK and no more responses.
func expectEnd(stream grpc.ClientStream, what string) error {
	var extra testpb.StreamingOutputCallResponse
	switch err := stream.RecvMsg(&extra); err {
	case io.EOF:
		return nil
	case nil:
		return fmt.Errorf("%s: a response after the last expected one", what)
	default:
		return fmt.Errorf("%s: %v", what, err)
	}
}

func emptyUnary(conn *grpc.ClientConn) error {
	ctx, cancel := withTimeout()
	defer cancel()
	response, err := testpb.NewTestServiceClient(conn).EmptyCall(ctx, &testpb.Empty{})
	if err != nil {
		return fmt.Errorf("EmptyCall: %v", err)
	}
	if size := proto.Size(response); size != 0 {
		return fmt.Errorf("EmptyCall: a response of %d bytes, expected an empty one", size)
	}
	return nil
}

func largeUnary(conn *grpc.ClientConn) error {
	ctx, cancel := withTimeout()
	defer cancel()
	response, err := testpb.NewTestServiceClient(conn).UnaryCall(ctx, &testpb.SimpleRequest{
		ResponseType: testpb.PayloadType_COMPRESSABLE, ResponseSize: 314159, Payload: payload(271828)})
	if err != nil {
		return fmt.Errorf("UnaryCall: %v", err)
	}
	return checkPayload(response.GetPayload(), 314159, "UnaryCall response")
}

func clientStreaming(conn *grpc.ClientConn) error {
	ctx, cancel := withTimeout()
	defer cancel()
	stream, err := testpb.NewTestServiceClient(conn).StreamingInputCall(ctx)
	if err != nil {
		return fmt.Errorf("StreamingInputCall: %v", err)
	}
	for _, size := range clientStreamingSizes {
		if err := stream.Send(&testpb.StreamingInputCallRequest{Payload: payload(size)}); err != nil {
			return fmt.Errorf("StreamingInputCall: sending: %v", err)
		}
	}
	response, err := stream.CloseAndRecv()
	if err != nil {
		return fmt.Errorf("StreamingInputCall: %v", err)
	}
	if got := response.GetAggregatedPayloadSize(); got != 74922 {
		return fmt.Errorf("aggregated_payload_size %d, expected 74922", got)
	}
	return nil
}

func serverStreaming(conn *grpc.ClientConn) error {
	ctx, cancel := withTimeout()
	defer cancel()
	request := &testpb.StreamingOutputCallRequest{ResponseType: testpb.PayloadType_COMPRESSABLE}
	for _, size := range serverStreamingSizes {
		request.ResponseParameters = append(request.ResponseParameters, &testpb.ResponseParameters{Size: int32(size)})
	}
	stream, err := testpb.NewTestServiceClient(conn).StreamingOutputCall(ctx, request)
	if err != nil {
		return fmt.Errorf("StreamingOutputCall: %v", err)
	}
	for index, size := range serverStreamingSizes {
		response, err := stream.Recv()
		if err == io.EOF {
			return fmt.Errorf("%d responses, expected %d", index, len(serverStreamingSizes))
		} else if err != nil {
			return fmt.Errorf("StreamingOutputCall: response %d: %v", index, err)
		}
		if err := checkPayload(response.GetPayload(), size, fmt.Sprintf("response %d", index)); err != nil {
			return err
		}
	}
	return expectEnd(stream, "StreamingOutputCall")
}

func pingPong(conn *grpc.ClientConn) error {
	ctx, cancel := withTimeout()
	defer cancel()
	stream, err := testpb.NewTestServiceClient(conn).FullDuplexCall(ctx)
	if err != nil {
		return fmt.Errorf("FullDuplexCall: %v", err)
	}
	for index := range serverStreamingSizes {
		if err := stream.Send(streamingRequest(serverStreamingSizes[index], clientStreamingSizes[index])); err != nil {
			return fmt.Errorf("FullDuplexCall: sending request %d: %v", index, err)
		}
		response, err := stream.Recv()
		if err != nil {
			return fmt.Errorf("FullDuplexCall: response %d: %v", index, err)
		}
		if err := checkPayload(response.GetPayload(), serverStreamingSizes[index], fmt.Sprintf("response %d", index)); err != nil {
			return err
		}
	}
	if err := stream.CloseSend(); err != nil {
		return fmt.Errorf("FullDuplexCall: closing: %v", err)
	}
	return expectEnd(stream, "FullDuplexCall")
}

func emptyStream(conn *grpc.ClientConn) error {
	ctx, cancel := withTimeout()
	defer cancel()
	stream, err := testpb.NewTestServiceClient(conn).FullDuplexCall(ctx)
	if err != nil {
		return fmt.Errorf("FullDuplexCall: %v", err)
	}
	if err := stream.CloseSend(); err != nil {
		return fmt.Errorf("FullDuplexCall: closing: %v", err)
	}
	return expectEnd(stream, "FullDuplexCall of an empty stream")
}

func customMetadata(conn *grpc.ClientConn) error {
	ctx, cancel := withTimeout()
	defer cancel()
	ctx = metadata.AppendToOutgoingContext(ctx, echoInitialKey, echoInitialValue, echoTrailingKey, echoTrailingValue)
	client := testpb.NewTestServiceClient(conn)

	var header, trailer metadata.MD
	response, err := client.UnaryCall(ctx, &testpb.SimpleRequest{
		ResponseType: testpb.PayloadType_COMPRESSABLE, ResponseSize: 314159, Payload: payload(271828)},
		grpc.Header(&header), grpc.Trailer(&trailer))
	if err != nil {
		return fmt.Errorf("UnaryCall: %v", err)
	}
	if err := checkPayload(response.GetPayload(), 314159, "UnaryCall response"); err != nil {
		return err
	}
	if err := checkEchoedMetadata(header, trailer, "UnaryCall"); err != nil {
		return err
	}

	stream, err := client.FullDuplexCall(ctx)
	if err != nil {
		return fmt.Errorf("FullDuplexCall: %v", err)
	}
	if err := stream.Send(streamingRequest(314159, 271828)); err != nil {
		return fmt.Errorf("FullDuplexCall: sending: %v", err)
	}
	if err := stream.CloseSend(); err != nil {
		return fmt.Errorf("FullDuplexCall: closing: %v", err)
	}
	streamed, err := stream.Recv()
	if err != nil {
		return fmt.Errorf("FullDuplexCall: %v", err)
	}
	if err := checkPayload(streamed.GetPayload(), 314159, "FullDuplexCall response"); err != nil {
		return err
	}
	if err := expectEnd(stream, "FullDuplexCall"); err != nil {
		return err
	}
	header, err = stream.Header()
	if err != nil {
		return fmt.Errorf("FullDuplexCall: header: %v", err)
	}
	return checkEchoedMetadata(header, stream.Trailer(), "FullDuplexCall")
}

func checkEchoedMetadata(header, trailer metadata.MD, what string) error {
	if got := header.Get(echoInitialKey); len(got) != 1 || got[0] != echoInitialValue {
		return fmt.Errorf("%s: initial metadata %v lacks %s: %q", what, header, echoInitialKey, echoInitialValue)
	}
	if got := trailer.Get(echoTrailingKey); len(got) != 1 || got[0] != echoTrailingValue {
		return fmt.Errorf("%s: trailing metadata %v lacks %s: %q", what, trailer, echoTrailingKey, echoTrailingValue)
	}
	return nil
}

// echoStatus asks the server for status UNKNOWN with message, in a unary call and in
// a FullDuplexCall.
func echoStatus(conn *grpc.ClientConn, message string, withStream bool) error {
	ctx, cancel := withTimeout()
	defer cancel()
	client := testpb.NewTestServiceClient(conn)
	requested := &testpb.EchoStatus{Code: int32(codes.Unknown), Message: message}

	_, err := client.UnaryCall(ctx, &testpb.SimpleRequest{ResponseStatus: requested})
	if err := expectStatus(err, codes.Unknown, &message, "UnaryCall"); err != nil {
		return err
	}
	if !withStream {
		return nil
	}
	stream, err := client.FullDuplexCall(ctx)
	if err != nil {
		return fmt.Errorf("FullDuplexCall: %v", err)
	}
	if err := stream.Send(&testpb.StreamingOutputCallRequest{ResponseStatus: requested}); err != nil && err != io.EOF {
		return fmt.Errorf("FullDuplexCall: sending: %v", err)
	}
	stream.CloseSend()
	for {
		if _, err = stream.Recv(); err != nil {
			break
		}
	}
	if err == io.EOF {
		err = nil
	}
	return expectStatus(err, codes.Unknown, &message, "FullDuplexCall")
}

func statusCodeAndMessage(conn *grpc.ClientConn) error {
	return echoStatus(conn, "test status message", true)
}

func specialStatus(conn *grpc.ClientConn) error {
	return echoStatus(conn, specialStatusMessage, false)
}

func unimplementedMethod(conn *grpc.ClientConn) error {
	ctx, cancel := withTimeout()
	defer cancel()
	_, err := testpb.NewTestServiceClient(conn).UnimplementedCall(ctx, &testpb.Empty{})
	return expectStatus(err, codes.Unimplemented, nil, "TestService/UnimplementedCall")
}

func unimplementedService(conn *grpc.ClientConn) error {
	ctx, cancel := withTimeout()
	defer cancel()
	_, err := testpb.NewUnimplementedServiceClient(conn).UnimplementedCall(ctx, &testpb.Empty{})
	return expectStatus(err, codes.Unimplemented, nil, "UnimplementedService/UnimplementedCall")
}

func cancelAfterBegin(conn *grpc.ClientConn) error {
	ctx, cancel := context.WithCancel(context.Background())
	stream, err := testpb.NewTestServiceClient(conn).StreamingInputCall(ctx)
	if err != nil {
		cancel()
		return fmt.Errorf("StreamingInputCall: %v", err)
	}
	cancel()
	_, err = stream.CloseAndRecv()
	return expectStatus(err, codes.Canceled, nil, "StreamingInputCall")
}

func cancelAfterFirstResponse(conn *grpc.ClientConn) error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stream, err := testpb.NewTestServiceClient(conn).FullDuplexCall(ctx)
	if err != nil {
		return fmt.Errorf("FullDuplexCall: %v", err)
	}
	if err := stream.Send(streamingRequest(31415, 27182)); err != nil {
		return fmt.Errorf("FullDuplexCall: sending: %v", err)
	}
	first, err := stream.Recv()
	if err != nil {
		return fmt.Errorf("FullDuplexCall: first response: %v", err)
	}
	if err := checkPayload(first.GetPayload(), 31415, "first response"); err != nil {
		return err
	}
	cancel()
	_, err = stream.Recv()
	return expectStatus(err, codes.Canceled, nil, "FullDuplexCall after cancelling")
}

func timeoutOnSleepingServer(conn *grpc.ClientConn) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
	defer cancel()
	stream, err := testpb.NewTestServiceClient(conn).FullDuplexCall(ctx)
	if err != nil {
		// The deadline may expire before the call starts: that is the expected outcome too.
		return expectStatus(err, codes.DeadlineExceeded, nil, "FullDuplexCall")
	}
	// Sending may fail once the deadline has passed; the status comes from Recv.
	stream.Send(&testpb.StreamingOutputCallRequest{Payload: payload(27182)})
	for {
		if _, err = stream.Recv(); err != nil {
			break
		}
	}
	if err == io.EOF {
		err = nil
	}
	return expectStatus(err, codes.DeadlineExceeded, nil, "FullDuplexCall with a 1 ms deadline")
}

// largeResponseBusy: on one connection, while a FullDuplexCall stays open, several
// unary calls each receive a response of almost 4 MiB. The large DATA flow makes
// grpc-go send BDP PINGs; a server that counts them as abuse sends GOAWAY, and the
// monitor fails the case.
func largeResponseBusy(conn *grpc.ClientConn) error {
	ctx, cancel := withTimeout()
	defer cancel()
	client := testpb.NewTestServiceClient(conn)

	stream, err := client.FullDuplexCall(ctx)
	if err != nil {
		return fmt.Errorf("FullDuplexCall: %v", err)
	}
	pingPongOnce := func(when string) error {
		if err := stream.Send(streamingRequest(31415, 27182)); err != nil {
			return fmt.Errorf("FullDuplexCall %s: sending: %v", when, err)
		}
		response, err := stream.Recv()
		if err != nil {
			return fmt.Errorf("FullDuplexCall %s: %v", when, err)
		}
		return checkPayload(response.GetPayload(), 31415, "FullDuplexCall response "+when)
	}
	if err := pingPongOnce("before the large responses"); err != nil {
		return err
	}

	for index := 0; index < largeResponseCalls; index++ {
		response, err := client.UnaryCall(ctx, &testpb.SimpleRequest{
			ResponseType: testpb.PayloadType_COMPRESSABLE, ResponseSize: largeResponseSize, Payload: payload(1024)})
		if err != nil {
			return fmt.Errorf("UnaryCall %d of %d (response of %d bytes) while a FullDuplexCall is open: %v",
				index+1, largeResponseCalls, largeResponseSize, err)
		}
		if err := checkPayload(response.GetPayload(), largeResponseSize, fmt.Sprintf("UnaryCall %d response", index+1)); err != nil {
			return err
		}
	}

	if err := pingPongOnce("after the large responses"); err != nil {
		return err
	}
	if err := stream.CloseSend(); err != nil {
		return fmt.Errorf("FullDuplexCall: closing: %v", err)
	}
	return expectEnd(stream, "FullDuplexCall")
}

// healthCase: grpc.health.v1 Check of the server ("") is SERVING, and Watch sends
// SERVING first.
func healthCase(conn *grpc.ClientConn) error {
	ctx, cancel := withTimeout()
	defer cancel()
	client := healthpb.NewHealthClient(conn)
	response, err := client.Check(ctx, &healthpb.HealthCheckRequest{Service: ""})
	if err != nil {
		return fmt.Errorf("Health/Check: %v", err)
	}
	if response.GetStatus() != healthpb.HealthCheckResponse_SERVING {
		return fmt.Errorf("Health/Check: status %v, expected SERVING", response.GetStatus())
	}

	watchCtx, stopWatching := context.WithCancel(ctx)
	defer stopWatching()
	watch, err := client.Watch(watchCtx, &healthpb.HealthCheckRequest{Service: ""})
	if err != nil {
		return fmt.Errorf("Health/Watch: %v", err)
	}
	first, err := watch.Recv()
	if err != nil {
		return fmt.Errorf("Health/Watch: first response: %v", err)
	}
	if first.GetStatus() != healthpb.HealthCheckResponse_SERVING {
		return fmt.Errorf("Health/Watch: first status %v, expected SERVING", first.GetStatus())
	}
	return nil
}

// The reflection service under its two names. The messages of v1 and v1alpha are the
// same on the wire, so the v1alpha Go types serve both; only the method name differs.
const (
	reflectionV1alphaMethod = "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo"
	reflectionV1Method      = "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo"
)

func reflectionV1alpha(conn *grpc.ClientConn) error {
	return reflectionCase(conn, reflectionV1alphaMethod)
}

func reflectionV1(conn *grpc.ClientConn) error {
	return reflectionCase(conn, reflectionV1Method)
}

// reflectionCase lists the services (grpc.testing.TestService must be there) and asks
// for the file that contains grpc.testing.TestService, on one ServerReflectionInfo call.
func reflectionCase(conn *grpc.ClientConn, method string) error {
	ctx, cancel := withTimeout()
	defer cancel()
	desc := &grpc.StreamDesc{StreamName: "ServerReflectionInfo", ServerStreams: true, ClientStreams: true}
	stream, err := conn.NewStream(ctx, desc, method)
	if err != nil {
		return fmt.Errorf("%s: %v", method, err)
	}
	ask := func(request *reflectionpb.ServerReflectionRequest, what string) (*reflectionpb.ServerReflectionResponse, error) {
		if err := stream.SendMsg(request); err != nil && err != io.EOF {
			return nil, fmt.Errorf("%s %s: sending: %v", method, what, err)
		}
		response := new(reflectionpb.ServerReflectionResponse)
		if err := stream.RecvMsg(response); err == io.EOF {
			return nil, fmt.Errorf("%s %s: the call ended without a response", method, what)
		} else if err != nil {
			return nil, fmt.Errorf("%s %s: %v", method, what, err)
		}
		if failure := response.GetErrorResponse(); failure != nil {
			return nil, fmt.Errorf("%s %s: error response %v: %s", method, what,
				codes.Code(failure.GetErrorCode()), failure.GetErrorMessage())
		}
		return response, nil
	}

	listed, err := ask(&reflectionpb.ServerReflectionRequest{
		MessageRequest: &reflectionpb.ServerReflectionRequest_ListServices{ListServices: "*"}}, "list_services")
	if err != nil {
		return err
	}
	var names []string
	for _, service := range listed.GetListServicesResponse().GetService() {
		names = append(names, service.GetName())
	}
	if !contains(names, "grpc.testing.TestService") {
		return fmt.Errorf("%s list_services: %v lacks grpc.testing.TestService", method, names)
	}

	found, err := ask(&reflectionpb.ServerReflectionRequest{
		MessageRequest: &reflectionpb.ServerReflectionRequest_FileContainingSymbol{
			FileContainingSymbol: "grpc.testing.TestService"}}, "file_containing_symbol")
	if err != nil {
		return err
	}
	files := found.GetFileDescriptorResponse().GetFileDescriptorProto()
	if len(files) == 0 {
		return fmt.Errorf("%s file_containing_symbol grpc.testing.TestService: no file descriptor", method)
	}
	for _, encoded := range files {
		file := new(descriptorpb.FileDescriptorProto)
		if err := proto.Unmarshal(encoded, file); err != nil {
			return fmt.Errorf("%s file_containing_symbol: an undecodable descriptor: %v", method, err)
		}
		for _, service := range file.GetService() {
			if file.GetPackage() == "grpc.testing" && service.GetName() == "TestService" {
				stream.CloseSend()
				return nil
			}
		}
	}
	return fmt.Errorf("%s file_containing_symbol: none of the %d descriptors declares grpc.testing.TestService",
		method, len(files))
}

func contains(values []string, wanted string) bool {
	for _, value := range values {
		if value == wanted {
			return true
		}
	}
	return false
}
