// Package auth signs staff in and out (passwords and one-time sign-in links),
// manages staff accounts, and turns invitation tokens into invitations. Every
// decision is written to the audit log first; if that write fails, the action
// is refused with errcode.AuditUnavailable.
//
// Refusals say as little as possible: a failed sign-in is always
// errcode.BadCredentials, whatever the reason, and an unusable invitation is
// always errcode.InvitationInvalid. The audit log keeps the reason.
package auth

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"safemeet/internal/audit"
	"safemeet/internal/errcode"
	"safemeet/internal/meeting"
	"safemeet/internal/secret"
	"safemeet/internal/store"
)

// DefaultLoginTTL is how long a login lasts when Service.LoginTTL is zero.
const DefaultLoginTTL = 12 * time.Hour

// Service is staff authentication over a store. Its zero Now means
// time.Now and its zero LoginTTL means DefaultLoginTTL.
type Service struct {
	Store    store.Store
	Now      func() time.Time
	LoginTTL time.Duration
}

func (s *Service) now() time.Time {
	if s.Now == nil {
		return time.Now().UTC()
	}
	return s.Now().UTC()
}

// TTL returns how long a new login lasts.
func (s *Service) TTL() time.Duration {
	if s.LoginTTL <= 0 {
		return DefaultLoginTTL
	}
	return s.LoginTTL
}

// staffActor is the audit name of a staff member.
func staffActor(id meeting.StaffID) string { return "staff:" + string(id) }

// allow records an allowed decision; errcode.AuditUnavailable if it could not.
func (s *Service) allow(ctx context.Context, e audit.Entry) error {
	e.Outcome = audit.Allowed
	return s.record(ctx, e)
}

// refuse records a refused decision and returns errcode.New(code), or
// errcode.AuditUnavailable if the refusal could not be recorded.
func (s *Service) refuse(ctx context.Context, e audit.Entry, code errcode.Code) error {
	e.Outcome = audit.Refused
	if err := s.record(ctx, e); err != nil {
		return err
	}
	return errcode.New(code)
}

func (s *Service) record(ctx context.Context, e audit.Entry) error {
	e.At = s.now()
	if err := s.Store.Append(ctx, e); err != nil {
		return errcode.Wrap(errcode.AuditUnavailable, err)
	}
	return nil
}

// auditText makes untrusted text safe to keep in an audit entry: valid UTF-8,
// no NUL bytes, at most 320 bytes.
func auditText(s string) string {
	s = strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "\uFFFD")
	for len(s) > 320 {
		_, size := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-size]
	}
	return s
}

// newLogin creates a login for id and returns its token, the cookie value;
// only the token's hash is stored.
func (s *Service) newLogin(ctx context.Context, id meeting.StaffID) (string, error) {
	token, now := secret.New(), s.now()
	l := store.Login{IDHash: secret.Hash(token), StaffID: id, CreatedAt: now, ExpiresAt: now.Add(s.TTL())}
	if err := s.Store.CreateLogin(ctx, l); err != nil {
		return "", fmt.Errorf("auth: creating login: %w", err)
	}
	return token, nil
}

// Staff returns the signed-in staff member of a login token; errcode.NotSignedIn
// if the token is malformed, unknown or expired, or the account disabled.
func (s *Service) Staff(ctx context.Context, loginToken string) (store.Staff, error) {
	if !secret.WellFormed(loginToken) {
		return store.Staff{}, errcode.New(errcode.NotSignedIn)
	}
	st, err := s.Store.LoginStaff(ctx, secret.Hash(loginToken), s.now())
	switch errcode.Of(err) {
	case "":
		return st, nil
	case errcode.NotFound:
		return store.Staff{}, errcode.New(errcode.NotSignedIn)
	default:
		return store.Staff{}, fmt.Errorf("auth: staff: %w", err)
	}
}

// SignOut ends a login. Signing out a malformed, unknown or expired login does
// nothing and is not an error. The sign-out is audited first, so it is
// refused (errcode.AuditUnavailable) if that fails.
func (s *Service) SignOut(ctx context.Context, loginToken string) error {
	if !secret.WellFormed(loginToken) {
		return nil
	}
	hash := secret.Hash(loginToken)
	st, err := s.Store.LoginStaff(ctx, hash, s.now())
	switch errcode.Of(err) {
	case "":
		e := audit.Entry{Actor: staffActor(st.ID), Action: "staff.signout", Subject: staffActor(st.ID)}
		if err := s.allow(ctx, e); err != nil {
			return err
		}
	case errcode.NotFound: // expired or disabled: nobody is signed in, but tidy up
	default:
		return fmt.Errorf("auth: sign out: %w", err)
	}
	if err := s.Store.DeleteLogin(ctx, hash); err != nil {
		return fmt.Errorf("auth: sign out: %w", err)
	}
	return nil
}
