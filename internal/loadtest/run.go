package loadtest

import (
	"context"
	"encoding/binary"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"safemeet/internal/webrtctest"
)

// Timing of a run.
const (
	// setupTimeout bounds signing in, creating the meeting, inviting and
	// tearing down, on top of Config.Duration.
	setupTimeout = 30 * time.Second
	// admitEvery paces the host's admit messages below the server's
	// per-session rate limit (about 30 a second).
	admitEvery = 40 * time.Millisecond
	// admitRetry is when an admit that had no effect is sent again.
	admitRetry = 2 * time.Second
	// maxSettle is the most time the measuring window starts after the
	// ramp, so that the last joins have their media flowing.
	maxSettle = 2 * time.Second
)

// run is the state of one load run. The counters are updated from the
// participants' track goroutines.
type run struct {
	cfg    Config
	api    *api
	ws     *http.Client
	start  time.Time
	stamps *webrtctest.StampedMedia
	// receivers receives for every participant, unless Config.PionReceivers.
	receivers *webrtctest.Receivers

	measuring     atomic.Bool
	totalPackets  atomic.Int64
	windowPackets atomic.Int64
	withMedia     atomic.Int64
	latency       Histogram // µs, packets received in the window
	firstFrame    Histogram // µs from the start of a guest's join

	mu     sync.Mutex
	guests []*guest
	tracks []*sequence
	host   *webrtctest.Participant
	errs   []string
}

// guest is one invited participant.
type guest struct {
	joinStart time.Time
	gotFrame  atomic.Bool
	p         *webrtctest.Participant // nil until joined; set under run.mu
}

// Run performs one load run as cfg says and reports what it measured. It
// returns an error only if the run could not start (bad configuration,
// sign-in, meeting or host failures); failures of single guests are counted
// in the report.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.Duration+setupTimeout)
	defer cancel()
	r := &run{cfg: cfg, api: newAPI(cfg.URL)}
	var meetingID string
	var err error
	r.ws = &http.Client{Transport: r.api.c.Transport, CheckRedirect: r.api.c.CheckRedirect}
	r.stamps = &webrtctest.StampedMedia{VideoBitrate: lectureVideoBitrate, Pace: cfg.Pace}
	if cfg.Shape == ShapeMeeting {
		r.stamps.VideoBitrate = meetingVideoBitrate
	}
	if !cfg.PionReceivers {
		r.receivers, err = webrtctest.NewReceivers()
		if err != nil {
			// They need Linux; elsewhere the run still works, at a higher
			// cost per packet, and the report says which receivers it used.
			r.receivers = nil
			if cfg.Progress != nil {
				fmt.Fprintf(cfg.Progress, "receiving with a PeerConnection each: %v\n", err)
			}
		} else {
			defer r.receivers.Close() // after teardown, which runs first
		}
	}
	if err := r.api.signIn(ctx, cfg); err != nil {
		return nil, fmt.Errorf("sign in: %w", err)
	}
	meetingID, err = r.api.createMeeting(ctx, cfg.Duration)
	if err != nil {
		return nil, fmt.Errorf("create meeting: %w", err)
	}
	tokens := make([]string, cfg.Participants)
	for i := range tokens {
		if tokens[i], err = r.api.invite(ctx, meetingID, fmt.Sprintf("Load guest %d", i+1)); err != nil {
			return nil, fmt.Errorf("invite guest %d: %w", i+1, err)
		}
	}
	opts := r.options(nil, true)
	opts.Meeting, opts.Header = meetingID, r.api.cookies()
	host, err := webrtctest.Dial(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("host joins: %w", err)
	}
	r.host = host
	defer r.teardown()

	r.start = time.Now()
	runCtx, stop := context.WithDeadline(ctx, r.start.Add(cfg.Duration))
	defer stop()
	go r.admitLoop(runCtx)
	var joins sync.WaitGroup
	for i, token := range tokens {
		at := r.start.Add(time.Duration(i) * cfg.Ramp / time.Duration(len(tokens)))
		joins.Go(func() { r.join(runCtx, at, token) })
	}
	m := r.measure(runCtx)
	stop()
	joins.Wait()
	// Report before teardown: ending the meeting makes late answers refusable,
	// and those are not failures of the run.
	rep := r.report(m)
	r.teardown()
	return rep, nil
}

