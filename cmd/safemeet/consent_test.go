package main

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"safemeet/internal/errcode"
	"safemeet/internal/meeting"
	"safemeet/internal/policy"
)

// consentView is the consent page's data, as the tests read it.
type consentView struct {
	Meeting  struct{ Title, Purpose, Host string }
	Child    struct{ Name string }
	Contract string
	Consent  struct{ State, By, At string }
	Open     bool
}

// inviteChild invites an under-16 through their parent to a children's
// meeting that is approved, and returns the parent's consent token and the
// child's join token from the one email, which went to the parent.
func (s *testServer) inviteChild(t *testing.T, smtpWait func() (string, []string)) (meetingID, invitationID, consentToken, childToken string) {
	t.Helper()
	m := s.schedule(meetingBody(string(policy.ProfileChildren), time.Now()))
	var inv struct{ Invitation struct{ ID string } }
	s.post(s.host, "/api/meetings/"+m.ID+"/invitations", map[string]any{
		"name": "Sam Pupil", "roleLabel": "pupil, 9B", "ageGroup": "under16", "email": "sam@pupils.example",
		"guardianName": "Jo Smith", "guardianEmail": "jo@home.example",
	}, http.StatusCreated, &inv)
	s.approveIfNeeded(m.ID)
	text, to := smtpWait()
	if len(to) != 1 || to[0] != "jo@home.example" {
		t.Fatalf("the child's invitation went to %v, want only the parent's address", to)
	}
	return m.ID, inv.Invitation.ID, linkToken(t, text, "consent"), linkToken(t, text, "join")
}

func (s *testServer) answerConsent(token, answer string, wantStatus int) consentView {
	s.t.Helper()
	var v consentView
	s.post(http.DefaultClient, "/api/consent/answer", map[string]any{"token": token, "answer": answer, "name": "Jo Smith"}, wantStatus, &v)
	return v
}

func TestConsent_ChildLinkInvalidUntilGuardianConsents(t *testing.T) {
	s := startServer(t, nil)
	smtp := s.useMail()
	wait := func() (string, []string) {
		var invitation string
		var to []string
		waitFor(t, "the invitation to the parent", func() bool {
			for _, m := range smtp.Messages() {
				if strings.HasPrefix(m.Header(t).Get("Subject"), "Consent needed") {
					invitation, to = m.Text(t), m.To
					return true
				}
			}
			return false
		})
		return invitation, to
	}
	mid, iid, consent, child := s.inviteChild(t, wait)
	for _, m := range smtp.Messages() {
		for _, to := range m.To {
			if to == "sam@pupils.example" {
				t.Errorf("mail went to the child's own address")
			}
		}
	}
	if got := s.lookup(child); got.Code != string(errcode.ConsentNeeded) {
		t.Errorf("child's link before consent: %+v, want %s", got, errcode.ConsentNeeded)
	}
	s.joinAsHost(mid, false)
	if _, err := s.joinAsGuest(child, false); refusalCode(err) != string(errcode.ConsentNeeded) {
		t.Errorf("child joining before consent: %v, want %s", err, errcode.ConsentNeeded)
	}

	// The consent page shows what the parent is consenting to.
	var v consentView
	s.post(http.DefaultClient, "/api/consent", map[string]any{"token": consent}, http.StatusOK, &v)
	if v.Meeting.Title != "Annual review" || v.Meeting.Purpose == "" || v.Meeting.Host == "" || v.Child.Name != "Sam Pupil" ||
		v.Contract != policy.DefaultContract || v.Consent.State != "" || !v.Open {
		t.Errorf("consent page = %+v, want the meeting, its host, the child, the contract and no answer yet", v)
	}
	// Refusing keeps the link dead; the child's own link cannot consent.
	if v := s.answerConsent(consent, "refuse", http.StatusOK); v.Consent.State != "refused" {
		t.Errorf("after refusing: %+v", v.Consent)
	}
	if got := s.lookup(child); got.Code != string(errcode.ConsentNeeded) {
		t.Errorf("child's link after refusal: %+v, want %s", got, errcode.ConsentNeeded)
	}
	var e apiRefusal
	s.post(http.DefaultClient, "/api/consent/answer", map[string]any{"token": child, "answer": "give", "name": "Sam"}, http.StatusNotFound, &e)
	if e.Code != string(errcode.InvitationInvalid) {
		t.Errorf("consenting with the child's own link: %+v, want %s", e, errcode.InvitationInvalid)
	}

	// Consent given: the link works, and the host sees who consented and when.
	before := time.Now().UTC().Add(-time.Second)
	if v := s.answerConsent(consent, "give", http.StatusOK); v.Consent.State != "given" || v.Consent.By != "Jo Smith" {
		t.Errorf("after consenting: %+v", v.Consent)
	}
	if got := s.lookup(child); got.Code != "" {
		t.Errorf("child's link after consent: %+v, want it to work", got)
	}
	host := s.joinAsHost(mid, false)
	sam := s.mustJoinAsGuest(child, false)
	waitFor(t, "the host to see Sam waiting with the consent", func() bool {
		for _, w := range host.Waiting() {
			if w.ID == sam.ID() && w.AgeGroup == "under16" && w.Consent != nil && w.Consent.By == "Jo Smith" {
				at, err := time.Parse(time.RFC3339, w.Consent.At)
				return err == nil && !at.Before(before.Truncate(time.Second))
			}
		}
		return false
	})
	for _, i := range s.invitations(mid) {
		if i.ID == iid && (i.Consent.State != "given" || i.Consent.By != "Jo Smith") {
			t.Errorf("host's page shows consent %+v", i.Consent)
		}
	}
	if !s.audited("consent.give", "guardian:"+iid) || !s.audited("consent.refuse", "guardian:"+iid) {
		t.Error("the parent's answers are not in the audit log")
	}
}

