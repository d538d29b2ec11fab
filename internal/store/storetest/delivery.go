package storetest

import (
	"context"
	"slices"
	"testing"
	"time"

	"safemeet/internal/errcode"
	"safemeet/internal/meeting"
	"safemeet/internal/store"
)

// addMeetingWith creates a meeting hosted by host, starting at t0, in approval state a.
func addMeetingWith(t *testing.T, s store.Store, host meeting.StaffID, a meeting.Approval) meeting.Meeting {
	t.Helper()
	m := meeting.Meeting{ID: meeting.NewID(), HostID: host, Title: "Review " + string(a), Purpose: "Termly review",
		StartsAt: t0, Duration: time.Hour, CreatedAt: t0, Approval: a}
	must(t, "CreateMeeting", s.CreateMeeting(context.Background(), m))
	return m
}

// addInvitation creates an adult's invitation, delivered by hand, with the
// token hash "tok-" + name.
func addInvitation(t *testing.T, s store.Store, meetingID meeting.ID, name string) meeting.Invitation {
	t.Helper()
	inv := meeting.Invitation{ID: meeting.NewInvitationID(), MeetingID: meetingID, Name: name, RoleLabel: "parent",
		CreatedAt: t0, Email: name + "@home.example", AgeGroup: meeting.AgeAdult, Delivery: meeting.DeliveryManual}
	must(t, "CreateInvitation", s.CreateInvitation(context.Background(), inv, "tok-"+name))
	return inv
}

// wantInvitation fails the test unless the stored invitation is want.
func wantInvitation(t *testing.T, s store.Store, want meeting.Invitation) {
	t.Helper()
	got, err := s.Invitation(context.Background(), want.MeetingID, want.ID)
	must(t, "Invitation", err)
	if got != want {
		t.Errorf("Invitation = %+v, want %+v", got, want)
	}
}

// wantByToken fails the test unless find(hash) is want, or with a zero want, is not found.
func wantByToken(t *testing.T, what string, find func(context.Context, string) (meeting.Invitation, error), hash string, want meeting.Invitation) {
	t.Helper()
	got, err := find(context.Background(), hash)
	if want.ID == "" {
		wantCode(t, what+"("+hash+")", err, errcode.NotFound)
		return
	}
	must(t, what+"("+hash+")", err)
	if got != want {
		t.Errorf("%s(%s) = %+v, want %+v", what, hash, got, want)
	}
}

