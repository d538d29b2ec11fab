package storetest

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"safemeet/internal/errcode"
	"safemeet/internal/meeting"
)

func testMeetings(t *testing.T, open Opener) {
	ctx := context.Background()
	t.Run("a meeting reads back exactly", func(t *testing.T) {
		s := open(t)
		host := addStaff(t, s, "host@x.example")
		want := addMeeting(t, s, host.ID, t0.Add(24*time.Hour))
		got, err := s.Meeting(ctx, want.ID)
		must(t, "Meeting", err)
		if got != want {
			t.Errorf("Meeting = %+v, want %+v", got, want)
		}
	})
	t.Run("an unknown meeting is not found", func(t *testing.T) {
		s := open(t)
		_, err := s.Meeting(ctx, "nope")
		wantCode(t, "Meeting", err, errcode.NotFound)
	})
	t.Run("a meeting whose host does not exist is not found", func(t *testing.T) {
		s := open(t)
		err := s.CreateMeeting(ctx, meeting.Meeting{ID: meeting.NewID(), HostID: "nobody", StartsAt: t0, CreatedAt: t0})
		wantCode(t, "CreateMeeting", err, errcode.NotFound)
	})
	t.Run("a meeting ID used twice is a conflict", func(t *testing.T) {
		s := open(t)
		host := addStaff(t, s, "host@x.example")
		m := addMeeting(t, s, host.ID, t0)
		wantCode(t, "CreateMeeting", s.CreateMeeting(ctx, m), errcode.Conflict)
	})
	t.Run("a host's meetings are listed soonest first without others' meetings", func(t *testing.T) {
		s := open(t)
		host := addStaff(t, s, "host@x.example")
		other := addStaff(t, s, "other@x.example")
		later := addMeeting(t, s, host.ID, t0.Add(48*time.Hour))
		addMeeting(t, s, other.ID, t0.Add(time.Hour))
		sooner := addMeeting(t, s, host.ID, t0.Add(time.Nanosecond))
		got, err := s.MeetingsByHost(ctx, host.ID)
		must(t, "MeetingsByHost", err)
		if want := []meeting.Meeting{sooner, later}; !slices.Equal(got, want) {
			t.Errorf("MeetingsByHost = %+v, want %+v", got, want)
		}
	})
	t.Run("ending a meeting twice keeps the first end time", func(t *testing.T) {
		s := open(t)
		host := addStaff(t, s, "host@x.example")
		m := addMeeting(t, s, host.ID, t0)
		must(t, "EndMeeting", s.EndMeeting(ctx, m.ID, t0.Add(time.Minute)))
		must(t, "second EndMeeting", s.EndMeeting(ctx, m.ID, t0.Add(time.Hour)))
		got, err := s.Meeting(ctx, m.ID)
		must(t, "Meeting", err)
		if want := t0.Add(time.Minute); got.EndedAt != want {
			t.Errorf("EndedAt = %v, want %v", got.EndedAt, want)
		}
	})
	t.Run("ending an unknown meeting is not found", func(t *testing.T) {
		s := open(t)
		wantCode(t, "EndMeeting", s.EndMeeting(ctx, "nope", t0), errcode.NotFound)
	})
}

