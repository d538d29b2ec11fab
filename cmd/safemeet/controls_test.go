package main

import (
	"net/http"
	"testing"
	"time"

	"safemeet/internal/errcode"
	"safemeet/internal/policy"
	"safemeet/internal/signalling"
	"safemeet/internal/webrtctest"
)

// lastError waits for p's next refusal and returns its code.
func lastErrorCode(t *testing.T, p *webrtctest.Participant, before int) string {
	t.Helper()
	waitFor(t, p.Welcome().Name+" to get an error", func() bool { return len(p.Errors()) > before })
	return p.Errors()[len(p.Errors())-1].Code
}

// flat reports whether count stays within slack over d.
func flat(count func() int64, d time.Duration, slack int64) (before, after int64, ok bool) {
	before = count()
	time.Sleep(d)
	after = count()
	return before, after, after <= before+slack
}

func TestLock_LockedMeetingRefusesNewArrivals(t *testing.T) {
	s := startServer(t, nil)
	mid := s.createMeeting()
	_, tokIn := s.invite(mid, "Jo Smith", "parent")
	_, tokWait := s.invite(mid, "Kim Lee", "carer")
	_, tokLate := s.invite(mid, "Sam Late", "uncle")
	host := s.joinAsHost(mid, false)
	in := s.mustJoinAsGuest(tokIn, false)
	admit(t, host, in)
	waiting := s.mustJoinAsGuest(tokWait, false)
	waitFor(t, "the host to see Kim waiting", func() bool { return len(host.Waiting()) == 1 })

	if err := host.Send(signalling.Lock{Type: signalling.TypeLock, Locked: true}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "everyone in the room to see the meeting locked", func() bool { return host.Locked() && in.Locked() })

	_, err := s.joinAsGuest(tokLate, false)
	if code := refusalCode(err); code != string(errcode.MeetingLocked) {
		t.Fatalf("a new arrival in a locked meeting: code %q (%v), want %q", code, err, errcode.MeetingLocked)
	}
	waitFor(t, "the host to be told someone tried to join", func() bool {
		for _, n := range host.Notices() {
			if n.Code == string(errcode.MeetingLocked) {
				return true
			}
		}
		return false
	})
	if got := waiting.Admission(); got != "waiting" {
		t.Fatalf("Kim's admission = %q, want still waiting", got)
	}
	admit(t, host, waiting)

	if err := host.Send(signalling.Lock{Type: signalling.TypeLock, Locked: false}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the meeting to be unlocked", func() bool { return !in.Locked() })
	if _, err := s.joinAsGuest(tokLate, false); err != nil {
		t.Errorf("joining after unlock: %v", err)
	}
}

func TestRemove_AllRejoinPathsFail(t *testing.T) {
	s := startServer(t, nil)
	mid := s.createMeeting()
	_, tok := s.invite(mid, "Jo Smith", "parent")
	host := s.joinAsHost(mid, true)
	g := s.mustJoinAsGuest(tok, true)
	admit(t, host, g)
	waitFor(t, "the host to receive Jo's media", func() bool { return host.PacketsFrom(g.ID()) > 20 })

	if err := host.Send(signalling.Remove{Type: signalling.TypeRemove, Participant: g.ID()}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "Jo to be told they were removed", func() bool { return g.Admission() == "removed" })
	waitFor(t, "Jo's session to close", func() bool {
		select {
		case <-g.Done():
			return true
		default:
			return false
		}
	})
	if b, a, ok := flat(func() int64 { return host.PacketsFrom(g.ID()) }, time.Second, 5); !ok {
		t.Errorf("host still receives the removed guest's media: %d → %d", b, a)
	}
	// The same link, in a reconnect, a new tab or a new browser, is the same token.
	for _, path := range []string{"reconnect", "new tab", "new browser"} {
		_, err := s.joinAsGuest(tok, false)
		if code := refusalCode(err); code != string(errcode.InvitationInvalid) {
			t.Errorf("%s: code %q (%v), want %q", path, code, err, errcode.InvitationInvalid)
		}
	}
	if status, _ := lookup(t, s, tok); status != http.StatusNotFound {
		t.Errorf("pre-join lookup of the removed guest's link: %d, want 404", status)
	}
}

func TestRemove_HostCanLiftRemoval(t *testing.T) {
	s := startServer(t, nil)
	mid := s.createMeeting()
	invID, tok := s.invite(mid, "Jo Smith", "parent")
	host := s.joinAsHost(mid, false)
	g := s.mustJoinAsGuest(tok, false)
	admit(t, host, g)
	if err := host.Send(signalling.Remove{Type: signalling.TypeRemove, Participant: g.ID()}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "Jo to be removed", func() bool { return g.Admission() == "removed" })

	s.post(s.host, "/api/meetings/"+mid+"/invitations/"+invID+"/restore", map[string]any{}, http.StatusOK, nil)
	back := s.mustJoinAsGuest(tok, false)
	if got := back.Admission(); got != "waiting" {
		t.Errorf("admission after the removal was lifted = %q, want waiting (the host decides again)", got)
	}
}

func TestWaitingRoom_SendBackStopsMedia(t *testing.T) {
	s := startServer(t, nil)
	mid := s.createMeeting()
	_, tok := s.invite(mid, "Jo Smith", "parent")
	host := s.joinAsHost(mid, true)
	g := s.mustJoinAsGuest(tok, true)
	admit(t, host, g)
	waitFor(t, "media both ways", func() bool { return host.PacketsFrom(g.ID()) > 20 && g.PacketsFrom(host.ID()) > 20 })

	if err := host.Send(signalling.SendBack{Type: signalling.TypeSendBack, Participant: g.ID()}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "Jo to be back in the waiting room", func() bool { return g.Admission() == "waiting" })
	waitFor(t, "the host to see Jo waiting again", func() bool { return len(host.Waiting()) == 1 })
	time.Sleep(300 * time.Millisecond)
	if b, a, ok := flat(func() int64 { return host.PacketsFrom(g.ID()) }, time.Second, 0); !ok {
		t.Errorf("host still receives Jo's media after send-back: %d → %d", b, a)
	}
	if b, a, ok := flat(g.TotalPackets, time.Second, 0); !ok {
		t.Errorf("Jo still receives media in the waiting room: %d → %d", b, a)
	}
	if n := len(g.Roster()); n != 0 {
		t.Errorf("Jo still sees %d roster entries in the waiting room", n)
	}
}

func TestMute_ServerStopsForwardingWhenClientIgnoresMute(t *testing.T) {
	s := startServer(t, nil)
	mid := s.createMeeting()
	_, tok := s.invite(mid, "Jo Smith", "parent")
	host := s.joinAsHost(mid, true)
	g := s.mustJoinAsGuest(tok, true) // webrtctest ignores mutes: it keeps sending
	admit(t, host, g)
	audio := func() int64 { return host.PacketsFromKind(g.ID(), "audio") }
	video := func() int64 { return host.PacketsFromKind(g.ID(), "video") }
	waitFor(t, "the host to receive Jo's audio and video", func() bool { return audio() > 20 && video() > 20 })

	if err := host.Send(signalling.Mute{Type: signalling.TypeMute, Participant: g.ID(), Kind: "audio", Muted: true}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "Jo's roster entry to show the block", func() bool { return g.Roster()[g.ID()].AudioBlocked })
	time.Sleep(time.Second) // packets already in flight arrive within this second
	if b, a, ok := flat(audio, 2*time.Second, 0); !ok {
		t.Errorf("host still receives Jo's audio after the server mute: %d → %d", b, a)
	}
	if b, a, ok := flat(video, time.Second, 0); ok {
		t.Errorf("Jo's video stopped too (%d → %d); only audio was muted", b, a)
	}

	if err := host.Send(signalling.Mute{Type: signalling.TypeMute, Participant: g.ID(), Kind: "audio", Muted: false}); err != nil {
		t.Fatal(err)
	}
	before := audio()
	waitFor(t, "Jo's audio to flow again", func() bool { return audio() > before+20 })

	errs := len(g.Errors())
	if err := g.Send(signalling.Mute{Type: signalling.TypeMute, Participant: host.ID(), Kind: "audio", Muted: true}); err != nil {
		t.Fatal(err)
	}
	if code := lastErrorCode(t, g, errs); code != string(errcode.HostRequired) {
		t.Errorf("a guest muting the host: %q, want %q", code, errcode.HostRequired)
	}
}

func TestCoHost_CannotRemoveHost(t *testing.T) {
	s := startServer(t, nil)
	mid := s.createMeeting()
	_, tokA := s.invite(mid, "Alex Green", "school nurse")
	_, tokB := s.invite(mid, "Jo Smith", "parent")
	host := s.joinAsHost(mid, false)
	a := s.mustJoinAsGuest(tokA, false)
	admit(t, host, a)
	b := s.mustJoinAsGuest(tokB, false)

	if err := host.Send(signalling.CoHost{Type: signalling.TypeCoHost, Participant: a.ID(), On: true}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "Alex to become a co-host", func() bool { return a.Role() == "co-host" })
	waitFor(t, "Alex, now co-host, to see Jo waiting", func() bool { return len(a.Waiting()) == 1 })
	admit(t, a, b)

	errs := len(a.Errors())
	if err := a.Send(signalling.Remove{Type: signalling.TypeRemove, Participant: host.ID()}); err != nil {
		t.Fatal(err)
	}
	if code := lastErrorCode(t, a, errs); code != string(errcode.Forbidden) {
		t.Errorf("co-host removing the host: %q, want %q", code, errcode.Forbidden)
	}
	if host.Ended() != nil || len(host.Roster()) != 3 {
		t.Fatalf("the host was affected: ended %+v, roster %d", host.Ended(), len(host.Roster()))
	}
	if err := a.Send(signalling.Remove{Type: signalling.TypeRemove, Participant: b.ID()}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the co-host's removal of Jo to take effect", func() bool { return b.Admission() == "removed" })

	if err := host.Send(signalling.CoHost{Type: signalling.TypeCoHost, Participant: a.ID(), On: false}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "Alex to be a participant again", func() bool { return a.Role() == "participant" })
	errs = len(a.Errors())
	_ = a.Send(signalling.Lock{Type: signalling.TypeLock, Locked: true})
	if code := lastErrorCode(t, a, errs); code != string(errcode.HostRequired) {
		t.Errorf("a former co-host locking: %q, want %q", code, errcode.HostRequired)
	}
}

func TestWaitingRoom_AdmitAllLetsEveryoneWaitingIn(t *testing.T) {
	s := startServer(t, nil)
	mid := s.createMeeting()
	host := s.joinAsHost(mid, false)
	var guests []*webrtctest.Participant
	for _, name := range []string{"Jo Smith", "Kim Lee", "Sam Ray"} {
		_, tok := s.invite(mid, name, "parent")
		guests = append(guests, s.mustJoinAsGuest(tok, false))
	}
	waitFor(t, "the host to see three waiting", func() bool { return len(host.Waiting()) == 3 })
	if err := host.Send(signalling.AdmitAll{Type: signalling.TypeAdmitAll}); err != nil {
		t.Fatal(err)
	}
	for _, g := range guests {
		waitFor(t, g.Welcome().Name+" to be admitted", func() bool { return g.Admission() == "admitted" })
	}
	waitFor(t, "the waiting room to empty", func() bool { return len(host.Waiting()) == 0 })
}

func TestSuspend_StopsAllParticipantMediaAndLocks(t *testing.T) {
	s := startServer(t, nil)
	mid := s.createMeeting()
	_, tokA := s.invite(mid, "Jo Smith", "parent")
	_, tokB := s.invite(mid, "Kim Lee", "carer")
	_, tokLate := s.invite(mid, "Sam Late", "uncle")
	host := s.joinAsHost(mid, true)
	a := s.mustJoinAsGuest(tokA, true)
	b := s.mustJoinAsGuest(tokB, true)
	admit(t, host, a)
	admit(t, host, b)
	waitFor(t, "everyone to exchange media", func() bool {
		return host.PacketsFrom(a.ID()) > 20 && host.PacketsFrom(b.ID()) > 20 && a.PacketsFrom(b.ID()) > 20 && b.PacketsFrom(a.ID()) > 20
	})

	errs := len(a.Errors())
	_ = a.Send(signalling.Suspend{Type: signalling.TypeSuspend})
	if code := lastErrorCode(t, a, errs); code != string(errcode.HostRequired) {
		t.Fatalf("a guest pressing suspend: %q, want %q", code, errcode.HostRequired)
	}
	if err := host.Send(signalling.Suspend{Type: signalling.TypeSuspend}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the meeting to lock", func() bool { return a.Locked() && b.Locked() })
	time.Sleep(time.Second) // packets in flight arrive within this second
	total := func() int64 {
		return host.PacketsFrom(a.ID()) + host.PacketsFrom(b.ID()) + a.PacketsFrom(b.ID()) + b.PacketsFrom(a.ID())
	}
	if before, after, ok := flat(total, 2*time.Second, 0); !ok {
		t.Errorf("participants' media still forwarded after suspend: %d → %d packets", before, after)
	}
	before := a.PacketsFrom(host.ID())
	waitFor(t, "the host's own media to keep flowing", func() bool { return a.PacketsFrom(host.ID()) > before+20 })
	if _, err := s.joinAsGuest(tokLate, false); refusalCode(err) != string(errcode.MeetingLocked) {
		t.Errorf("joining a suspended meeting: %v, want %s", err, errcode.MeetingLocked)
	}
	// Chat stops too: participants are told, and their messages are refused.
	waitFor(t, "the participants to be stopped from posting", func() bool { return a.ChatBlocked() && b.ChatBlocked() })
	if code := say(t, a, "everyone", "lol"); code != string(errcode.ChatBlocked) {
		t.Errorf("posting in a suspended meeting: %q, want %q", code, errcode.ChatBlocked)
	}
}

// TestMute_ParticipantUnmutesOnlyWhenAsked: under the children's profile a
// participant enters muted and may unmute only when a host asks; the server
// forwards nothing of their microphone until then, whatever their client
// sends. Then the participant chooses.
func TestMute_ParticipantUnmutesOnlyWhenAsked(t *testing.T) {
	s := startServer(t, nil)
	mid := s.createMeetingWithProfile(policy.ProfileChildren)
	_, tok := s.invite(mid, "Jo Smith", "parent")
	host := s.joinAsHost(mid, false)
	g := s.mustJoinAsGuest(tok, true)
	admit(t, host, g)
	audio := func() int64 { return host.PacketsFromKind(g.ID(), "audio") }
	waitFor(t, "the host to receive Jo's camera", func() bool { return host.PacketsFromKind(g.ID(), "video") > 30 })
	if n := audio(); n != 0 {
		t.Fatalf("the host received %d audio packets from a participant who entered muted", n)
	}
	if p := g.Roster()[g.ID()]; !p.AudioBlocked || !p.AudioHeld {
		t.Fatalf("Jo's own entry = %+v, want audio blocked and held", p)
	}

	before := len(g.Errors())
	if err := g.Send(signalling.Unmute{Type: signalling.TypeUnmute, Kind: "audio"}); err != nil {
		t.Fatal(err)
	}
	if code := lastErrorCode(t, g, before); code != string(errcode.UnmuteNotAllowed) {
		t.Fatalf("unmuting unasked: %q, want %q", code, errcode.UnmuteNotAllowed)
	}

	if err := host.Send(signalling.AskUnmute{Type: signalling.TypeAskUnmute, Participant: g.ID(), Kind: "audio"}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "Jo to be asked to unmute", func() bool { return len(g.UnmuteRequests()) == 1 })
	if n := audio(); n != 0 {
		t.Fatalf("asking to unmute let %d audio packets through before Jo chose", n)
	}
	if err := g.Send(signalling.Unmute{Type: signalling.TypeUnmute, Kind: "audio"}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "Jo's audio to reach the host", func() bool { return audio() > 20 })
}
