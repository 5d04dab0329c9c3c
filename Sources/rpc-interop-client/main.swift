print("rpc-interop-client")
