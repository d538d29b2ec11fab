package loadtest

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"

	"safemeet/internal/signalling"
)

// maxReportedErrors is how many participant errors a report lists.
const maxReportedErrors = 10

// Report is what a load run measured. Rates, delays and server figures are
// over the measuring window (from the end of the ramp plus a settling time
// to the end of the run); loss is over each received track's whole life.
type Report struct {
	Shape             Shape `json:"shape"`
	Participants      int   `json:"participants"` // guests asked for, besides the host
	Joined            int   `json:"joined"`       // guests welcomed by the server
	Admitted          int   `json:"admitted"`     // guests admitted at the end
	ReceiversGotMedia int   `json:"receiversGotMedia"`
	VideoBitrate      int   `json:"videoBitrate"` // bits per second per publisher
	// Receivers is how the participants received: "light"
	// (webrtctest.Receivers) or "pion" (a PeerConnection each).
	Receivers       string  `json:"receivers"`
	DurationSeconds float64 `json:"durationSeconds"`
	WindowSeconds   float64 `json:"windowSeconds"`
	// FirstFrameP50Ms and FirstFrameP99Ms time a guest's join, from opening
	// the WebSocket to its first video packet.
	FirstFrameP50Ms float64 `json:"firstFrameP50Ms"`
	FirstFrameP99Ms float64 `json:"firstFrameP99Ms"`
	// PacketsPerSecond is the forwarded packets the participants received
	// per second in the window; PacketsInWindow is their number.
	PacketsPerSecond float64 `json:"packetsPerSecond"`
	PacketsInWindow  int64   `json:"packetsInWindow"`
	// Tracks is the number of received tracks, LostPackets and
	// LossPercent the packets missing from their sequence numbers.
	Tracks      int     `json:"tracks"`
	LostPackets int64   `json:"lostPackets"`
	LossPercent float64 `json:"lossPercent"`
	// Delay is from the publisher stamping a packet to a receiver reading
	// it, both in this process.
	DelayP50Ms float64 `json:"delayP50Ms"`
	DelayP99Ms float64 `json:"delayP99Ms"`
	DelayMaxMs float64 `json:"delayMaxMs"`
	// Server is present when a server PID was given.
	Server *ServerReport `json:"server,omitempty"`
	// Tool is the load tool's own use of the machine in the window, so that
	// runs limited by the tool rather than the server can be told apart.
	Tool *ToolReport `json:"tool,omitempty"`
	// Errors lists the first participant failures and server errors.
	Errors []string `json:"errors,omitempty"`
}

// ServerReport is the server process's use of the machine in the window.
type ServerReport struct {
	PID                int     `json:"pid"`
	CPUSeconds         float64 `json:"cpuSeconds"`
	CPUPercent         float64 `json:"cpuPercent"`
	CPUMicrosPerPacket float64 `json:"cpuMicrosPerPacket"`
	RSSMiB             float64 `json:"rssMiB"`
	RSSKiBPerTrack     float64 `json:"rssKiBPerTrack"` // RSS over received tracks
}

// ToolReport is the load tool process's own CPU in the window (utime+stime
// of /proc/self/stat, like the server's).
type ToolReport struct {
	CPUSeconds float64 `json:"cpuSeconds"`
	CPUPercent float64 `json:"cpuPercent"` // of one core
}