func TestConsent_WithdrawalRevokesLink(t *testing.T) {
	s := startServer(t, nil)
	smtp := s.useMail()
	wait := func() (string, []string) {
		m := smtp.Wait(t, 1, 10*time.Second)[0]
		return m.Text(t), m.To
	}
	mid, _, consent, child := s.inviteChild(t, wait)
	s.answerConsent(consent, "give", http.StatusOK)
	host := s.joinAsHost(mid, false)
	sam := s.mustJoinAsGuest(child, false)
	admit(t, host, sam)

	v := s.answerConsent(consent, "withdraw", http.StatusOK)
	if v.Consent.State != "withdrawn" || v.Open {
		t.Errorf("after withdrawing: %+v, want withdrawn and closed", v)
	}
	waitFor(t, "Sam to be taken out of the meeting", func() bool { return sam.Admission() != "admitted" })
	if got := s.lookup(child); got.Code != string(errcode.InvitationInvalid) {
		t.Errorf("child's link after withdrawal: %+v, want %s", got, errcode.InvitationInvalid)
	}
	if _, err := s.joinAsGuest(child, false); refusalCode(err) == "" {
		t.Error("the child rejoined after consent was withdrawn")
	}
	// Withdrawn is final for this link: it cannot be given again behind the host's back.
	var e apiRefusal
	s.post(http.DefaultClient, "/api/consent/answer", map[string]any{"token": consent, "answer": "give", "name": "Jo Smith"}, http.StatusGone, &e)
	if e.Code != string(errcode.ConsentClosed) {
		t.Errorf("consenting again after withdrawal: %+v, want %s", e, errcode.ConsentClosed)
	}
}

func TestContract_HostCannotAdmitBeforeAcceptance(t *testing.T) {
	s := startServer(t, nil)
	mid := s.createMeetingWithProfile(policy.ProfileAdults)
	iid, token := s.invite(mid, "Jo Smith", "parent")
	host := s.joinAsHost(mid, false)
	o := s.guestOptions(token)
	o.AcceptContract = false
	jo, err := s.dial(o)
	if err != nil {
		t.Fatal(err)
	}
	offer := jo.Welcome().Contract
	if offer == nil || offer.Text != policy.DefaultContract || offer.Hash != policy.ContractHash(policy.DefaultContract) || offer.Accepted {
		t.Fatalf("welcome's contract = %+v, want the profile's contract, not yet accepted", offer)
	}
	waitFor(t, "the host to see Jo waiting without the contract", func() bool {
		w := host.Waiting()
		return len(w) == 1 && w[0].ID == jo.ID() && w[0].ContractAccepted != nil && !*w[0].ContractAccepted
	})
	if err := host.Admit(jo.ID()); err != nil {
		t.Fatal(err)
	}
	if code := lastErrorCode(t, host, 0); code != string(errcode.ContractNotAccepted) {
		t.Errorf("admitting before acceptance refused with %q, want %s", code, errcode.ContractNotAccepted)
	}
	if err := host.Send(map[string]string{"type": "admit_all"}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond)
	if jo.Admission() != "waiting" {
		t.Fatalf("Jo is %s before accepting the contract, want waiting", jo.Admission())
	}

	// Accepting another text (a stale page) is refused; the real one counts and is kept.
	errsBefore := len(jo.Errors()) // counted before sending: the error may come back at once
	if err := jo.Send(map[string]string{"type": "accept_contract", "hash": policy.ContractHash("Be nice.")}); err != nil {
		t.Fatal(err)
	}
	if code := lastErrorCode(t, jo, errsBefore); code != string(errcode.ContractChanged) {
		t.Errorf("accepting another text refused with %q, want %s", code, errcode.ContractChanged)
	}
	if err := jo.AcceptContract(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the acceptance confirmed", jo.ContractAccepted)
	admit(t, host, jo)
	acc, err := s.m.db.ContractAcceptances(context.Background(), meeting.ID(mid))
	if err != nil {
		t.Fatal(err)
	}
	if len(acc) != 1 || string(acc[0].Invitation) != iid || acc[0].ContractHash != policy.ContractHash(policy.DefaultContract) ||
		acc[0].Name != "Jo Smith" || time.Since(acc[0].At) > time.Minute {
		t.Errorf("stored acceptances = %+v, want Jo's of this contract, just now", acc)
	}
	if !s.audited("contract.accept", "invitation:"+iid) {
		t.Error("the acceptance is not in the audit log")
	}
	// Leaving and coming back (a new place in the room), Jo is not asked again.
	if err := jo.Leave(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "Jo's place to go", func() bool { _, in := host.Roster()[jo.ID()]; return !in })
	again, err := s.dial(o)
	if err != nil {
		t.Fatal(err)
	}
	if c := again.Welcome().Contract; c == nil || !c.Accepted {
		t.Errorf("returning, Jo's contract = %+v, want it accepted already", c)
	}
}

// audited reports whether the audit log has an allowed entry of action by actor.
func (s *testServer) audited(action, actor string) bool {
	s.t.Helper()
	entries, err := s.m.db.AuditEntries(s.ctx(), 0, 100000)
	if err != nil {
		s.t.Fatal(err)
	}
	for _, e := range entries {
		if e.Action == action && e.Actor == actor && e.Outcome == "allowed" {
			return true
		}
	}
	return false
}
