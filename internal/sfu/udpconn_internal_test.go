package sfu

import (
	"net"
	"testing"
	"time"
)

// listenLoopback opens a UDP socket on 127.0.0.1 and closes it when the test ends.
func listenLoopback(t *testing.T) *net.UDPConn {
	t.Helper()
	c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// readBytes reads n one-byte packets from c and returns their bytes.
func readBytes(t *testing.T, c *net.UDPConn, n int) []byte {
	t.Helper()
	var got []byte
	buf := make([]byte, readBufferSize)
	for range n {
		if err := c.SetReadDeadline(time.Now().Add(5 * time.Second)); err != nil {
			t.Fatal(err)
		}
		m, err := c.Read(buf)
		if err != nil {
			t.Fatalf("after %d packets: %v", len(got), err)
		}
		got = append(got, buf[:m]...)
	}
	return got
}

func TestUDPConn_BatchedWritesAllArriveInOrder(t *testing.T) {
	conn := newUDPConn(listenLoopback(t), "udp4")
	a, b := listenLoopback(t), listenLoopback(t)
	toA, toB := a.LocalAddr().(*net.UDPAddr).AddrPort(), b.LocalAddr().(*net.UDPAddr).AddrPort()

	const n = maxBatch + 10 // fills the queue once
	conn.beginBatch()
	for i := range n {
		if _, err := conn.WriteToAddrPort([]byte{byte(i)}, toA); err != nil {
			t.Fatal(err)
		}
		if _, err := conn.WriteToAddrPort([]byte{byte(i)}, toB); err != nil {
			t.Fatal(err)
		}
	}
	conn.endBatch()
	if _, err := conn.WriteToAddrPort([]byte{n}, toA); err != nil { // outside a batch
		t.Fatal(err)
	}

	for _, c := range []*net.UDPConn{a, b} {
		want := n
		if c == a {
			want++
		}
		got := readBytes(t, c, want)
		for i, v := range got {
			if int(v) != i {
				t.Fatalf("packet %d to %s carried %d, want %d (in order)", i, c.LocalAddr(), v, i)
			}
		}
	}
	if conn.queued != 0 {
		t.Errorf("%d packets still queued after the batch ended", conn.queued)
	}
}
