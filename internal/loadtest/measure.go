package loadtest

import (
	"context"
	"fmt"
	"os"
	"time"
)

// measurement is what the measuring window saw.
type measurement struct {
	window        time.Duration
	packets       int64   // packets received in the window
	serverCPU     float64 // seconds of server CPU in the window; -1 if unknown
	serverRSS     int64   // bytes at the end of the window; -1 if unknown
	serverProblem string
	// toolCPU is this process's own CPU in the window, in seconds (-1 if
	// unknown): a tool at its core's limit makes the server look worse.
	toolCPU float64
}

// measure waits for the ramp and a settling time, then measures until ctx
// ends (the run's deadline), printing a progress line every second
// throughout.
func (r *run) measure(ctx context.Context) measurement {
	end, _ := ctx.Deadline()
	settle := min(maxSettle, (r.cfg.Duration-r.cfg.Ramp)/4)
	windowStart := r.start.Add(r.cfg.Ramp + settle)
	m := measurement{serverCPU: -1, serverRSS: -1, toolCPU: -1}
	var cpu0, toolCPU0, lastCPU float64
	lastToolCPU, _ := processCPU(os.Getpid())
	var toolErr error
	var lastPackets int64
	last := time.Now()
	if r.cfg.ServerPID != 0 {
		lastCPU, _ = processCPU(r.cfg.ServerPID)
	}
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	startWindow := time.NewTimer(time.Until(windowStart))
	defer startWindow.Stop()
	var started time.Time
	for {
		select {
		case <-startWindow.C:
			if r.cfg.ServerPID != 0 {
				cpu0, _ = processCPU(r.cfg.ServerPID)
			}
			toolCPU0, toolErr = processCPU(os.Getpid())
			started = time.Now()
			r.measuring.Store(true)
			continue
		case <-tick.C:
			now := time.Now()
			packets := r.totalPackets.Load()
			line := r.progress(now, float64(packets-lastPackets)/now.Sub(last).Seconds())
			if r.cfg.ServerPID != 0 {
				if cpu, err := processCPU(r.cfg.ServerPID); err == nil {
					line += fmt.Sprintf("  server CPU %3.0f %%", 100*(cpu-lastCPU)/now.Sub(last).Seconds())
					lastCPU = cpu
				}
			}
			if cpu, err := processCPU(os.Getpid()); err == nil {
				line += fmt.Sprintf("  tool CPU %3.0f %%", 100*(cpu-lastToolCPU)/now.Sub(last).Seconds())
				lastToolCPU = cpu
			}
			if r.cfg.Progress != nil {
				fmt.Fprintln(r.cfg.Progress, line)
			}
			last, lastPackets = now, packets
			continue
		case <-ctx.Done():
		}
		break
	}
	r.measuring.Store(false)
	if started.IsZero() {
		return m // the run ended before its window
	}
	stopped := time.Now()
	if !end.IsZero() && end.Before(stopped) {
		stopped = end
	}
	m.window = stopped.Sub(started)
	m.packets = r.windowPackets.Load()
	if toolCPU1, err := processCPU(os.Getpid()); err == nil && toolErr == nil {
		m.toolCPU = toolCPU1 - toolCPU0
	}
	if r.cfg.ServerPID != 0 {
		cpu1, err := processCPU(r.cfg.ServerPID)
		rss, err2 := processRSS(r.cfg.ServerPID)
		if err != nil || err2 != nil {
			m.serverProblem = fmt.Sprintf("reading the server process: %v %v", err, err2)
		} else {
			m.serverCPU, m.serverRSS = cpu1-cpu0, rss
		}
	}
	return m
}

// progress returns one progress line.
func (r *run) progress(now time.Time, rate float64) string {
	joined, admitted := r.counts()
	return fmt.Sprintf("%5.0fs  joined %d/%d  admitted %d  receiving %d  %8.0f pkt/s  delay p99 %s",
		now.Sub(r.start).Seconds(), joined, r.cfg.Participants, admitted, r.withMedia.Load(), rate,
		fmtMillis(r.latency.Quantile(0.99)))
}

// fmtMillis formats microseconds as milliseconds.
func fmtMillis(us int64) string { return fmt.Sprintf("%.2f ms", float64(us)/1000) }
