package auth

import (
	"context"
	"fmt"
	"time"

	"safemeet/internal/errcode"
	"safemeet/internal/meeting"
	"safemeet/internal/secret"
)

// NewInvitationToken returns a new invitation token, to send to the invitee,
// and its hash, the only form to store.
func (*Service) NewInvitationToken() (token, hash string) {
	token = secret.New()
	return token, secret.Hash(token)
}

// NotOpenError is errcode.InvitationNotOpen's cause: when the link opens.
type NotOpenError struct{ OpensAt time.Time }

func (e *NotOpenError) Error() string {
	return "invitation opens at " + e.OpensAt.UTC().Format(time.RFC3339)
}

// ResolveInvitation returns the invitation a token grants and its meeting. A
// malformed or unknown token, a revoked invitation and an ended meeting are
// all exactly errcode.InvitationInvalid, so that an invitee (or someone
// guessing) cannot tell them apart. Malformed tokens are refused without a
// lookup. A real link is also refused, with a code saying why, while its
// meeting is not cleared (errcode.MeetingNotApproved), before its window
// opens (errcode.InvitationNotOpen wrapping a *NotOpenError), after it closes
// (errcode.InvitationClosed), and for an invitee under 16 until a parent or
// carer has consented (errcode.ConsentNeeded).
func (s *Service) ResolveInvitation(ctx context.Context, token string) (meeting.Invitation, meeting.Meeting, error) {
	if !secret.WellFormed(token) {
		return meeting.Invitation{}, meeting.Meeting{}, errcode.New(errcode.InvitationInvalid)
	}
	inv, err := s.Store.InvitationByTokenHash(ctx, secret.Hash(token))
	if err != nil {
		return meeting.Invitation{}, meeting.Meeting{}, invitationErr(err)
	}
	m, err := s.Store.Meeting(ctx, inv.MeetingID)
	if err != nil {
		return meeting.Invitation{}, meeting.Meeting{}, invitationErr(err)
	}
	if inv.Revoked() || m.Ended() {
		return meeting.Invitation{}, meeting.Meeting{}, errcode.New(errcode.InvitationInvalid)
	}
	if err := s.usableNow(ctx, inv, m); err != nil {
		return meeting.Invitation{}, meeting.Meeting{}, err
	}
	return inv, m, nil
}

// usableNow checks what a valid invitation also needs before it lets anyone
// in: a cleared meeting, its window, and consent.
func (s *Service) usableNow(ctx context.Context, inv meeting.Invitation, m meeting.Meeting) error {
	if !m.Approval.Cleared() {
		return errcode.New(errcode.MeetingNotApproved)
	}
	p, err := s.Store.Profile(ctx, m.Profile)
	if err != nil {
		return fmt.Errorf("auth: resolve invitation: profile: %w", err)
	}
	opens, closes := p.Scheduling.Window(m)
	switch now := s.now(); {
	case now.Before(opens):
		return errcode.Wrap(errcode.InvitationNotOpen, &NotOpenError{OpensAt: opens})
	case !now.Before(closes):
		return errcode.New(errcode.InvitationClosed)
	}
	if inv.NeedsConsent() && inv.Consent.State != meeting.ConsentGiven {
		return errcode.New(errcode.ConsentNeeded)
	}
	return nil
}

// invitationErr turns a store error while resolving an invitation into
// errcode.InvitationInvalid if it only means "not found".
func invitationErr(err error) error {
	if errcode.Of(err) == errcode.NotFound {
		return errcode.New(errcode.InvitationInvalid)
	}
	return fmt.Errorf("auth: resolve invitation: %w", err)
}
