// The gRPC C++ echo server that scripts/bench-transport.sh compares our transport with:
// sessiongw.benchmark.v1.Echo on the callback API, plaintext on 127.0.0.1, gRPC's
// default server configuration. Benchmark-only; the product never links gRPC C++.
//
// Usage: grpc-cpp-echo-server --port PORT

#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>

#include "sessiongw/benchmark/v1/echo.grpc.pb.h"

namespace {

using sessiongw::benchmark::v1::Echo;
using sessiongw::benchmark::v1::EchoMessage;
using sessiongw::benchmark::v1::StreamRequest;

// The same limits as ours (RPCInterop.EchoService).
constexpr uint32_t kMaxStreamMessageCount = 1000000;
constexpr uint32_t kMaxStreamPayloadSize = 4 * 1024 * 1024;

// Writes one message at a time, the next from OnWriteDone, then finishes with OK.
class StreamWriter final : public grpc::ServerWriteReactor<EchoMessage> {
 public:
  StreamWriter(uint32_t count, uint32_t payload_size) : remaining_(count) {
    message_.set_payload(std::string(payload_size, '\0'));
    Next();
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status(grpc::StatusCode::CANCELLED, "write failed"));
      return;
    }
    Next();
  }

  void OnDone() override { delete this; }

 private:
  void Next() {
    if (remaining_ == 0) {
      Finish(grpc::Status::OK);
      return;
    }
    --remaining_;
    StartWrite(&message_);
  }

  EchoMessage message_;
  uint32_t remaining_;
};

class EchoService final : public Echo::CallbackService {
  grpc::ServerUnaryReactor* Unary(grpc::CallbackServerContext* context, const EchoMessage* request,
                                  EchoMessage* response) override {
    *response = *request;
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }

  grpc::ServerWriteReactor<EchoMessage>* ServerStream(grpc::CallbackServerContext* context,
                                                      const StreamRequest* request) override {
    if (request->message_count() > kMaxStreamMessageCount || request->payload_size() > kMaxStreamPayloadSize) {
      class Refusal final : public grpc::ServerWriteReactor<EchoMessage> {
       public:
        Refusal() { Finish(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "request too large")); }
        void OnDone() override { delete this; }
      };
      return new Refusal();
    }
    return new StreamWriter(request->message_count(), request->payload_size());
  }
};

}  // namespace

int main(int argc, char** argv) {
  int port = -1;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--port") == 0) port = std::atoi(argv[i + 1]);
  }
  if (port < 0) {
    std::cerr << "usage: grpc-cpp-echo-server --port PORT\n";
    return 2;
  }

  EchoService service;
  grpc::ServerBuilder builder;
  std::string address = "127.0.0.1:" + std::to_string(port);
  builder.AddListeningPort(address, grpc::InsecureServerCredentials());
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (!server) {
    std::cerr << "grpc-cpp-echo-server: cannot listen on " << address << "\n";
    return 1;
  }
  std::cout << "grpc-cpp-echo-server listening on " << address << std::endl;
  server->Wait();
  return 0;
}
