package auth

import (
	"context"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"safemeet/internal/audit"
	"safemeet/internal/errcode"
	"safemeet/internal/meeting"
	"safemeet/internal/store"
)

// maxEmailLen is the longest email address accepted, in bytes (RFC 5321's
// limit on a forward path, less its angle brackets).
const maxEmailLen = 254

// invalid returns errcode.Invalid naming the field that failed.
func invalid(field string) error {
	return errcode.Wrap(errcode.Invalid, &meeting.FieldError{Field: field})
}

// cleanEmail returns the stored form of a bare email address ("ann@x.org",
// not "Ann <ann@x.org>"): trimmed and lower-cased.
func cleanEmail(email string) (string, error) {
	email = strings.TrimSpace(email)
	addr, err := mail.ParseAddress(email)
	if err != nil || addr.Name != "" || addr.Address != email || len(email) > maxEmailLen {
		return "", invalid("email")
	}
	return strings.ToLower(email), nil
}

// AddStaff creates a staff account with roles on behalf of actor, who must be an active
// admin (errcode.Forbidden otherwise, audited). An empty actor is the
// operator at the command line, who can reach the database anyway; it is
// audited as "system". The email must be a bare address and the name 1 to
// meeting.MaxNameLen characters; an empty password means the account signs in
// by link only, otherwise it must meet the password rules (errcode.Invalid
// naming the field). An email already in use is errcode.Conflict. Audited as
// "staff.add".
func (s *Service) AddStaff(ctx context.Context, actor meeting.StaffID, email, name, password string, roles store.Roles) (store.Staff, error) {
	if actor == "" {
		return s.addStaff(ctx, "system", email, name, password, roles)
	}
	if _, err := s.activeAdmin(ctx, actor, "staff.add", ""); err != nil {
		return store.Staff{}, err
	}
	return s.addStaff(ctx, staffActor(actor), email, name, password, roles)
}

// addStaff validates and creates an account, audited as done by actor.
func (s *Service) addStaff(ctx context.Context, actor, email, name, password string, roles store.Roles) (store.Staff, error) {
	email, err := cleanEmail(email)
	if err != nil {
		return store.Staff{}, err
	}
	name, ok := meeting.CleanText(name, meeting.MaxNameLen)
	if !ok {
		return store.Staff{}, invalid("name")
	}
	var hash string
	if password != "" {
		if hash, err = HashPassword(password); err != nil {
			return store.Staff{}, err
		}
	}
	switch _, err := s.Store.StaffByEmail(ctx, email); errcode.Of(err) {
	case "":
		return store.Staff{}, errcode.New(errcode.Conflict)
	case errcode.NotFound:
	default:
		return store.Staff{}, fmt.Errorf("auth: add staff: %w", err)
	}
	st := store.Staff{ID: meeting.NewStaffID(), Email: email, Name: name, PasswordHash: hash, Roles: roles, CreatedAt: s.now()}
	e := audit.Entry{Actor: actor, Action: "staff.add", Subject: staffActor(st.ID),
		Details: map[string]string{"email": email, "roles": RoleNames(roles)}}
	if err := s.allow(ctx, e); err != nil {
		return store.Staff{}, err
	}
	if err := s.Store.CreateStaff(ctx, st); err != nil {
		return store.Staff{}, fmt.Errorf("auth: add staff: %w", err)
	}
	return st, nil
}

// SetPassword sets a staff member's password, which must meet the password
// rules (errcode.Invalid otherwise). The caller must have established that
// the signed-in staff member may do so; the change is audited as
// "staff.set_password" by the account itself. errcode.NotFound for an
// unknown account.
func (s *Service) SetPassword(ctx context.Context, staffID meeting.StaffID, password string) error {
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	if _, err := s.Store.StaffByID(ctx, staffID); err != nil {
		return fmt.Errorf("auth: set password: %w", err)
	}
	e := audit.Entry{Actor: staffActor(staffID), Action: "staff.set_password", Subject: staffActor(staffID)}
	if err := s.allow(ctx, e); err != nil {
		return err
	}
	if err := s.Store.SetPassword(ctx, staffID, hash); err != nil {
		return fmt.Errorf("auth: set password: %w", err)
	}
	return nil
}

// Bootstrap prepares a first start: if there are no staff accounts yet, it
// creates the organisation and an admin account (named "Administrator", with
// no password) for adminEmail, and returns a one-time sign-in link token for
// it valid for linkTTL, with created true. Otherwise it does nothing and
// returns created false, whatever its arguments. Audited as "org.bootstrap", "staff.add" and
// "staff.signin_link_issue", all by "system".
func (s *Service) Bootstrap(ctx context.Context, orgName, adminEmail string, linkTTL time.Duration) (link string, created bool, err error) {
	n, err := s.Store.CountStaff(ctx)
	if err != nil {
		return "", false, fmt.Errorf("auth: bootstrap: %w", err)
	}
	if n > 0 {
		return "", false, nil
	}
	orgName, ok := meeting.CleanText(orgName, meeting.MaxTitleLen)
	if !ok {
		return "", false, invalid("organisation name")
	}
	if adminEmail, err = cleanEmail(adminEmail); err != nil {
		return "", false, err
	}
	if linkTTL <= 0 {
		return "", false, invalid("sign-in link lifetime")
	}
	e := audit.Entry{Actor: "system", Action: "org.bootstrap", Details: map[string]string{"org": orgName, "admin_email": adminEmail}}
	if err := s.allow(ctx, e); err != nil {
		return "", false, err
	}
	if _, err := s.Store.EnsureOrg(ctx, orgName, s.now()); err != nil {
		return "", false, fmt.Errorf("auth: bootstrap: %w", err)
	}
	st, err := s.addStaff(ctx, "system", adminEmail, "Administrator", "", AllRoles)
	if err != nil {
		return "", false, err
	}
	if link, err = s.IssueSigninLink(ctx, st.ID, linkTTL); err != nil {
		return "", false, err
	}
	return link, true, nil
}