func testInvitations(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t)
	host := addStaff(t, s, "host@x.example")
	m := addMeeting(t, s, host.ID, t0)
	other := addMeeting(t, s, host.ID, t0)
	invite := func(name, hash string, created time.Time) meeting.Invitation {
		t.Helper()
		inv := meeting.Invitation{
			ID: meeting.NewInvitationID(), MeetingID: m.ID, Name: name, RoleLabel: "parent", CreatedAt: created,
			Email: strings.ToLower(name) + "@home.example", AgeGroup: meeting.AgeAdult, Delivery: meeting.DeliveryQueued,
			NextAttemptAt: created,
		}
		must(t, "CreateInvitation", s.CreateInvitation(ctx, inv, hash))
		return inv
	}
	second := invite("Bo", "hash-bo", t0.Add(time.Second))
	first := invite("Al", "hash-al", t0)

	t.Run("an invitation reads back exactly by token hash and by ID", func(t *testing.T) {
		got, err := s.InvitationByTokenHash(ctx, "hash-al")
		must(t, "InvitationByTokenHash", err)
		if got != first {
			t.Errorf("InvitationByTokenHash = %+v, want %+v", got, first)
		}
		got, err = s.Invitation(ctx, m.ID, first.ID)
		must(t, "Invitation", err)
		if got != first {
			t.Errorf("Invitation = %+v, want %+v", got, first)
		}
	})
	t.Run("an invitation asked for under another meeting is not found", func(t *testing.T) {
		_, err := s.Invitation(ctx, other.ID, first.ID)
		wantCode(t, "Invitation", err, errcode.NotFound)
		wantCode(t, "RevokeInvitation", s.RevokeInvitation(ctx, other.ID, first.ID, t0), errcode.NotFound)
		wantCode(t, "ReplaceInvitationToken", s.ReplaceInvitationToken(ctx, other.ID, first.ID, "h"), errcode.NotFound)
	})
	t.Run("a meeting's invitations are listed oldest first", func(t *testing.T) {
		got, err := s.Invitations(ctx, m.ID)
		must(t, "Invitations", err)
		if want := []meeting.Invitation{first, second}; !slices.Equal(got, want) {
			t.Errorf("Invitations = %+v, want %+v", got, want)
		}
	})
	t.Run("a token hash used twice is a conflict", func(t *testing.T) {
		inv := meeting.Invitation{ID: meeting.NewInvitationID(), MeetingID: m.ID, Name: "X", CreatedAt: t0}
		wantCode(t, "CreateInvitation", s.CreateInvitation(ctx, inv, "hash-al"), errcode.Conflict)
	})
	t.Run("an invitation to an unknown meeting is not found", func(t *testing.T) {
		inv := meeting.Invitation{ID: meeting.NewInvitationID(), MeetingID: "nope", Name: "X", CreatedAt: t0}
		wantCode(t, "CreateInvitation", s.CreateInvitation(ctx, inv, "hash-x"), errcode.NotFound)
	})
	t.Run("a replaced token stops working and the new one finds the invitation", func(t *testing.T) {
		must(t, "ReplaceInvitationToken", s.ReplaceInvitationToken(ctx, m.ID, second.ID, "hash-bo-2"))
		_, err := s.InvitationByTokenHash(ctx, "hash-bo")
		wantCode(t, "InvitationByTokenHash(old)", err, errcode.NotFound)
		got, err := s.InvitationByTokenHash(ctx, "hash-bo-2")
		must(t, "InvitationByTokenHash(new)", err)
		if got != second {
			t.Errorf("InvitationByTokenHash(new) = %+v, want %+v", got, second)
		}
	})
	t.Run("revoking twice keeps the first time and the revoked invitation is still found", func(t *testing.T) {
		must(t, "RevokeInvitation", s.RevokeInvitation(ctx, m.ID, first.ID, t0.Add(time.Minute)))
		must(t, "second RevokeInvitation", s.RevokeInvitation(ctx, m.ID, first.ID, t0.Add(time.Hour)))
		got, err := s.InvitationByTokenHash(ctx, "hash-al")
		must(t, "InvitationByTokenHash", err)
		if want := t0.Add(time.Minute); got.RevokedAt != want {
			t.Errorf("RevokedAt = %v, want %v", got.RevokedAt, want)
		}
	})
	t.Run("a revoked invitation cannot get a new token", func(t *testing.T) {
		err := s.ReplaceInvitationToken(ctx, m.ID, first.ID, "hash-al-2")
		wantCode(t, "ReplaceInvitationToken", err, errcode.NotFound)
		_, err = s.InvitationByTokenHash(ctx, "hash-al-2")
		wantCode(t, "InvitationByTokenHash", err, errcode.NotFound)
	})
	t.Run("a restored invitation works again", func(t *testing.T) {
		must(t, "RestoreInvitation", s.RestoreInvitation(ctx, m.ID, first.ID))
		got, err := s.InvitationByTokenHash(ctx, "hash-al")
		must(t, "InvitationByTokenHash", err)
		if got.Revoked() {
			t.Errorf("restored invitation still revoked at %v", got.RevokedAt)
		}
		must(t, "RevokeInvitation again", s.RevokeInvitation(ctx, m.ID, first.ID, t0.Add(2*time.Hour)))
	})
	t.Run("revoking or re-tokening an unknown invitation is not found", func(t *testing.T) {
		wantCode(t, "RevokeInvitation", s.RevokeInvitation(ctx, m.ID, "nope", t0), errcode.NotFound)
		wantCode(t, "RestoreInvitation", s.RestoreInvitation(ctx, m.ID, "nope"), errcode.NotFound)
		wantCode(t, "ReplaceInvitationToken", s.ReplaceInvitationToken(ctx, m.ID, "nope", "h"), errcode.NotFound)
	})
}
