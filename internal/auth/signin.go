package auth

import (
	"context"
	"fmt"
	"strings"
	"time"

	"safemeet/internal/audit"
	"safemeet/internal/errcode"
	"safemeet/internal/meeting"
	"safemeet/internal/secret"
	"safemeet/internal/store"
)

// SignIn checks an email address and password and returns a new login token
// (the cookie value) and the staff member. An unknown email, a wrong password,
// a disabled account and an account without a password are all
// errcode.BadCredentials, and each costs one password verification, so that
// neither the answer nor its timing tells them apart. Every attempt is
// audited as "staff.signin", with the reason for a refusal.
func (s *Service) SignIn(ctx context.Context, email, password string) (string, store.Staff, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	st, err := s.Store.StaffByEmail(ctx, email)
	found := err == nil
	if !found && errcode.Of(err) != errcode.NotFound {
		return "", store.Staff{}, fmt.Errorf("auth: sign in: %w", err)
	}
	hash := dummyHash
	if found && st.PasswordHash != "" {
		hash = st.PasswordHash
	}
	match := VerifyPassword(password, hash)

	e := audit.Entry{Actor: "anonymous", Action: "staff.signin", Details: map[string]string{"email": auditText(email)}}
	var reason string
	switch {
	case !found:
		reason = "unknown_email"
	case st.PasswordHash == "":
		reason = "no_password"
	case !match:
		reason = "wrong_password"
	case !st.Active():
		reason = "disabled"
	}
	if reason != "" {
		if found {
			e.Subject = staffActor(st.ID)
		}
		e.Details["reason"] = reason
		return "", store.Staff{}, s.refuse(ctx, e, errcode.BadCredentials)
	}
	e.Actor, e.Subject = staffActor(st.ID), staffActor(st.ID)
	return s.signedIn(ctx, e, st)
}

// signedIn records an allowed sign-in and creates the login.
func (s *Service) signedIn(ctx context.Context, e audit.Entry, st store.Staff) (string, store.Staff, error) {
	if err := s.allow(ctx, e); err != nil {
		return "", store.Staff{}, err
	}
	token, err := s.newLogin(ctx, st.ID)
	if err != nil {
		return "", store.Staff{}, err
	}
	return token, st, nil
}

// SignInWithLink consumes a one-time sign-in link token and returns a new
// login token and the staff member. A malformed, unknown, used or expired
// link, or one for a disabled account, is errcode.LinkExpired. Every attempt
// is audited as "staff.signin_link". The link is used up even if the audit
// write then fails.
func (s *Service) SignInWithLink(ctx context.Context, token string) (string, store.Staff, error) {
	e := audit.Entry{Actor: "anonymous", Action: "staff.signin_link"}
	refuse := func(reason string) (string, store.Staff, error) {
		e.Details = map[string]string{"reason": reason}
		return "", store.Staff{}, s.refuse(ctx, e, errcode.LinkExpired)
	}
	if !secret.WellFormed(token) {
		return refuse("malformed")
	}
	id, err := s.Store.UseSigninLink(ctx, secret.Hash(token), s.now())
	if errcode.Of(err) == errcode.NotFound {
		return refuse("unknown_used_or_expired")
	} else if err != nil {
		return "", store.Staff{}, fmt.Errorf("auth: sign in with link: %w", err)
	}
	st, err := s.Store.StaffByID(ctx, id)
	if err != nil {
		return "", store.Staff{}, fmt.Errorf("auth: sign in with link: %w", err)
	}
	e.Subject = staffActor(st.ID)
	if !st.Active() {
		return refuse("disabled")
	}
	e.Actor = staffActor(st.ID)
	return s.signedIn(ctx, e, st)
}

// IssueSigninLink makes a one-time sign-in link token for an account, valid
// for ttl, and audits it as "staff.signin_link_issue" by "system". It is
// errcode.NotFound for an unknown account, errcode.Forbidden for a disabled
// one and errcode.Invalid for a ttl that is not positive.
func (s *Service) IssueSigninLink(ctx context.Context, staffID meeting.StaffID, ttl time.Duration) (string, error) {
	if ttl <= 0 {
		return "", errcode.Wrap(errcode.Invalid, fmt.Errorf("auth: sign-in link lifetime %v is not positive", ttl))
	}
	st, err := s.Store.StaffByID(ctx, staffID)
	if err != nil {
		return "", fmt.Errorf("auth: issue sign-in link: %w", err)
	}
	if !st.Active() {
		return "", errcode.New(errcode.Forbidden)
	}
	token, now := secret.New(), s.now()
	e := audit.Entry{Actor: "system", Action: "staff.signin_link_issue", Subject: staffActor(st.ID),
		Details: map[string]string{"expires_at": now.Add(ttl).Format(time.RFC3339)}}
	if err := s.allow(ctx, e); err != nil {
		return "", err
	}
	l := store.SigninLink{TokenHash: secret.Hash(token), StaffID: st.ID, CreatedAt: now, ExpiresAt: now.Add(ttl)}
	if err := s.Store.CreateSigninLink(ctx, l); err != nil {
		return "", fmt.Errorf("auth: issue sign-in link: %w", err)
	}
	return token, nil
}
