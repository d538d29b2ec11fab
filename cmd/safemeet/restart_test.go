package main

import (
	"bufio"
	"context"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"safemeet/internal/errcode"
	"safemeet/internal/meeting"
	"safemeet/internal/store/sqlite"
)

// process is the real safemeet binary running on a data folder.
type process struct {
	cmd    *exec.Cmd
	out    *syncBuffer
	exited chan error
}

// startBinary runs bin serve on addr with the data folder, and waits until it answers.
func startBinary(t *testing.T, bin, addr, data string) *process {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--listen", addr, "--public-url", "http://"+addr, "--data", data,
		"--media-port", "0", "--media-ip", "127.0.0.1", "--dev-loopback-candidates", "--log-level", "info")
	p := &process{cmd: cmd, out: &syncBuffer{}, exited: make(chan error, 1)}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = p.out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			io.WriteString(p.out, sc.Text()+"\n")
		}
		p.exited <- cmd.Wait()
	}()
	t.Cleanup(func() { p.kill() })
	deadline := time.Now().Add(20 * time.Second)
	for {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return p
		}
		select {
		case err := <-p.exited:
			t.Fatalf("safemeet exited while starting (%v):\n%s", err, p.out.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("safemeet did not listen on %s:\n%s", addr, p.out.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// kill kills the process with SIGKILL (no chance to tidy up) and waits for it.
func (p *process) kill() {
	if p.cmd.ProcessState != nil {
		return
	}
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	select {
	case <-p.exited:
	case <-time.After(10 * time.Second):
	}
}

func TestRestart_SIGKILLRestoresLockWaitingAndRemovals(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "safemeet")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	data := filepath.Join(dir, "data")
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()

	first := startBinary(t, bin, addr, data)
	s := &testServer{t: t, url: "http://" + addr, out: first.out}
	s.host = s.signInFirstAdmin()
	mid := s.createMeeting()
	_, tokIn := s.invite(mid, "Ann In", "parent")
	_, tokWait := s.invite(mid, "Wes Waiting", "carer")
	_, tokOut := s.invite(mid, "Rex Removed", "uncle")
	_, tokNew := s.invite(mid, "Nia New", "aunt")
	_, tokDenied := s.invite(mid, "Dee Denied", "neighbour")

	host := s.joinAsHost(mid, false)
	in := s.mustJoinAsGuest(tokIn, false)
	admit(t, host, in)
	out := s.mustJoinAsGuest(tokOut, false)
	admit(t, host, out)
	if err := host.Send(map[string]string{"type": "remove", "participant": out.ID()}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "Rex to be removed", func() bool { return out.Admission() == "removed" || out.Err() != nil })
	// A denial is not stored as a revocation: only the room remembers it.
	denied := s.mustJoinAsGuest(tokDenied, false)
	waitFor(t, "the host to see Dee waiting", func() bool { return len(host.Waiting()) == 1 })
	if err := host.Deny(denied.ID()); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "Dee to be denied", func() bool { return denied.Admission() == "denied" || denied.Err() != nil })
	waitFor(t, "the waiting room to empty", func() bool { return len(host.Waiting()) == 0 })
	wait := s.mustJoinAsGuest(tokWait, false)
	waitFor(t, "the host to see Wes waiting", func() bool { return len(host.Waiting()) == 1 })
	if err := host.Send(map[string]any{"type": "lock", "locked": true}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the lock", host.Locked)
	inID, waitID := in.ID(), wait.ID()

	// The server is killed mid-meeting: no shutdown, no goodbye.
	first.kill()
	waitFor(t, "everyone to notice the server gone", func() bool { return host.Err() != nil && in.Err() != nil && wait.Err() != nil })

	second := startBinary(t, bin, addr, data)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("second server's output:\n%s", second.out.String())
		}
	})
	// They reconnect (as the browser client does by itself).
	host = s.joinAsHost(mid, false)
	in2 := s.mustJoinAsGuest(tokIn, false)
	if in2.Admission() != "admitted" || in2.ID() != inID {
		t.Errorf("Ann after the restart: %s as %s, want admitted as %s (her place kept)", in2.Admission(), in2.ID(), inID)
	}
	wait2 := s.mustJoinAsGuest(tokWait, false)
	if wait2.Admission() != "waiting" || wait2.ID() != waitID {
		t.Errorf("Wes after the restart: %s as %s, want still waiting as %s", wait2.Admission(), wait2.ID(), waitID)
	}
	if _, err := s.joinAsGuest(tokOut, false); refusalCode(err) != string(errcode.InvitationInvalid) && refusalCode(err) != string(errcode.Removed) {
		t.Errorf("Rex after the restart: %v, want still refused", err)
	}
	if _, err := s.joinAsGuest(tokDenied, false); refusalCode(err) != string(errcode.Denied) {
		t.Errorf("Dee (denied) after the restart: %v, want %s", err, errcode.Denied)
	}
	if _, err := s.joinAsGuest(tokNew, false); refusalCode(err) != string(errcode.MeetingLocked) {
		t.Errorf("someone new after the restart: %v, want %s (still locked)", err, errcode.MeetingLocked)
	}
	waitFor(t, "the host to see the lock and the waiting room as they were", func() bool {
		w := host.Waiting()
		return host.Locked() && len(w) == 1 && w[0].ID == waitID
	})
	waitFor(t, "the host and Ann to see each other", func() bool {
		_, ok := host.Roster()[inID]
		return ok
	})

	// The register shows the interruption.
	db, err := sqlite.Open(filepath.Join(data, "safemeet.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	st, err := db.RoomState(context.Background(), meeting.ID(mid))
	if err != nil || st.Interruptions != 1 || !st.Locked {
		t.Errorf("room state after the restart = %+v (%v), want one interruption and locked", st, err)
	}
	entries, err := db.AuditEntries(context.Background(), 0, 100000)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range entries {
		found = found || (e.Action == "meeting.interrupted" && e.Meeting == mid)
	}
	if !found {
		t.Error("no meeting.interrupted entry in the audit log")
	}
	_ = os.Remove(bin)
}