func testConsentAndTokens(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t)
	host := addStaff(t, s, "host@x.example")
	m := addMeeting(t, s, host.ID, t0)
	other := addMeeting(t, s, host.ID, t0)
	addInvitation(t, s, m.ID, "adult") // has no consent token
	in := meeting.Invitation{
		ID: meeting.NewInvitationID(), MeetingID: m.ID, Name: "Sam", RoleLabel: "pupil, 9B", CreatedAt: t0,
		Email: "Sam.Pupil@School.EXAMPLE", AgeGroup: meeting.AgeUnder16,
		Guardian: meeting.Guardian{Name: "Pat Pupil", Email: "Pat@Home.Example"},
		Consent:  meeting.ConsentRecord{State: meeting.ConsentGiven, By: "Pat P.", At: t0.Add(time.Minute)},
		Delivery: meeting.DeliveryQueued, Attempts: 2, DeliveryError: "451 try later",
		NextAttemptAt: t0.Add(5 * time.Minute), SentAt: t0.Add(3 * time.Minute),
	}
	must(t, "CreateInvitation", s.CreateInvitation(ctx, in, "tok-1"))
	sam := in
	sam.Email, sam.Guardian.Email = "sam.pupil@school.example", "pat@home.example"

	t.Run("an invitation with every field set reads back exactly, its emails lower-cased", func(t *testing.T) {
		wantInvitation(t, s, sam)
		wantByToken(t, "InvitationByTokenHash", s.InvitationByTokenHash, "tok-1", sam)
		list, err := s.Invitations(ctx, m.ID)
		must(t, "Invitations", err)
		if !slices.Contains(list, sam) {
			t.Errorf("Invitations = %+v, want it to hold %+v", list, sam)
		}
	})
	t.Run("a parent's answer reads back as recorded", func(t *testing.T) {
		for _, c := range []meeting.ConsentRecord{
			{State: meeting.ConsentWithdrawn, By: "Pat Pupil", At: t0.Add(2 * time.Hour)},
			{State: meeting.ConsentRefused, By: "P. Pupil", At: t0.Add(3 * time.Hour)},
		} {
			must(t, "SetConsent", s.SetConsent(ctx, m.ID, sam.ID, c))
			sam.Consent = c
			wantInvitation(t, s, sam)
		}
	})
	t.Run("consent for an unknown invitation is not found", func(t *testing.T) {
		c := meeting.ConsentRecord{State: meeting.ConsentGiven, By: "X", At: t0}
		wantCode(t, "SetConsent", s.SetConsent(ctx, m.ID, "nope", c), errcode.NotFound)
		wantCode(t, "SetConsent(other meeting)", s.SetConsent(ctx, other.ID, sam.ID, c), errcode.NotFound)
	})
	t.Run("delivery tokens replace the link and set the consent link", func(t *testing.T) {
		must(t, "SetDeliveryTokens", s.SetDeliveryTokens(ctx, m.ID, sam.ID, "tok-2", "consent-1"))
		wantByToken(t, "InvitationByTokenHash", s.InvitationByTokenHash, "tok-1", meeting.Invitation{})
		wantByToken(t, "InvitationByTokenHash", s.InvitationByTokenHash, "tok-2", sam)
		wantByToken(t, "InvitationByConsentTokenHash", s.InvitationByConsentTokenHash, "consent-1", sam)
	})
	t.Run("delivery tokens without a consent hash keep the consent link", func(t *testing.T) {
		must(t, "SetDeliveryTokens", s.SetDeliveryTokens(ctx, m.ID, sam.ID, "tok-3", ""))
		wantByToken(t, "InvitationByTokenHash", s.InvitationByTokenHash, "tok-2", meeting.Invitation{})
		wantByToken(t, "InvitationByTokenHash", s.InvitationByTokenHash, "tok-3", sam)
		wantByToken(t, "InvitationByConsentTokenHash", s.InvitationByConsentTokenHash, "consent-1", sam)
	})
	t.Run("a new consent hash replaces the old one", func(t *testing.T) {
		must(t, "SetDeliveryTokens", s.SetDeliveryTokens(ctx, m.ID, sam.ID, "tok-4", "consent-2"))
		wantByToken(t, "InvitationByConsentTokenHash", s.InvitationByConsentTokenHash, "consent-1", meeting.Invitation{})
		wantByToken(t, "InvitationByConsentTokenHash", s.InvitationByConsentTokenHash, "consent-2", sam)
	})
	t.Run("an empty or unknown consent hash finds nothing", func(t *testing.T) {
		wantByToken(t, "InvitationByConsentTokenHash", s.InvitationByConsentTokenHash, "", meeting.Invitation{})
		wantByToken(t, "InvitationByConsentTokenHash", s.InvitationByConsentTokenHash, "tok-4", meeting.Invitation{})
	})
	t.Run("a revoked invitation gets no new tokens and cannot be queued", func(t *testing.T) {
		must(t, "RevokeInvitation", s.RevokeInvitation(ctx, m.ID, sam.ID, t0.Add(4*time.Hour)))
		sam.RevokedAt = t0.Add(4 * time.Hour)
		wantCode(t, "SetDeliveryTokens", s.SetDeliveryTokens(ctx, m.ID, sam.ID, "tok-5", "consent-3"), errcode.NotFound)
		wantCode(t, "QueueInvitation", s.QueueInvitation(ctx, m.ID, sam.ID, t0.Add(5*time.Hour)), errcode.NotFound)
		wantByToken(t, "InvitationByTokenHash", s.InvitationByTokenHash, "tok-5", meeting.Invitation{})
		wantByToken(t, "InvitationByConsentTokenHash", s.InvitationByConsentTokenHash, "consent-3", meeting.Invitation{})
		wantByToken(t, "InvitationByTokenHash", s.InvitationByTokenHash, "tok-4", sam)
	})
	t.Run("tokens for or queueing an unknown invitation is not found", func(t *testing.T) {
		wantCode(t, "SetDeliveryTokens", s.SetDeliveryTokens(ctx, m.ID, "nope", "tok-6", "consent-4"), errcode.NotFound)
		wantCode(t, "QueueInvitation", s.QueueInvitation(ctx, m.ID, "nope", t0), errcode.NotFound)
	})
}

