package main

import (
	"context"
	"encoding/binary"
	"fmt"
	"net"
	"strings"
	"sync"

	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/stats"
)

// monitor watches the connections of one case. It counts dials (a second dial is a
// reconnect), connection ends (grpc-go's stats events) and reads the HTTP/2 frames
// passing through each connection: GOAWAYs from the server and the PINGs grpc-go
// sends for BDP estimation.
type monitor struct {
	sniffRawConnections bool // h2c: frames can be read straight off the socket

	mu        sync.Mutex
	dials     int
	connEnds  int
	goAways   []string
	pingsSent int // PINGs grpc-go sent (BDP probes: keepalive is off)
	pingAcks  int // their ACKs from the server
}

func newMonitor() *monitor { return &monitor{} }

// dial is the grpc.WithContextDialer function: a plain TCP dial, counted.
func (m *monitor) dial(ctx context.Context, address string) (net.Conn, error) {
	m.mu.Lock()
	m.dials++
	m.mu.Unlock()
	conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", address)
	if err != nil || !m.sniffRawConnections {
		return conn, err
	}
	return m.wrap(conn), nil
}

// problems describes what went wrong with the connection so far, or returns nil.
func (m *monitor) problems() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	var found []string
	if len(m.goAways) > 0 {
		found = append(found, "the server sent "+strings.Join(m.goAways, ", then "))
	}
	if m.dials > 1 {
		found = append(found, fmt.Sprintf("the client reconnected (%d connections instead of 1)", m.dials))
	}
	if m.connEnds > 0 {
		found = append(found, fmt.Sprintf("%d connection(s) closed during the case", m.connEnds))
	}
	if len(found) == 0 {
		return nil
	}
	return fmt.Errorf("%s", strings.Join(found, "; "))
}

func (m *monitor) summary() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return fmt.Sprintf("%d connection, no GOAWAY; PINGs sent: %d, acknowledged: %d", m.dials, m.pingsSent, m.pingAcks)
}

// stats.Handler: only connection ends matter here.

func (m *monitor) TagRPC(ctx context.Context, _ *stats.RPCTagInfo) context.Context   { return ctx }
func (m *monitor) HandleRPC(context.Context, stats.RPCStats)                         {}
func (m *monitor) TagConn(ctx context.Context, _ *stats.ConnTagInfo) context.Context { return ctx }
func (m *monitor) HandleConn(_ context.Context, s stats.ConnStats) {
	if _, ended := s.(*stats.ConnEnd); ended {
		m.mu.Lock()
		m.connEnds++
		m.mu.Unlock()
	}
}

// HTTP/2 frame types and error codes (RFC 9113 sections 6 and 7).
const (
	framePing   = 0x6
	frameGoAway = 0x7
	flagAck     = 0x1
)

var errorCodes = []string{"NO_ERROR", "PROTOCOL_ERROR", "INTERNAL_ERROR", "FLOW_CONTROL_ERROR",
	"SETTINGS_TIMEOUT", "STREAM_CLOSED", "FRAME_SIZE_ERROR", "REFUSED_STREAM", "CANCEL",
	"COMPRESSION_ERROR", "CONNECT_ERROR", "ENHANCE_YOUR_CALM", "INADEQUATE_SECURITY", "HTTP_1_1_REQUIRED"}

func (m *monitor) wrap(conn net.Conn) net.Conn {
	return &sniffingConn{
		Conn: conn,
		in:   frameReader{onFrame: m.receivedFrame},
		// The client's side starts with the 24-byte connection preface, not a frame.
		out: frameReader{skip: len("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"), onFrame: m.sentFrame},
	}
}

func (m *monitor) receivedFrame(frameType, flags byte, payload []byte) {
	m.mu.Lock()
	defer m.mu.Unlock()
	switch {
	case frameType == framePing && flags&flagAck != 0:
		m.pingAcks++
	case frameType == frameGoAway && len(payload) >= 8:
		lastStream := binary.BigEndian.Uint32(payload) & 0x7fffffff
		code := binary.BigEndian.Uint32(payload[4:])
		name := fmt.Sprintf("error code 0x%x", code)
		if int(code) < len(errorCodes) {
			name = errorCodes[code]
		}
		m.goAways = append(m.goAways, fmt.Sprintf("GOAWAY %s (last stream %d, debug data %q)",
			name, lastStream, payload[8:]))
	}
}

func (m *monitor) sentFrame(frameType, flags byte, _ []byte) {
	if frameType == framePing && flags&flagAck == 0 {
		m.mu.Lock()
		m.pingsSent++
		m.mu.Unlock()
	}
}

// sniffingConn passes every byte through and shows each direction to a frameReader.
type sniffingConn struct {
	net.Conn
	in, out frameReader // each used by one goroutine only: grpc-go's reader and writer
}

func (c *sniffingConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.in.feed(p[:n])
	return n, err
}

func (c *sniffingConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	c.out.feed(p[:n])
	return n, err
}

// frameReader splits a byte stream into HTTP/2 frames (a 9-byte header: 24-bit
// length, type, flags, stream id; then the payload) and reports each one. It keeps
// the payloads of small frames only, which is all the monitor reads.
type frameReader struct {
	skip      int
	header    [9]byte
	headerLen int
	remaining int
	payload   []byte
	onFrame   func(frameType, flags byte, payload []byte)
}

const keptPayload = 1024

func (r *frameReader) feed(p []byte) {
	for len(p) > 0 {
		switch {
		case r.skip > 0:
			n := min(r.skip, len(p))
			r.skip -= n
			p = p[n:]
		case r.headerLen < len(r.header):
			n := copy(r.header[r.headerLen:], p)
			r.headerLen += n
			p = p[n:]
			if r.headerLen == len(r.header) {
				r.remaining = int(r.header[0])<<16 | int(r.header[1])<<8 | int(r.header[2])
				r.payload = r.payload[:0]
				if r.remaining == 0 {
					r.endFrame()
				}
			}
		default:
			n := min(r.remaining, len(p))
			if len(r.payload) < keptPayload {
				r.payload = append(r.payload, p[:min(n, keptPayload-len(r.payload))]...)
			}
			r.remaining -= n
			p = p[n:]
			if r.remaining == 0 {
				r.endFrame()
			}
		}
	}
}

func (r *frameReader) endFrame() {
	r.onFrame(r.header[3], r.header[4], r.payload)
	r.headerLen = 0
}

func min(a, b int) int {
	if a < b {
		return a
	}
	return b
}

// sniffingCredentials wraps TLS credentials to watch the frames after the handshake.
type sniffingCredentials struct {
	credentials.TransportCredentials
	mon *monitor
}

func (c *sniffingCredentials) ClientHandshake(ctx context.Context, authority string, raw net.Conn) (net.Conn, credentials.AuthInfo, error) {
	conn, info, err := c.TransportCredentials.ClientHandshake(ctx, authority, raw)
	if err != nil {
		return conn, info, err
	}
	return c.mon.wrap(conn), info, nil
}

func (c *sniffingCredentials) Clone() credentials.TransportCredentials {
	return &sniffingCredentials{c.TransportCredentials.Clone(), c.mon}
}
