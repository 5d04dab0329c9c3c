// Command interop-client runs the gRPC interop test cases with grpc-go, a gRPC
// implementation that shares no code with gRPC C-core, against any server of
// grpc.testing.TestService:
//
//	interop-client --server-host HOST --server-port PORT --test-case NAME|all
//	               [--use-tls --ca-file FILE --server-host-override NAME]
//
// The channel uses grpc-go's default settings on purpose: no keepalive, no window
// sizes, so BDP probing (a PING after received DATA) stays on, as in every grpc-go
// application.
//
// Each case gets its own connection, watched by a monitor (monitor.go) that sees every
// dial and every HTTP/2 frame. A case fails when the server sends GOAWAY or the client
// has to reconnect, even if all its calls succeeded.
//
// It prints `PASS NAME (...)` or `FAIL NAME: REASON` for each case and exits 1 when a
// case failed, 2 on a usage error.
package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
)

// connectTimeout bounds how long a case waits for its connection to be ready.
const connectTimeout = 10 * time.Second

type options struct {
	host, hostOverride, caFile string
	port                       int
	useTLS                     bool
}

func main() {
	var opts options
	var testCase string
	flag.StringVar(&opts.host, "server-host", "127.0.0.1", "server host")
	flag.IntVar(&opts.port, "server-port", 10000, "server port")
	flag.StringVar(&testCase, "test-case", "all", "a case name or 'all'; cases: "+strings.Join(caseNames(), ", "))
	flag.BoolVar(&opts.useTLS, "use-tls", false, "connect with TLS")
	flag.StringVar(&opts.caFile, "ca-file", "", "PEM trust roots for --use-tls")
	flag.StringVar(&opts.hostOverride, "server-host-override", "", "the name the server certificate must carry")
	flag.Parse()

	var selected []testCaseEntry
	for _, entry := range cases {
		if testCase == "all" || testCase == entry.name {
			selected = append(selected, entry)
		}
	}
	if len(selected) == 0 {
		fmt.Fprintf(os.Stderr, "unknown test case %q; cases: %s\n", testCase, strings.Join(caseNames(), ", "))
		os.Exit(2)
	}

	failed := 0
	for _, entry := range selected {
		if summary, err := runCase(opts, entry); err != nil {
			failed++
			fmt.Printf("FAIL %s: %v\n", entry.name, err)
		} else {
			fmt.Printf("PASS %s (%s)\n", entry.name, summary)
		}
	}
	if failed > 0 {
		fmt.Printf("%d of %d cases failed\n", failed, len(selected))
		os.Exit(1)
	}
}

// runCase runs one case on a fresh, monitored connection. It fails the case when the
// case itself failed or when the connection saw a GOAWAY, a reconnect or a close.
func runCase(opts options, entry testCaseEntry) (string, error) {
	mon := newMonitor()
	conn, err := dial(opts, mon)
	if err != nil {
		return "", fmt.Errorf("cannot connect to %s:%d: %v", opts.host, opts.port, err)
	}
	defer conn.Close()

	caseErr := entry.run(conn)
	// Let frames already on the wire (a GOAWAY right after the last response) arrive.
	time.Sleep(50 * time.Millisecond)
	connErr := mon.problems()
	switch {
	case caseErr != nil && connErr != nil:
		return "", fmt.Errorf("%v; and %v", caseErr, connErr)
	case caseErr != nil:
		return "", caseErr
	case connErr != nil:
		return "", fmt.Errorf("all calls succeeded, but %v", connErr)
	}
	return mon.summary(), nil
}

// dial connects with grpc-go's defaults plus only what the monitor needs to observe.
func dial(opts options, mon *monitor) (*grpc.ClientConn, error) {
	target := net.JoinHostPort(opts.host, strconv.Itoa(opts.port))
	dialOpts := []grpc.DialOption{
		grpc.WithBlock(),
		grpc.WithContextDialer(mon.dial),
		grpc.WithStatsHandler(mon),
	}
	if opts.useTLS {
		creds, err := credentials.NewClientTLSFromFile(opts.caFile, opts.hostOverride)
		if opts.caFile == "" {
			creds, err = credentials.NewClientTLSFromCert(nil, opts.hostOverride), nil
		}
		if err != nil {
			return nil, err
		}
		// Frames are watched after the TLS handshake, in cleartext.
		dialOpts = append(dialOpts, grpc.WithTransportCredentials(&sniffingCredentials{creds, mon}))
	} else {
		mon.sniffRawConnections = true
		dialOpts = append(dialOpts, grpc.WithInsecure())
	}
	ctx, cancel := context.WithTimeout(context.Background(), connectTimeout)
	defer cancel()
	return grpc.DialContext(ctx, target, dialOpts...)
}