func testInvitationDelivery(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t)
	host := addStaff(t, s, "host@x.example")
	clear := addMeetingWith(t, s, host.ID, meeting.ApprovalNotNeeded)
	approved := addMeetingWith(t, s, host.ID, meeting.ApprovalApproved)
	pending := addMeetingWith(t, s, host.ID, meeting.ApprovalPending)
	declined := addMeetingWith(t, s, host.ID, meeting.ApprovalDeclined)
	ended := addMeetingWith(t, s, host.ID, meeting.ApprovalApproved)
	must(t, "EndMeeting", s.EndMeeting(ctx, ended.ID, t0))
	now := t0.Add(5 * time.Minute)
	queue := func(m meeting.Meeting, name string, notBefore time.Time) meeting.Invitation {
		t.Helper()
		inv := addInvitation(t, s, m.ID, name)
		must(t, "QueueInvitation", s.QueueInvitation(ctx, m.ID, inv.ID, notBefore))
		inv.Delivery, inv.NextAttemptAt = meeting.DeliveryQueued, notBefore
		return inv
	}
	b := queue(clear, "b", t0)
	a := queue(clear, "a", t0.Add(time.Minute))
	g := queue(approved, "g", t0.Add(2*time.Minute))
	atNow := queue(clear, "n", now)
	late := queue(clear, "late", now.Add(time.Nanosecond))
	p := queue(pending, "p", t0)
	queue(declined, "d", t0)
	queue(ended, "e", t0)
	revoked := queue(clear, "r", t0)
	must(t, "RevokeInvitation", s.RevokeInvitation(ctx, clear.ID, revoked.ID, t0))
	for _, d := range []meeting.Delivery{meeting.DeliveryManual, meeting.DeliverySent} {
		inv := meeting.Invitation{ID: meeting.NewInvitationID(), MeetingID: clear.ID, Name: string(d), CreatedAt: t0,
			AgeGroup: meeting.AgeAdult, Delivery: d, NextAttemptAt: t0}
		must(t, "CreateInvitation", s.CreateInvitation(ctx, inv, "tok-"+string(d)))
	}
	wantDue := func(at time.Time, limit int, want ...meeting.Invitation) {
		t.Helper()
		got, err := s.InvitationsDue(ctx, at, limit)
		must(t, "InvitationsDue", err)
		if !slices.Equal(got, want) {
			t.Errorf("InvitationsDue(%v, %d) = %+v, want %+v", at, limit, got, want)
		}
	}

	t.Run("a queued invitation reads back queued for its sending time", func(t *testing.T) {
		wantInvitation(t, s, a)
	})
	t.Run("only queued, unrevoked invitations of cleared meetings not ended are due, soonest first", func(t *testing.T) {
		wantDue(now, 100, b, a, g, atNow)
	})
	t.Run("no more than the limit are listed", func(t *testing.T) {
		wantDue(now, 2, b, a)
	})
	t.Run("a failed delivery counts its attempts and is not due before its retry", func(t *testing.T) {
		must(t, "DeliveryFailed", s.DeliveryFailed(ctx, clear.ID, b.ID, "tok-"+b.Name, "451 mailbox busy", now.Add(10*time.Minute)))
		b.Attempts, b.DeliveryError, b.NextAttemptAt = 1, "451 mailbox busy", now.Add(10*time.Minute)
		wantInvitation(t, s, b)
		wantDue(now, 100, a, g, atNow)
		must(t, "second DeliveryFailed", s.DeliveryFailed(ctx, clear.ID, b.ID, "tok-"+b.Name, "452 full", now.Add(20*time.Minute)))
		b.Attempts, b.DeliveryError, b.NextAttemptAt = 2, "452 full", now.Add(20*time.Minute)
		wantInvitation(t, s, b)
		wantDue(now.Add(20*time.Minute), 100, a, g, atNow, late, b)
	})
	t.Run("queueing again clears the attempts and the error", func(t *testing.T) {
		must(t, "QueueInvitation", s.QueueInvitation(ctx, clear.ID, b.ID, t0))
		b.Attempts, b.DeliveryError, b.NextAttemptAt = 0, "", t0
		wantInvitation(t, s, b)
		wantDue(now, 100, b, a, g, atNow)
	})
	t.Run("a delivered invitation is sent, with no error, and no longer due", func(t *testing.T) {
		must(t, "DeliveryFailed", s.DeliveryFailed(ctx, clear.ID, b.ID, "tok-"+b.Name, "451 mailbox busy", t0))
		must(t, "DeliverySucceeded", s.DeliverySucceeded(ctx, clear.ID, b.ID, "tok-"+b.Name, now))
		got, err := s.Invitation(ctx, clear.ID, b.ID)
		must(t, "Invitation", err)
		b.Delivery, b.SentAt, b.Attempts, b.DeliveryError = meeting.DeliverySent, now, 0, ""
		b.NextAttemptAt = got.NextAttemptAt // unspecified once sent
		if got != b {
			t.Errorf("Invitation = %+v, want %+v", got, b)
		}
		wantDue(now.Add(time.Hour), 100, a, g, atNow, late)
	})
	t.Run("a sent invitation queued again is due again", func(t *testing.T) {
		must(t, "QueueInvitation", s.QueueInvitation(ctx, clear.ID, b.ID, now.Add(time.Minute)))
		b.Delivery, b.NextAttemptAt = meeting.DeliveryQueued, now.Add(time.Minute)
		wantInvitation(t, s, b)
		wantDue(now.Add(time.Minute), 100, a, g, atNow, late, b)
	})
	t.Run("an invitation becomes due once its meeting is approved", func(t *testing.T) {
		pending.Approval = meeting.ApprovalApproved
		must(t, "UpdateMeeting", s.UpdateMeeting(ctx, pending))
		wantDue(now, 100, p, a, g, atNow)
	})
	t.Run("delivery outcomes for an unknown invitation are not found", func(t *testing.T) {
		wantCode(t, "DeliverySucceeded", s.DeliverySucceeded(ctx, clear.ID, "nope", "tok-x", now), errcode.NotFound)
		wantCode(t, "DeliveryFailed", s.DeliveryFailed(ctx, clear.ID, "nope", "tok-x", "x", now), errcode.NotFound)
		wantCode(t, "QueueInvitation(other meeting)", s.QueueInvitation(ctx, approved.ID, a.ID, now), errcode.NotFound)
		wantCode(t, "DeliverySucceeded(other meeting)", s.DeliverySucceeded(ctx, approved.ID, a.ID, "tok-"+a.Name, now), errcode.NotFound)
		wantCode(t, "DeliveryFailed(other meeting)", s.DeliveryFailed(ctx, approved.ID, a.ID, "tok-"+a.Name, "x", now), errcode.NotFound)
		wantInvitation(t, s, a)
	})
	t.Run("an outcome for a link replaced meanwhile (a resend) changes nothing", func(t *testing.T) {
		wantCode(t, "DeliverySucceeded(old token)", s.DeliverySucceeded(ctx, clear.ID, a.ID, "tok-someone-else", now), errcode.NotFound)
		wantCode(t, "DeliveryFailed(old token)", s.DeliveryFailed(ctx, clear.ID, a.ID, "tok-someone-else", "550 no", now), errcode.NotFound)
		wantInvitation(t, s, a)
	})
}