// report builds the report at the end of the run, before the participants
// are closed.
func (r *run) report(m measurement) *Report {
	r.mu.Lock()
	defer r.mu.Unlock()
	rep := &Report{
		Shape: r.cfg.Shape, Participants: r.cfg.Participants, Joined: len(r.guests),
		ReceiversGotMedia: int(r.withMedia.Load()), VideoBitrate: r.stamps.VideoBitrate, Receivers: "pion",
		DurationSeconds: r.cfg.Duration.Seconds(), WindowSeconds: m.window.Seconds(),
		FirstFrameP50Ms: millis(r.firstFrame.Quantile(0.5)), FirstFrameP99Ms: millis(r.firstFrame.Quantile(0.99)),
		PacketsInWindow: m.packets, Tracks: len(r.tracks),
		DelayP50Ms: millis(r.latency.Quantile(0.5)), DelayP99Ms: millis(r.latency.Quantile(0.99)), DelayMaxMs: millis(r.latency.Max()),
	}
	if r.receivers != nil {
		rep.Receivers = "light"
	}
	if m.window > 0 {
		rep.PacketsPerSecond = float64(m.packets) / m.window.Seconds()
	}
	var expected int64
	for _, s := range r.tracks {
		e, l := s.counts()
		expected += e
		rep.LostPackets += l
	}
	if expected > 0 {
		rep.LossPercent = 100 * float64(rep.LostPackets) / float64(expected)
	}
	rep.Errors = append(rep.Errors, r.errs...)
	for _, g := range r.guests {
		if g.p.Admission() == "admitted" {
			rep.Admitted++
		}
		rep.Errors = append(rep.Errors, participantErrors(g.p.Problems(), g.p.Errors())...)
	}
	rep.Errors = append(rep.Errors, participantErrors(r.host.Problems(), r.host.Errors())...)
	if m.serverProblem != "" {
		rep.Errors = append(rep.Errors, m.serverProblem)
	}
	if len(rep.Errors) > maxReportedErrors {
		rep.Errors = append(rep.Errors[:maxReportedErrors], fmt.Sprintf("… and %d more", len(rep.Errors)-maxReportedErrors))
	}
	if m.serverCPU >= 0 {
		s := &ServerReport{PID: r.cfg.ServerPID, CPUSeconds: m.serverCPU, RSSMiB: float64(m.serverRSS) / (1 << 20)}
		if m.window > 0 {
			s.CPUPercent = 100 * m.serverCPU / m.window.Seconds()
		}
		if m.packets > 0 {
			s.CPUMicrosPerPacket = 1e6 * m.serverCPU / float64(m.packets)
		}
		if len(r.tracks) > 0 {
			s.RSSKiBPerTrack = float64(m.serverRSS) / 1024 / float64(len(r.tracks))
		}
		rep.Server = s
	}
	if m.toolCPU >= 0 {
		rep.Tool = &ToolReport{CPUSeconds: m.toolCPU}
		if m.window > 0 {
			rep.Tool.CPUPercent = 100 * m.toolCPU / m.window.Seconds()
		}
	}
	return rep
}

// participantErrors describes a participant's problems and server errors.
func participantErrors(problems []string, errs []signalling.Error) []string {
	out := problems
	for _, e := range errs {
		out = append(out, fmt.Sprintf("server error %s (ref %s)", e.Code, e.Ref))
	}
	return out
}

func millis(us int64) float64 { return float64(us) / 1000 }

// WriteTable writes the report as a table for people.
func (rep *Report) WriteTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	row := func(name, format string, args ...any) {
		fmt.Fprintf(tw, "%s\t"+format+"\n", append([]any{name}, args...)...)
	}
	row("shape", "%s (video %d kbit/s per publisher)", rep.Shape, rep.VideoBitrate/1000)
	row("participants", "%d asked, %d joined, %d admitted, %d got media (%s receivers)", rep.Participants, rep.Joined, rep.Admitted, rep.ReceiversGotMedia, rep.Receivers)
	row("run / window", "%.1f s / %.1f s", rep.DurationSeconds, rep.WindowSeconds)
	row("join to first frame", "p50 %.1f ms  p99 %.1f ms", rep.FirstFrameP50Ms, rep.FirstFrameP99Ms)
	row("forwarded packets received", "%.0f /s (%d in window)", rep.PacketsPerSecond, rep.PacketsInWindow)
	row("loss", "%.3f %% (%d packets over %d tracks)", rep.LossPercent, rep.LostPackets, rep.Tracks)
	row("added delay", "p50 %.2f ms  p99 %.2f ms  max %.2f ms", rep.DelayP50Ms, rep.DelayP99Ms, rep.DelayMaxMs)
	if s := rep.Server; s != nil {
		row("server CPU", "%.2f s (%.0f %% of one core)", s.CPUSeconds, s.CPUPercent)
		row("server CPU per packet", "%.1f µs", s.CPUMicrosPerPacket)
		row("server RSS", "%.1f MiB (%.0f KiB per received track)", s.RSSMiB, s.RSSKiBPerTrack)
	} else {
		row("server", "not measured (no --server-pid)")
	}
	if t := rep.Tool; t != nil {
		row("load tool CPU", "%.2f s (%.0f %% of one core)", t.CPUSeconds, t.CPUPercent)
	}
	for _, e := range rep.Errors {
		row("error", "%s", e)
	}
	return tw.Flush()
}

// WriteJSON writes the report as indented JSON.
func (rep *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}
