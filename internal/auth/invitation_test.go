package auth

import (
	"context"
	"testing"
	"time"

	"safemeet/internal/errcode"
	"safemeet/internal/meeting"
	"safemeet/internal/policy"
	"safemeet/internal/secret"
)

func TestNewInvitationTokensAreSecretsWithTheirHashes(t *testing.T) {
	svc := &Service{}
	token, hash := svc.NewInvitationToken()
	if !secret.WellFormed(token) || hash != secret.Hash(token) {
		t.Errorf("NewInvitationToken = %q, %q; want a well-formed secret and its hash", token, hash)
	}
	if again, _ := svc.NewInvitationToken(); again == token {
		t.Errorf("two invitation tokens are equal: %q", token)
	}
}

func TestResolvingInvitations(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	host := f.staff("host@school.example", "", false, false)
	invite := func(m meeting.Meeting) (meeting.Invitation, string) {
		t.Helper()
		token, hash := f.svc.NewInvitationToken()
		inv := meeting.Invitation{ID: meeting.NewInvitationID(), MeetingID: m.ID, Name: "Sam's carer", RoleLabel: "carer", CreatedAt: t0,
			AgeGroup: meeting.AgeAdult, Delivery: meeting.DeliveryManual}
		if err := f.db.CreateInvitation(ctx, inv, hash); err != nil {
			t.Fatalf("CreateInvitation: %v", err)
		}
		return inv, token
	}
	newMeeting := func() meeting.Meeting {
		t.Helper()
		m := meeting.Meeting{ID: meeting.NewID(), HostID: host.ID, Title: "Review", Purpose: "Review", Profile: policy.ProfileInternalStaff, Approval: meeting.ApprovalNotNeeded,
			StartsAt: t0, Duration: time.Hour, CreatedAt: t0}
		if err := f.db.CreateMeeting(ctx, m); err != nil {
			t.Fatalf("CreateMeeting: %v", err)
		}
		return m
	}
	live := newMeeting()
	valid, validToken := invite(live)
	revoked, revokedToken := invite(live)
	if err := f.db.RevokeInvitation(ctx, live.ID, revoked.ID, t0); err != nil {
		t.Fatalf("RevokeInvitation: %v", err)
	}
	ended := newMeeting()
	_, endedToken := invite(ended)
	if err := f.db.EndMeeting(ctx, ended.ID, t0); err != nil {
		t.Fatalf("EndMeeting: %v", err)
	}

	t.Run("a valid token gives its invitation and meeting", func(t *testing.T) {
		inv, m, err := f.svc.ResolveInvitation(ctx, validToken)
		if err != nil || inv != valid || m != live {
			t.Errorf("ResolveInvitation = %+v, %+v, %v; want %+v, %+v, nil", inv, m, err, valid, live)
		}
	})
	refusals := []struct{ name, token string }{
		{"a malformed token", "not a token"},
		{"an unknown token", secret.New()},
		{"a revoked invitation's token", revokedToken},
		{"a token for an ended meeting", endedToken},
	}
	for _, tt := range refusals {
		t.Run(tt.name+" is refused exactly like the others", func(t *testing.T) {
			inv, m, err := f.svc.ResolveInvitation(ctx, tt.token)
			wantErr(t, "ResolveInvitation", err, errcode.InvitationInvalid)
			if inv != (meeting.Invitation{}) || m != (meeting.Meeting{}) {
				t.Errorf("ResolveInvitation = %+v, %+v; want nothing", inv, m)
			}
		})
	}
}
