// Package storetest is the conformance suite for store.Store: every store
// implementation runs the same tests, so that SQLite and PostgreSQL behave
// alike.
package storetest

import (
	"context"
	"testing"
	"time"

	"safemeet/internal/errcode"
	"safemeet/internal/meeting"
	"safemeet/internal/policy"
	"safemeet/internal/store"
)

// Opener returns a new, empty store, closed when the test ends.
type Opener func(t *testing.T) store.Store

// Run runs the whole suite against stores made by open.
func Run(t *testing.T, open Opener) {
	t.Run("org and staff", func(t *testing.T) { testStaff(t, open) })
	t.Run("logins", func(t *testing.T) { testLogins(t, open) })
	t.Run("sign-in links", func(t *testing.T) { testSigninLinks(t, open) })
	t.Run("profiles", func(t *testing.T) { testProfiles(t, open) })
	t.Run("meetings", func(t *testing.T) { testMeetings(t, open) })
	t.Run("invitations", func(t *testing.T) { testInvitations(t, open) })
	t.Run("roles and disabling", func(t *testing.T) { testRolesAndDisabling(t, open) })
	t.Run("meeting updates and approval", func(t *testing.T) { testMeetingUpdates(t, open) })
	t.Run("consent and delivery tokens", func(t *testing.T) { testConsentAndTokens(t, open) })
	t.Run("invitation delivery", func(t *testing.T) { testInvitationDelivery(t, open) })
	t.Run("contract acceptances", func(t *testing.T) { testContractAcceptances(t, open) })
	t.Run("outbox", func(t *testing.T) { testOutbox(t, open) })
	t.Run("settings", func(t *testing.T) { testSettings(t, open) })
	t.Run("chat record", func(t *testing.T) { testChat(t, open) })
	t.Run("audit log", func(t *testing.T) { testAudit(t, open) })
}

// t0 is a fixed time with nanoseconds, so that lost precision shows.
var t0 = time.Date(2026, 3, 4, 9, 30, 0, 123456789, time.UTC)

// wantCode fails the test unless err carries code.
func wantCode(t *testing.T, what string, err error, code errcode.Code) {
	t.Helper()
	if got := errcode.Of(err); got != code {
		t.Errorf("%s: error %v has code %q, want %q", what, err, got, code)
	}
}

// must fails the test now if err is not nil.
func must(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// addStaff creates an active account with the given email.
func addStaff(t *testing.T, s store.Store, email string) store.Staff {
	t.Helper()
	st := store.Staff{ID: meeting.NewStaffID(), Email: email, Name: "Staff " + email, CreatedAt: t0}
	must(t, "CreateStaff", s.CreateStaff(context.Background(), st))
	return st
}

// addMeeting creates a meeting hosted by host starting at starts.
func addMeeting(t *testing.T, s store.Store, host meeting.StaffID, starts time.Time) meeting.Meeting {
	t.Helper()
	m := meeting.Meeting{
		ID: meeting.NewID(), HostID: host, Title: "Review", Purpose: "Termly review",
		Profile:  policy.ProfileAdults, // not the default, so a store that drops it shows
		StartsAt: starts, Duration: 45 * time.Minute, CreatedAt: t0,
		Category: "Annual review", Approval: meeting.ApprovalPending, Revision: 2, // not the defaults either
	}
	must(t, "CreateMeeting", s.CreateMeeting(context.Background(), m))
	return m
}