func testOutbox(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t)
	host := addStaff(t, s, "host@x.example")
	m := addMeeting(t, s, host.ID, t0)
	now := t0.Add(5 * time.Minute)
	mail := func(id string, meetingID meeting.ID, next time.Time) store.OutboxMail {
		t.Helper()
		o := store.OutboxMail{ID: id, ToEmail: id + "@x.example", ToName: "Ms " + id, Subject: "Approved: Review",
			Body: "Your meeting was approved.\nNote: none.", Meeting: meetingID, CreatedAt: t0.Add(-time.Hour), NextAttemptAt: next}
		must(t, "QueueMail", s.QueueMail(ctx, o))
		return o
	}
	second := mail("second", m.ID, t0.Add(time.Minute))
	first := mail("first", "", t0)
	atNow := mail("now", m.ID, now)
	late := mail("late", m.ID, now.Add(time.Nanosecond))
	wantDue := func(at time.Time, limit int, want ...store.OutboxMail) {
		t.Helper()
		got, err := s.MailDue(ctx, at, limit)
		must(t, "MailDue", err)
		if !slices.Equal(got, want) {
			t.Errorf("MailDue(%v, %d) = %+v, want %+v", at, limit, got, want)
		}
	}

	t.Run("unsent mail due by now reads back exactly, soonest first", func(t *testing.T) {
		wantDue(now, 100, first, second, atNow)
	})
	t.Run("no more than the limit is listed", func(t *testing.T) {
		wantDue(now, 2, first, second)
	})
	t.Run("failed mail counts its attempts and is not due before its retry", func(t *testing.T) {
		must(t, "MailFailed", s.MailFailed(ctx, first.ID, "451 mailbox busy", now.Add(10*time.Minute)))
		first.Attempts, first.DeliveryError, first.NextAttemptAt = 1, "451 mailbox busy", now.Add(10*time.Minute)
		wantDue(now, 100, second, atNow)
		must(t, "second MailFailed", s.MailFailed(ctx, first.ID, "452 full", now.Add(20*time.Minute)))
		first.Attempts, first.DeliveryError, first.NextAttemptAt = 2, "452 full", now.Add(20*time.Minute)
		wantDue(now.Add(20*time.Minute), 100, second, atNow, late, first)
	})
	t.Run("sent mail is no longer due", func(t *testing.T) {
		must(t, "MailSucceeded", s.MailSucceeded(ctx, second.ID, now))
		must(t, "MailSucceeded", s.MailSucceeded(ctx, first.ID, now))
		wantDue(now.Add(time.Hour), 100, atNow, late)
	})
	t.Run("an unknown mail is not found", func(t *testing.T) {
		wantCode(t, "MailSucceeded", s.MailSucceeded(ctx, "nope", now), errcode.NotFound)
		wantCode(t, "MailFailed", s.MailFailed(ctx, "nope", "x", now), errcode.NotFound)
	})
}
