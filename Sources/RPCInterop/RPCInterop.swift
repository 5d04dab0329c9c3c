/// The gRPC interoperability test service and client cases.
public enum RPCInterop {}
