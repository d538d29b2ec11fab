package main

import (
	"slices"
	"strings"
	"testing"
	"time"

	"safemeet/internal/errcode"
	"safemeet/internal/meeting"
	"safemeet/internal/policy"
	"safemeet/internal/signalling"
	"safemeet/internal/webrtctest"
)

// say posts a chat message and returns the code of its refusal, or "" once the
// sender has it back (every sender sees their own message).
func say(t *testing.T, p *webrtctest.Participant, to, text string) string {
	t.Helper()
	errs, got := len(p.Errors()), p.ChatReceived()
	if err := p.Send(signalling.ChatSend{Type: signalling.TypeChatSend, To: to, Text: text}); err != nil {
		t.Fatal(err)
	}
	var code string
	waitFor(t, p.Welcome().Name+"'s message to be answered", func() bool {
		for _, e := range p.Errors()[errs:] {
			if e.Ref == signalling.TypeChatSend {
				code = e.Code
				return true
			}
		}
		return p.ChatReceived() > got
	})
	return code
}

// quiet reports whether p receives no new chat for a moment (after a message
// others got had time to reach p too).
func quiet(p *webrtctest.Participant, before int) bool {
	time.Sleep(300 * time.Millisecond)
	return p.ChatReceived() == before
}

func TestChat_DirectMessageRefusedWhenProfileForbids(t *testing.T) {
	_, _, host, g := admittedRoom(t, policy.ProfileChildren, "Sam Pupil", "Mr Adult")
	sam, adult := g[0], g[1]
	before := sam.ChatReceived()
	if code := say(t, adult, sam.ID(), "just between us"); code != string(errcode.DirectMessagesOff) {
		t.Fatalf("a direct message under the children's profile: %q, want %q", code, errcode.DirectMessagesOff)
	}
	if !quiet(sam, before) {
		t.Fatalf("Sam received a refused direct message: %v", sam.ChatText())
	}
	// The host cannot open a private line either.
	if code := say(t, host, sam.ID(), "hello"); code != string(errcode.DirectMessagesOff) {
		t.Fatalf("the host's direct message: %q, want %q", code, errcode.DirectMessagesOff)
	}
}

func TestChat_DirectMessagesVisibleToHostsWhenAllowed(t *testing.T) {
	s, mid, host, g := admittedRoom(t, policy.ProfileInternalStaff, "Ann", "Ben", "Cal", "Dee")
	ann, ben, cal, dee := g[0], g[1], g[2], g[3]
	if err := host.Send(signalling.CoHost{Type: signalling.TypeCoHost, Participant: cal.ID(), On: true}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "Cal to be co-host", func() bool { return cal.Role() == "co-host" })
	deeBefore := dee.ChatReceived()
	if code := say(t, ann, ben.ID(), "are you free after?"); code != "" {
		t.Fatalf("a direct message where allowed: %s", code)
	}
	for _, p := range []*webrtctest.Participant{ben, host, cal} {
		waitFor(t, p.Welcome().Name+" to see the direct message", func() bool {
			c := p.Chat()
			return len(c) > 0 && c[len(c)-1].Text == "are you free after?" && c[len(c)-1].To == "direct" && c[len(c)-1].ToParticipant == ben.ID()
		})
	}
	if !quiet(dee, deeBefore) {
		t.Fatalf("a participant outside the direct message saw it: %v", dee.ChatText())
	}
	// The direct message is kept with the meeting's record.
	recs, err := s.m.db.ChatRecords(s.ctx(), meeting.ID(mid))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(recs); n == 0 || recs[n-1].Audience != "direct" || recs[n-1].Text != "are you free after?" ||
		recs[n-1].SenderName != "Ann" || recs[n-1].RecipientName != "Ben" || !strings.HasPrefix(recs[n-1].Recipient, "invitation:") {
		t.Fatalf("the meeting's chat record = %+v, want the direct message from Ann to Ben", recs)
	}
}

