package main

import (
	"encoding/json"
	"testing"
	"time"

	"safemeet/internal/errcode"
	"safemeet/internal/policy"
	"safemeet/internal/signalling"
	"safemeet/internal/webrtctest"
)

// TestScreenShare_ParticipantRefusedUnderHostOnlyProfile: under the children's
// profile only the host may share. A participant's request is refused, and a
// tampered client that publishes a screen anyway reaches nobody; the host's
// share reaches everyone.
func TestScreenShare_ParticipantRefusedUnderHostOnlyProfile(t *testing.T) {
	s := startServer(t, nil)
	mid := s.createMeetingWithProfile(policy.ProfileChildren)
	_, tok := s.invite(mid, "Jo Smith", "parent")
	ho := s.hostOptions(mid)
	ho.Publish, ho.Screen = true, true
	host, err := s.dial(ho)
	if err != nil {
		t.Fatal(err)
	}
	gopts := s.guestOptions(tok)
	gopts.Publish, gopts.Screen = true, true // publishes a screen whatever the server says
	g, err := s.dial(gopts)
	if err != nil {
		t.Fatal(err)
	}
	admit(t, host, g)
	waitFor(t, "the host to receive Jo's camera", func() bool { return host.PacketsFromKind(g.ID(), "video") > 30 })

	before := len(g.Errors())
	if err := g.Send(signalling.Share{Type: signalling.TypeShare, On: true}); err != nil {
		t.Fatal(err)
	}
	if code := lastErrorCode(t, g, before); code != string(errcode.ShareNotAllowed) {
		t.Fatalf("participant asking to share: %q, want %q", code, errcode.ShareNotAllowed)
	}
	if b, a, ok := flat(func() int64 { return host.ScreenPacketsFrom(g.ID()) }, time.Second, 0); !ok || a != 0 {
		t.Fatalf("the host received %d→%d packets of a refused screen share", b, a)
	}

	if err := host.Send(signalling.Share{Type: signalling.TypeShare, On: true}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "Jo to receive the host's screen", func() bool { return g.ScreenPacketsFrom(host.ID()) > 30 })
	waitFor(t, "Jo to see that the host shares", func() bool { return g.Roster()[host.ID()].Screen })
}

// TestScreenShare_HostStopsParticipantsShare: under a profile that lets
// everyone share, the host stops a participant's share and the SFU stops
// forwarding it at once.
func TestScreenShare_HostStopsParticipantsShare(t *testing.T) {
	s := startServer(t, nil)
	mid := s.createMeeting()
	_, tok := s.invite(mid, "Jo Smith", "parent")
	host := s.joinAsHost(mid, false)
	gopts := s.guestOptions(tok)
	gopts.Publish, gopts.Screen = true, true
	g, err := s.dial(gopts)
	if err != nil {
		t.Fatal(err)
	}
	admit(t, host, g)
	if err := g.Send(signalling.Share{Type: signalling.TypeShare, On: true}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the host to receive Jo's screen", func() bool { return host.ScreenPacketsFrom(g.ID()) > 30 })

	if err := host.Send(signalling.StopShare{Type: signalling.TypeStopShare, Participant: g.ID()}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "Jo to be told the share stopped", func() bool { return !g.Roster()[g.ID()].Screen && !host.Roster()[g.ID()].Screen })
	time.Sleep(300 * time.Millisecond) // packets already in flight
	if b, a, ok := flat(func() int64 { return host.ScreenPacketsFrom(g.ID()) }, time.Second, 0); !ok {
		t.Fatalf("the host still received Jo's screen after it was stopped: %d→%d packets", b, a)
	}
}

// TestProfile_HostCannotLoosenRunningMeeting: the host may make a running
// meeting stricter than its profile, never looser, and everyone in the room
// sees the rules in force.
func TestProfile_HostCannotLoosenRunningMeeting(t *testing.T) {
	_, _, host, guests := admittedRoom(t, policy.ProfileChildren, "Jo Smith")
	g := guests[0]
	waitFor(t, "Jo to see the meeting's rules", func() bool { return g.Rules().ScreenShare == policy.ShareHostOnly })

	base := g.Rules()
	looser := base
	looser.ScreenShare = policy.ShareEveryone
	before := len(host.Errors())
	sendRules(t, host, looser)
	if code := lastErrorCode(t, host, before); code != string(errcode.WouldLoosen) {
		t.Fatalf("loosening screen sharing: %q, want %q", code, errcode.WouldLoosen)
	}

	stricter := base
	stricter.MaxParticipants = 3
	sendRules(t, host, stricter)
	waitFor(t, "Jo to see the stricter rules", func() bool { return g.Rules().MaxParticipants == 3 })

	// A co-host cannot change the rules at all.
	before = len(g.Errors())
	sendRules(t, g, stricter)
	if code := lastErrorCode(t, g, before); code != string(errcode.HostRequired) {
		t.Fatalf("a participant changing the rules: %q, want %q", code, errcode.HostRequired)
	}
}

func sendRules(t *testing.T, p *webrtctest.Participant, r policy.Rules) {
	t.Helper()
	raw, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Send(signalling.Rules{Type: signalling.TypeRules, Rules: raw}); err != nil {
		t.Fatal(err)
	}
}
