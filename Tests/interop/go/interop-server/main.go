// Command interop-server serves grpc.testing.TestService with grpc-go, as the gRPC
// interop test descriptions (grpc/doc/interop-test-descriptions.md) require, plus
// grpc-go's own grpc.health.v1.Health and grpc.reflection.v1alpha.ServerReflection:
//
//	interop-server --port N [--host 127.0.0.1]
//
// It prints `listening on HOST:PORT` once it accepts connections (--port 0 picks a free
// port) and stops gracefully on SIGTERM or SIGINT. The server uses grpc-go's defaults.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/reflection"
	"google.golang.org/grpc/status"

	testpb "generated/grpc/testing"
)

const (
	echoInitialKey  = "x-grpc-test-echo-initial"
	echoTrailingKey = "x-grpc-test-echo-trailing-bin"
)

// testService implements grpc.testing.TestService. UnimplementedCall stays
// unimplemented (the embedded type answers UNIMPLEMENTED), and UnimplementedService is
// not registered at all.
type testService struct {
	testpb.UnimplementedTestServiceServer
}

func payload(size int32) *testpb.Payload {
	return &testpb.Payload{Type: testpb.PayloadType_COMPRESSABLE, Body: make([]byte, size)}
}

// echoMetadata sends back the two metadata entries the interop cases ask to echo: one
// as initial metadata (header), one as trailing metadata.
func echoMetadata(ctx context.Context) error {
	received, _ := metadata.FromIncomingContext(ctx)
	if values := received.Get(echoInitialKey); len(values) > 0 {
		if err := grpc.SetHeader(ctx, metadata.Pairs(echoInitialKey, values[0])); err != nil {
			return err
		}
	}
	if values := received.Get(echoTrailingKey); len(values) > 0 {
		grpc.SetTrailer(ctx, metadata.Pairs(echoTrailingKey, values[0]))
	}
	return nil
}

// requestedStatus is the status a request asks the server to finish with, or nil.
func requestedStatus(echo *testpb.EchoStatus) error {
	if echo.GetCode() == 0 {
		return nil
	}
	return status.Error(codes.Code(echo.GetCode()), echo.GetMessage())
}

// sleep waits intervalUs microseconds, or less if the call ends first.
func sleep(ctx context.Context, intervalUs int32) error {
	if intervalUs <= 0 {
		return nil
	}
	timer := time.NewTimer(time.Duration(intervalUs) * time.Microsecond)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return status.FromContextError(ctx.Err()).Err()
	}
}

func (testService) EmptyCall(context.Context, *testpb.Empty) (*testpb.Empty, error) {
	return &testpb.Empty{}, nil
}

func (testService) UnaryCall(ctx context.Context, request *testpb.SimpleRequest) (*testpb.SimpleResponse, error) {
	if err := echoMetadata(ctx); err != nil {
		return nil, err
	}
	if err := requestedStatus(request.GetResponseStatus()); err != nil {
		return nil, err
	}
	return &testpb.SimpleResponse{Payload: payload(request.GetResponseSize())}, nil
}

func (s testService) CacheableUnaryCall(ctx context.Context, request *testpb.SimpleRequest) (*testpb.SimpleResponse, error) {
	return s.UnaryCall(ctx, request)
}

func (testService) StreamingOutputCall(request *testpb.StreamingOutputCallRequest, stream testpb.TestService_StreamingOutputCallServer) error {
	if err := respond(stream.Context(), request, stream.Send); err != nil {
		return err
	}
	return requestedStatus(request.GetResponseStatus())
}

// respond sends the responses a StreamingOutputCallRequest asks for.
func respond(ctx context.Context, request *testpb.StreamingOutputCallRequest,
	send func(*testpb.StreamingOutputCallResponse) error) error {
	for _, parameters := range request.GetResponseParameters() {
		if err := sleep(ctx, parameters.GetIntervalUs()); err != nil {
			return err
		}
		if err := send(&testpb.StreamingOutputCallResponse{Payload: payload(parameters.GetSize())}); err != nil {
			return err
		}
	}
	return nil
}

func (testService) StreamingInputCall(stream testpb.TestService_StreamingInputCallServer) error {
	var total int32
	for {
		request, err := stream.Recv()
		if err == io.EOF {
			return stream.SendAndClose(&testpb.StreamingInputCallResponse{AggregatedPayloadSize: total})
		} else if err != nil {
			return err
		}
		total += int32(len(request.GetPayload().GetBody()))
	}
}

func (testService) FullDuplexCall(stream testpb.TestService_FullDuplexCallServer) error {
	if err := echoMetadata(stream.Context()); err != nil {
		return err
	}
	for {
		request, err := stream.Recv()
		if err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
		if err := requestedStatus(request.GetResponseStatus()); err != nil {
			return err
		}
		if err := respond(stream.Context(), request, stream.Send); err != nil {
			return err
		}
	}
}

// HalfDuplexCall answers only after the client has sent all its requests.
func (testService) HalfDuplexCall(stream testpb.TestService_HalfDuplexCallServer) error {
	var requests []*testpb.StreamingOutputCallRequest
	for {
		request, err := stream.Recv()
		if err == io.EOF {
			break
		} else if err != nil {
			return err
		}
		requests = append(requests, request)
	}
	for _, request := range requests {
		if err := requestedStatus(request.GetResponseStatus()); err != nil {
			return err
		}
		if err := respond(stream.Context(), request, stream.Send); err != nil {
			return err
		}
	}
	return nil
}

func main() {
	port := flag.Int("port", 10000, "TCP port; 0 picks a free one")
	host := flag.String("host", "127.0.0.1", "address to listen on")
	flag.Parse()

	listener, err := net.Listen("tcp", net.JoinHostPort(*host, strconv.Itoa(*port)))
	if err != nil {
		fmt.Fprintf(os.Stderr, "interop-server: %v\n", err)
		os.Exit(1)
	}

	server := grpc.NewServer()
	testpb.RegisterTestServiceServer(server, &testService{})
	healthServer := health.NewServer()
	healthServer.SetServingStatus("", healthpb.HealthCheckResponse_SERVING)
	healthServer.SetServingStatus("grpc.testing.TestService", healthpb.HealthCheckResponse_SERVING)
	healthpb.RegisterHealthServer(server, healthServer)
	reflection.Register(server)

	stop := make(chan os.Signal, 1)
	stopped := make(chan struct{})
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
	go func() {
		<-stop
		// Health watches never end by themselves: give calls 2 s, then close.
		healthServer.Shutdown()
		timer := time.AfterFunc(2*time.Second, server.Stop)
		server.GracefulStop()
		timer.Stop()
		close(stopped)
	}()

	fmt.Printf("listening on %s\n", listener.Addr())
	if err := server.Serve(listener); err != nil {
		fmt.Fprintf(os.Stderr, "interop-server: %v\n", err)
		os.Exit(1)
	}
	<-stopped
}