func TestChat_ToHostsReachesEveryHostAndCoHostOnly(t *testing.T) {
	_, _, host, g := admittedRoom(t, policy.ProfileChildren, "Sam Pupil", "Co Host", "Other Pupil")
	sam, co, other := g[0], g[1], g[2]
	if err := host.Send(signalling.CoHost{Type: signalling.TypeCoHost, Participant: co.ID(), On: true}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the co-host's role", func() bool { return co.Role() == "co-host" })
	before := other.ChatReceived()
	if code := say(t, sam, "hosts", "I need to talk to someone"); code != "" {
		t.Fatalf("a message to the hosts: %s", code)
	}
	for _, p := range []*webrtctest.Participant{host, co} {
		waitFor(t, p.Welcome().Name+" to get the message to the hosts", func() bool {
			return slices.Contains(p.ChatText(), "I need to talk to someone")
		})
	}
	if !quiet(other, before) {
		t.Fatalf("another participant saw a message to the hosts: %v", other.ChatText())
	}
}

func TestChat_HostDeletesMessageForEveryone(t *testing.T) {
	s, mid, host, g := admittedRoom(t, policy.ProfileAdults, "Sam Pupil", "Kim Pupil")
	sam, kim := g[0], g[1]
	say(t, sam, "everyone", "something unkind")
	say(t, sam, "everyone", "sorry")
	waitFor(t, "Kim to see both messages", func() bool { return len(kim.Chat()) == 2 })
	id := kim.Chat()[0].ID

	if err := host.Send(signalling.ChatDelete{Type: signalling.TypeChatDelete, Message: id}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []*webrtctest.Participant{host, sam, kim} {
		waitFor(t, p.Welcome().Name+" to lose the deleted message", func() bool {
			return slices.Equal(p.ChatText(), []string{"sorry"})
		})
	}
	// A late joiner's history does not have it either.
	_, tok := s.invite(mid, "Late Pupil", "tester")
	late := s.mustJoinAsGuest(tok, false)
	admit(t, host, late)
	waitFor(t, "the late joiner's history", func() bool { return slices.Equal(late.ChatText(), []string{"sorry"}) })

	// Only hosts delete.
	before := len(kim.Errors())
	if err := kim.Send(signalling.ChatDelete{Type: signalling.TypeChatDelete, Message: kim.Chat()[0].ID}); err != nil {
		t.Fatal(err)
	}
	if code := lastErrorCode(t, kim, before); code != string(errcode.HostRequired) {
		t.Fatalf("a participant deleting: %q, want %q", code, errcode.HostRequired)
	}
}

func TestChat_BlockedParticipantCannotPost(t *testing.T) {
	_, _, host, g := admittedRoom(t, policy.ProfileChildren, "Sam Pupil", "Kim Pupil")
	sam, kim := g[0], g[1]
	if err := host.Send(signalling.ChatBlock{Type: signalling.TypeChatBlock, Participant: sam.ID(), Blocked: true}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "Sam to be told he cannot post", sam.ChatBlocked)
	before := kim.ChatReceived()
	if code := say(t, sam, "everyone", "let me in"); code != string(errcode.ChatBlocked) {
		t.Fatalf("a blocked participant posting: %q, want %q", code, errcode.ChatBlocked)
	}
	if !quiet(kim, before) {
		t.Fatalf("Kim received a blocked participant's message: %v", kim.ChatText())
	}

	if err := host.Send(signalling.ChatBlock{Type: signalling.TypeChatBlock, Participant: sam.ID(), Blocked: false}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "Sam to be let post again", func() bool { return !sam.ChatBlocked() })
	if code := say(t, sam, "everyone", "thank you"); code != "" {
		t.Fatalf("posting after the block was lifted: %s", code)
	}
}

func TestChat_WaitingParticipantReceivesNoChat(t *testing.T) {
	s, mid, host, g := admittedRoom(t, policy.ProfileAdults, "Sam Pupil")
	_, tok := s.invite(mid, "Wendy Waiting", "tester")
	w := s.mustJoinAsGuest(tok, false)
	waitFor(t, "the host to see Wendy waiting", func() bool { return len(host.Waiting()) == 1 })
	say(t, g[0], "everyone", "hello all")
	say(t, host, "everyone", "welcome")
	if code := say(t, w, "everyone", "can I come in?"); code != string(errcode.NotAllowedNow) {
		t.Fatalf("a waiting participant posting: %q, want %q", code, errcode.NotAllowedNow)
	}
	time.Sleep(300 * time.Millisecond)
	if n := w.ChatReceived(); n != 0 {
		t.Fatalf("a waiting participant received %d chat messages", n)
	}
	if p := w.Problems(); len(p) > 0 {
		t.Fatalf("the waiting participant was sent room messages: %v", p)
	}
	// Once admitted, the history since the start (children's profile).
	admit(t, host, w)
	waitFor(t, "Wendy to get the history", func() bool { return slices.Equal(w.ChatText(), []string{"hello all", "welcome"}) })
}

func TestChat_RateLimitAndLengthLimit(t *testing.T) {
	_, _, host, g := admittedRoom(t, policy.ProfileChildren, "Sam Pupil")
	sam := g[0]
	if code := say(t, sam, "everyone", strings.Repeat("a", 2001)); code != string(errcode.ChatTooLong) {
		t.Fatalf("2,001 characters: %q, want %q", code, errcode.ChatTooLong)
	}
	if code := say(t, sam, "everyone", strings.Repeat("a", 2000)); code != "" {
		t.Fatalf("2,000 characters: %q, want accepted", code)
	}
	before := len(sam.Errors())
	if err := sam.SendRaw([]byte("{\"type\":\"chat_send\",\"to\":\"everyone\",\"text\":\"\xff\xfe\"}")); err != nil {
		t.Fatal(err)
	}
	if code := lastErrorCode(t, sam, before); code != string(errcode.BadMessage) {
		t.Fatalf("invalid UTF-8: %q, want %q", code, errcode.BadMessage)
	}
	if code := say(t, sam, "everyone", "\u202egnp.exe"); code != "" {
		t.Fatalf("a message with a bidi override: %q, want accepted with the override stripped", code)
	}
	waitFor(t, "the host to see the message without its override", func() bool { return slices.Contains(host.ChatText(), "gnp.exe") })
	for i := range 3 {
		if code := say(t, sam, "everyone", "message "+string(rune('1'+i))); code != "" {
			t.Fatalf("message %d of 5: %s", i+3, code)
		}
	}
	if code := say(t, sam, "everyone", "one too many"); code != string(errcode.ChatSlowDown) {
		t.Fatalf("the sixth message in five seconds: %q, want %q", code, errcode.ChatSlowDown)
	}
	// Nobody else is affected: the host posts and everyone gets it.
	if code := say(t, host, "everyone", "still here"); code != "" {
		t.Fatalf("the host posting: %s", code)
	}
	waitFor(t, "Sam to receive the host's message", func() bool { return slices.Contains(sam.ChatText(), "still here") })
	if slices.Contains(host.ChatText(), "one too many") {
		t.Fatal("a rate-limited message was delivered")
	}
}

func TestRaiseHand_QueueOrderAndHostLowers(t *testing.T) {
	_, _, host, g := admittedRoom(t, policy.ProfileChildren, "Ann", "Ben", "Cal")
	ann, ben, cal := g[0], g[1], g[2]
	for _, p := range []*webrtctest.Participant{ben, ann, cal} {
		if err := p.Send(signalling.Hand{Type: signalling.TypeHand, Raised: true}); err != nil {
			t.Fatal(err)
		}
		want := p.ID()
		waitFor(t, p.Welcome().Name+"'s hand in the queue", func() bool { return slices.Contains(host.Hands(), want) })
	}
	// Raising again keeps the place.
	_ = ben.Send(signalling.Hand{Type: signalling.TypeHand, Raised: true})
	want := []string{ben.ID(), ann.ID(), cal.ID()}
	waitFor(t, "everyone to see the queue in order", func() bool { return slices.Equal(cal.Hands(), want) && slices.Equal(host.Hands(), want) })

	before := len(ann.Errors())
	if err := ann.Send(signalling.LowerHand{Type: signalling.TypeLowerHand, Participant: ben.ID()}); err != nil {
		t.Fatal(err)
	}
	if code := lastErrorCode(t, ann, before); code != string(errcode.HostRequired) {
		t.Fatalf("a participant lowering another's hand: %q, want %q", code, errcode.HostRequired)
	}
	if err := host.Send(signalling.LowerHand{Type: signalling.TypeLowerHand, Participant: ben.ID()}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "Ben's hand to go down", func() bool { return slices.Equal(ann.Hands(), []string{ann.ID(), cal.ID()}) })
	_ = cal.Send(signalling.Hand{Type: signalling.TypeHand, Raised: false})
	waitFor(t, "Cal to lower his own hand", func() bool { return slices.Equal(host.Hands(), []string{ann.ID()}) })
	// Leaving lowers the hand.
	_ = ann.Leave()
	waitFor(t, "Ann's hand to go when she leaves", func() bool { return len(host.Hands()) == 0 })
}