// options returns the participant options for one synthetic participant;
// g is nil for the host.
func (r *run) options(g *guest, publish bool) webrtctest.Options {
	o := webrtctest.Options{
		BaseURL: r.cfg.URL, HTTPClient: r.ws, Publish: publish,
		IncludeLoopback: true, LoopbackOnly: true, Logger: r.cfg.Logger,
		OnTrack: r.onTrack(g), Receivers: r.receivers,
	}
	if publish {
		o.Stamped = r.stamps
	}
	return o
}

// join waits until at, then joins one guest with its invitation.
func (r *run) join(ctx context.Context, at time.Time, token string) {
	select {
	case <-ctx.Done():
		return
	case <-time.After(time.Until(at)):
	}
	g := &guest{joinStart: time.Now()}
	opts := r.options(g, r.cfg.Shape == ShapeMeeting)
	opts.Invite = token
	p, err := webrtctest.Dial(ctx, opts)
	r.mu.Lock()
	defer r.mu.Unlock()
	if err != nil {
		if ctx.Err() == nil {
			r.errs = append(r.errs, fmt.Sprintf("guest join: %v", err))
		}
		return
	}
	g.p = p
	r.guests = append(r.guests, g)
}

// onTrack returns the receive hook of one participant (g nil for the host):
// it follows each track's sequence numbers, counts packets, times the
// guest's first video packet and, in the measuring window, the delay of
// every stamped packet.
func (r *run) onTrack(g *guest) func(stream, kind string) func(raw []byte) {
	return func(_, kind string) func(raw []byte) {
		seq := new(sequence)
		r.mu.Lock()
		r.tracks = append(r.tracks, seq)
		r.mu.Unlock()
		video := kind == "video"
		return func(raw []byte) {
			if len(raw) < 12 {
				return
			}
			now := time.Now()
			seq.add(binary.BigEndian.Uint16(raw[2:4]))
			r.totalPackets.Add(1)
			if g != nil && video && !g.gotFrame.Load() && g.gotFrame.CompareAndSwap(false, true) {
				r.firstFrame.Record(now.Sub(g.joinStart).Microseconds())
				r.withMedia.Add(1)
			}
			if r.measuring.Load() {
				r.windowPackets.Add(1)
				if sent, ok := webrtctest.ReadStamp(raw); ok {
					r.latency.Record((now.UnixNano() - sent) / 1000)
				}
			}
		}
	}
}

// admitLoop admits each guest the host sees waiting, one every admitEvery,
// until ctx ends. An admit without effect is repeated after admitRetry.
func (r *run) admitLoop(ctx context.Context) {
	sent := make(map[string]time.Time)
	tick := time.NewTicker(admitEvery)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		for _, w := range r.host.Waiting() {
			if t, ok := sent[w.ID]; ok && time.Since(t) < admitRetry {
				continue
			}
			sent[w.ID] = time.Now()
			_ = r.host.Admit(w.ID)
			break
		}
	}
}

// counts returns how many guests have joined and been admitted.
func (r *run) counts() (joined, admitted int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, g := range r.guests {
		joined++
		if g.p.Admission() == "admitted" {
			admitted++
		}
	}
	return joined, admitted
}

// teardown ends the meeting and closes every participant, in parallel. It
// may be called more than once.
func (r *run) teardown() {
	r.mu.Lock()
	host := r.host
	ps := make([]*webrtctest.Participant, 0, len(r.guests)+1)
	for _, g := range r.guests {
		ps = append(ps, g.p)
	}
	r.mu.Unlock()
	if host == nil {
		return
	}
	if host.End() == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		_ = host.WaitFor(ctx, "the meeting to end", func() bool { return host.Ended() != nil })
		cancel()
	}
	ps = append(ps, host)
	var wg sync.WaitGroup
	for _, p := range ps {
		wg.Go(func() { _ = p.Close() })
	}
	wg.Wait()
}
