package main

import (
	"testing"
	"time"

	"safemeet/internal/errcode"
	"safemeet/internal/webrtctest"
)

// admitted waits until the host sees p waiting, admits them, and waits until p
// knows it.
func admit(t *testing.T, host, p *webrtctest.Participant) {
	t.Helper()
	id := p.Welcome().Participant
	// Waiting, and ready to admit: any participation contract accepted.
	waitFor(t, "the host to see "+p.Welcome().Name+" waiting", func() bool {
		for _, w := range host.Waiting() {
			if w.ID == id && (w.ContractAccepted == nil || *w.ContractAccepted) {
				return true
			}
		}
		return false
	})
	if err := host.Admit(id); err != nil {
		t.Fatalf("admit: %v", err)
	}
	waitFor(t, p.Welcome().Name+" to be admitted", func() bool { return p.Admission() == "admitted" })
}

func TestMeeting_ThreeParticipantsExchangeMedia(t *testing.T) {
	s := startServer(t, nil)
	mid := s.createMeeting()
	_, tokA := s.invite(mid, "Jo Smith", "parent of Sam, 9B")
	_, tokB := s.invite(mid, "Alex Green", "school nurse")

	host := s.joinAsHost(mid, true)
	a := s.mustJoinAsGuest(tokA, true)
	b := s.mustJoinAsGuest(tokB, true)
	admit(t, host, a)
	admit(t, host, b)

	all := []*webrtctest.Participant{host, a, b}
	for _, rx := range all {
		for _, tx := range all {
			if rx == tx {
				continue
			}
			from := tx.Welcome().Participant
			waitFor(t, rx.Welcome().Name+" to receive RTP from "+tx.Welcome().Name, func() bool {
				return rx.PacketsFrom(from) > 50
			})
		}
	}
}

func TestWaitingRoom_WaitingParticipantReceivesNoMedia(t *testing.T) {
	s := startServer(t, nil)
	mid := s.createMeeting()
	_, tokA := s.invite(mid, "Jo Smith", "parent")
	_, tokW := s.invite(mid, "Kim Lee", "carer")

	host := s.joinAsHost(mid, true)
	a := s.mustJoinAsGuest(tokA, true)
	admit(t, host, a)
	waiter := s.mustJoinAsGuest(tokW, true)
	waitFor(t, "the host to see the second guest waiting", func() bool { return len(host.Waiting()) == 1 })

	waitFor(t, "host and guest to exchange media", func() bool {
		return host.PacketsFrom(a.Welcome().Participant) > 50 && a.PacketsFrom(host.Welcome().Participant) > 50
	})
	before := host.PacketsFrom(a.Welcome().Participant)
	time.Sleep(3 * time.Second)
	if host.PacketsFrom(a.Welcome().Participant) <= before {
		t.Fatal("media stopped flowing between admitted participants; the waiting check proves nothing")
	}
	if got := waiter.TotalPackets(); got != 0 {
		t.Errorf("waiting participant received %d RTP packets, want 0", got)
	}
	if got := len(waiter.Roster()); got != 0 {
		t.Errorf("waiting participant knows %d roster entries, want 0", got)
	}
	if got := len(waiter.Waiting()); got != 0 {
		t.Errorf("waiting participant sees %d people in the waiting room, want 0", got)
	}
	if got := waiter.Admission(); got != "waiting" {
		t.Errorf("admission = %q, want waiting", got)
	}
}

func TestWaitingRoom_HostArrivalAdmitsNobody(t *testing.T) {
	s := startServer(t, nil)
	mid := s.createMeeting()
	_, tok1 := s.invite(mid, "Jo Smith", "parent")
	_, tok2 := s.invite(mid, "Kim Lee", "carer")
	g1 := s.mustJoinAsGuest(tok1, false)
	g2 := s.mustJoinAsGuest(tok2, false)
	for _, g := range []*webrtctest.Participant{g1, g2} {
		if got := g.Admission(); got != "waiting" {
			t.Fatalf("guest admission before the host arrives = %q, want waiting", got)
		}
	}

	host := s.joinAsHost(mid, false)
	waitFor(t, "the host to see both guests waiting", func() bool { return len(host.Waiting()) == 2 })
	time.Sleep(time.Second)
	for _, g := range []*webrtctest.Participant{g1, g2} {
		if got := g.Admission(); got != "waiting" {
			t.Errorf("%s admission after the host arrived = %q, want waiting", g.Welcome().Name, got)
		}
	}
	if got := len(host.Roster()); got != 1 {
		t.Errorf("host roster has %d people, want 1 (the host alone)", got)
	}
	names := map[string]string{}
	for _, w := range host.Waiting() {
		names[w.Name] = w.RoleLabel
	}
	if names["Jo Smith"] != "parent" || names["Kim Lee"] != "carer" {
		t.Errorf("host sees waiting %v, want the invitations' names and roles", names)
	}
}

func TestWaitingRoom_DeniedGuestIsClosedAndCannotReturn(t *testing.T) {
	s := startServer(t, nil)
	mid := s.createMeeting()
	_, tok := s.invite(mid, "Jo Smith", "parent")
	host := s.joinAsHost(mid, false)
	g := s.mustJoinAsGuest(tok, false)
	waitFor(t, "the host to see the guest", func() bool { return len(host.Waiting()) == 1 })
	if err := host.Deny(g.Welcome().Participant); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the guest to be told they were denied", func() bool { return g.Admission() == "denied" })
	waitFor(t, "the host's waiting room to empty", func() bool { return len(host.Waiting()) == 0 })
	_, err := s.joinAsGuest(tok, false)
	if code := refusalCode(err); code != string(errcode.Denied) {
		t.Errorf("rejoin after denial: code %q (%v), want %q", code, err, errcode.Denied)
	}
}

func TestWaitingRoom_GuestCannotAdmitThemselves(t *testing.T) {
	s := startServer(t, nil)
	mid := s.createMeeting()
	_, tok := s.invite(mid, "Jo Smith", "parent")
	host := s.joinAsHost(mid, false)
	g := s.mustJoinAsGuest(tok, false)
	if err := g.Admit(g.Welcome().Participant); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "an error for the self-admission", func() bool { return len(g.Errors()) > 0 })
	if got := g.Errors()[0].Code; got != string(errcode.NotAllowedNow) {
		t.Errorf("error code = %q, want %q", got, errcode.NotAllowedNow)
	}
	time.Sleep(300 * time.Millisecond)
	if got := g.Admission(); got != "waiting" {
		t.Errorf("admission = %q, want waiting", got)
	}
	if len(host.Roster()) != 1 {
		t.Errorf("host roster = %v, want the host alone", host.Roster())
	}
}
