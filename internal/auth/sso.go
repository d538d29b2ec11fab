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
	Subject       string
	Email         string
	EmailVerified bool
	Name          string
}

// SignInSSO signs in the staff member whose email the identity provider
// verified, and returns a new login token and the account. An unverified
// email, a disabled account, and an unknown email (unless autoProvision, when
// a host account is created for it) are errcode.SSORefused. Every attempt is
// audited as "staff.signin" with method "sso", with the reason for a refusal.
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
	e.Actor = staffActor(st.ID)
	return s.signedIn(ctx, e, st)
}
