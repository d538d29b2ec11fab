package auth

import (
	"context"
	"fmt"

	"safemeet/internal/audit"
	"safemeet/internal/errcode"
	"safemeet/internal/store"
)

// SSOIdentity is what the organisation's identity provider vouched for.
type SSOIdentity struct {
	Issuer        string
	Subject       string
	Email         string
	EmailVerified bool
	Name          string
}

// SignInSSO signs in the staff member whose email the identity provider
// verified, and returns a new login token and the account. An unverified
// email, a disabled account, and an unknown email (unless autoProvision, when
// a host account is created for it) are errcode.SSORefused. The first
// sign-on binds the account to the provider's identity (issuer and subject);
// a later one with the same email but another identity — an address the
// provider gave to someone else — is refused. Every attempt is audited as
// "staff.signin" with method "sso", with the reason for a refusal.
func (s *Service) SignInSSO(ctx context.Context, id SSOIdentity, autoProvision bool) (string, store.Staff, error) {
	e := audit.Entry{Actor: "anonymous", Action: "staff.signin",
		Details: map[string]string{"method": "sso", "email": auditText(id.Email), "sso_subject": auditText(id.Subject)}}
	refuse := func(reason string) (string, store.Staff, error) {
		e.Details["reason"] = reason
		return "", store.Staff{}, s.refuse(ctx, e, errcode.SSORefused)
	}
	if !id.EmailVerified {
		return refuse("email_not_verified")
	}
	email, err := cleanEmail(id.Email)
	if err != nil {
		return refuse("bad_email")
	}
	st, err := s.Store.StaffByEmail(ctx, email)
	switch errcode.Of(err) {
	case "":
	case errcode.NotFound:
		if !autoProvision {
			return refuse("unknown_email")
		}
		name := id.Name
		if name == "" {
			name = email
		}
		if st, err = s.addStaff(ctx, "system:sso", email, name, "", store.Roles{Host: true}); err != nil {
			return "", store.Staff{}, err
		}
	default:
		return "", store.Staff{}, fmt.Errorf("auth: sso sign in: %w", err)
	}
	e.Subject = staffActor(st.ID)
	if !st.Active() {
		return refuse("disabled")
	}
	if id.Issuer == "" || id.Subject == "" {
		return refuse("no_subject")
	}
	bound := id.Issuer + " " + id.Subject
	if st.SSOSubject != "" && st.SSOSubject != bound {
		return refuse("subject_mismatch")
	}
	if st.SSOSubject == "" {
		switch err := s.Store.BindSSOSubject(ctx, st.ID, bound); errcode.Of(err) {
		case "":
			e.Details["bound"] = "true"
			st.SSOSubject = bound
		case errcode.NotFound, errcode.Conflict:
			return refuse("subject_mismatch")
		default:
			return "", store.Staff{}, fmt.Errorf("auth: sso sign in: %w", err)
		}
	}
	e.Actor = staffActor(st.ID)
	return s.signedIn(ctx, e, st)
}
