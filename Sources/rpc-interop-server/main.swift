print("rpc-interop-server")
