package webrtctest

import (
	"errors"
	"fmt"
	"maps"
	"net/netip"
	"os"
	"sync"
	"sync/atomic"

	"golang.org/x/sys/unix"
)

// Receivers receives the media of many light participants (see
// Options.Receivers) on one goroutine: their sockets are in one epoll(7)
// set, itself waited on by Go's poller, and each readable socket is read and
// its packet handled at once. Compared with a PeerConnection per participant
// this saves, per packet, three goroutine hand-overs, Go's poller wake-up and
// the extra read that finds the socket empty, which is what lets one core
// receive for hundreds of participants.
type Receivers struct {
	epfd int      // the epoll set; owned by file
	file *os.File // epfd, registered with Go's poller
	done chan struct{}

	mu        sync.Mutex // guards closed and writes of receivers
	closed    bool
	receivers atomic.Pointer[map[int32]*lightReceiver] // by socket
}

// NewReceivers starts the receiving goroutine; Close stops it.
func NewReceivers() (*Receivers, error) {
	epfd, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		return nil, fmt.Errorf("webrtctest: epoll: %w", err)
	}
	if err := unix.SetNonblock(epfd, true); err != nil {
		unix.Close(epfd)
		return nil, fmt.Errorf("webrtctest: epoll: %w", err)
	}
	h := &Receivers{epfd: epfd, file: os.NewFile(uintptr(epfd), "epoll"), done: make(chan struct{})}
	empty := map[int32]*lightReceiver{}
	h.receivers.Store(&empty)
	rc, err := h.file.SyscallConn()
	if err != nil {
		h.file.Close()
		return nil, fmt.Errorf("webrtctest: epoll: %w", err)
	}
	go h.loop(rc.Read)
	return h, nil
}

// Close stops receiving for every participant of h. Close the participants
// first; their connections are not closed by this.
func (h *Receivers) Close() error {
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return nil
	}
	h.closed = true
	h.mu.Unlock()
	err := h.file.Close()
	<-h.done
	return err
}

// loop handles readable sockets until h is closed: it takes every ready
// socket from the epoll set (level-triggered, so a socket with more queued is
// reported again) and reads one packet from each, then waits in Go's poller
// for the set to become readable again.
func (h *Receivers) loop(read func(func(fd uintptr) bool) error) {
	defer close(h.done)
	events := make([]unix.EpollEvent, 256)
	buf := make([]byte, 1500)
	_ = read(func(fd uintptr) bool {
		for {
			n, err := unix.EpollWait(int(fd), events, 0)
			if err == unix.EINTR {
				continue
			}
			if err != nil || n == 0 {
				return false // wait until the set is readable (or closed)
			}
			rs := *h.receivers.Load()
			for _, ev := range events[:n] {
				if r := rs[ev.Fd]; r != nil {
					r.readOne(buf)
				}
			}
		}
	})
}

// add puts a receiver's socket in the set.
func (h *Receivers) add(r *lightReceiver) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return errors.New("webrtctest: receivers closed")
	}
	ev := unix.EpollEvent{Events: unix.EPOLLIN, Fd: int32(r.fd)}
	if err := unix.EpollCtl(h.epfd, unix.EPOLL_CTL_ADD, r.fd, &ev); err != nil {
		return fmt.Errorf("webrtctest: epoll add: %w", err)
	}
	h.update(func(m map[int32]*lightReceiver) { m[int32(r.fd)] = r })
	return nil
}

// remove takes a receiver's socket out of the set, before it is closed.
func (h *Receivers) remove(r *lightReceiver) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.closed {
		_ = unix.EpollCtl(h.epfd, unix.EPOLL_CTL_DEL, r.fd, nil)
	}
	h.update(func(m map[int32]*lightReceiver) {
		if m[int32(r.fd)] == r {
			delete(m, int32(r.fd))
		}
	})
}

// update replaces the receivers map with a changed copy; h.mu is held.
func (h *Receivers) update(change func(map[int32]*lightReceiver)) {
	m := maps.Clone(*h.receivers.Load())
	change(m)
	h.receivers.Store(&m)
}

// openSocket opens a non-blocking UDP socket on 127.0.0.1 and returns it
// with its port. It is not in Go's poller: only Receivers reads it.
func openSocket() (fd, port int, err error) {
	fd, err = unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return -1, 0, fmt.Errorf("socket: %w", err)
	}
	if err = unix.Bind(fd, &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err == nil {
		var sa unix.Sockaddr
		if sa, err = unix.Getsockname(fd); err == nil {
			return fd, sa.(*unix.SockaddrInet4).Port, nil
		}
	}
	unix.Close(fd)
	return -1, 0, fmt.Errorf("socket: %w", err)
}

// readOne reads one packet from the receiver's socket, if it is still open,
// and handles it. Until the server's first ICE check the socket is not
// connected and the sender's address is read with the packet; after it, the
// socket is connected to the server and only its packets arrive.
func (r *lightReceiver) readOne(buf []byte) {
	r.fdMu.RLock()
	defer r.fdMu.RUnlock()
	if r.fd < 0 {
		return
	}
	var n int
	var from netip.AddrPort
	var err error
	if r.connected.Load() {
		n, err = unix.Read(r.fd, buf)
		from = r.remote
	} else {
		var sa unix.Sockaddr
		n, sa, err = unix.Recvfrom(r.fd, buf, 0)
		if in4, ok := sa.(*unix.SockaddrInet4); ok {
			from = netip.AddrPortFrom(netip.AddrFrom4(in4.Addr), uint16(in4.Port))
		}
	}
	if err != nil || n <= 0 {
		return
	}
	r.handle(buf[:n], from)
}

// connect fixes the socket to the server's address; r.fdMu is read-locked.
func (r *lightReceiver) connect(to netip.AddrPort) error {
	if err := unix.Connect(r.fd, &unix.SockaddrInet4{Addr: to.Addr().As4(), Port: int(to.Port())}); err != nil {
		return err
	}
	r.remote = to
	r.connected.Store(true)
	return nil
}

// writeLocked sends to the server; r.fdMu is read-locked by the caller.
func (r *lightReceiver) writeLocked(b []byte, to netip.AddrPort) error {
	if r.fd < 0 {
		return errors.New("closed")
	}
	if r.connected.Load() {
		_, err := unix.Write(r.fd, b)
		return err
	}
	return unix.Sendto(r.fd, b, 0, &unix.SockaddrInet4{Addr: to.Addr().As4(), Port: int(to.Port())})
}

// closeSocket closes the socket; the caller holds r.fdMu for writing.
func (r *lightReceiver) closeSocket() {
	if r.fd >= 0 {
		_ = unix.Close(r.fd)
		r.fd = -1
	}
}
