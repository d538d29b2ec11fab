//go:build !linux

package webrtctest

import (
	"errors"
	"net/netip"
)

// errNeedsLinux: the light receivers read their sockets with epoll(7).
var errNeedsLinux = errors.New("webrtctest: light receivers need Linux")

// Receivers receives the media of many light participants; it needs Linux.
type Receivers struct{}

// NewReceivers returns an error: light receivers need Linux.
func NewReceivers() (*Receivers, error) { return nil, errNeedsLinux }

// Close does nothing.
func (h *Receivers) Close() error { return nil }

func (h *Receivers) add(*lightReceiver) error { return errNeedsLinux }
func (h *Receivers) remove(*lightReceiver)    {}

func openSocket() (fd, port int, err error) { return -1, 0, errNeedsLinux }

func (r *lightReceiver) writeLocked([]byte, netip.AddrPort) error { return errNeedsLinux }
func (r *lightReceiver) connect(netip.AddrPort) error             { return errNeedsLinux }
func (r *lightReceiver) closeSocket()                             {}
