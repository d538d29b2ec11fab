package auth

import (
	"context"
	"fmt"

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

// ResolveInvitation returns the invitation a token grants and its meeting. A
// malformed or unknown token, a revoked invitation and an ended meeting are
// all exactly errcode.InvitationInvalid, so that an invitee (or someone
// guessing) cannot tell them apart. Malformed tokens are refused without a
// lookup.
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
	return inv, m, nil
}

// invitationErr turns a store error while resolving an invitation into
// errcode.InvitationInvalid if it only means "not found".
func invitationErr(err error) error {
	if errcode.Of(err) == errcode.NotFound {
		return errcode.New(errcode.InvitationInvalid)
	}
	return fmt.Errorf("auth: resolve invitation: %w", err)
}
