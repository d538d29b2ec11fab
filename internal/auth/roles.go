package auth

import (
	"context"
	"fmt"
	"strings"
	"time"

	"safemeet/internal/audit"
	"safemeet/internal/errcode"
	"safemeet/internal/meeting"
	"safemeet/internal/store"
)

// AllRoles is every role: the first admin's, so that a new organisation can
// do everything until it shares the work out.
var AllRoles = store.Roles{Admin: true, Approver: true, Host: true, Auditor: true}

// RoleNames lists roles as the audit log and the API name them ("admin,host").
func RoleNames(r store.Roles) string {
	var names []string
	for _, x := range []struct {
		on   bool
		name string
	}{{r.Admin, "admin"}, {r.Approver, "approver"}, {r.Host, "host"}, {r.Auditor, "auditor"}} {
		if x.on {
			names = append(names, x.name)
		}
	}
	return strings.Join(names, ",")
}

// activeAdmin returns actor's account if it is an active admin; otherwise
// the refusal of action on subject is audited and errcode.Forbidden returned.
func (s *Service) activeAdmin(ctx context.Context, actor meeting.StaffID, action, subject string) (store.Staff, error) {
	a, err := s.Store.StaffByID(ctx, actor)
	if err != nil && errcode.Of(err) != errcode.NotFound {
		return store.Staff{}, fmt.Errorf("auth: %s: %w", action, err)
	}
	if err != nil || !a.Active() || !a.Admin {
		e := audit.Entry{Actor: staffActor(actor), Action: action, Subject: subject, Details: map[string]string{"reason": "not_admin"}}
		return store.Staff{}, s.refuse(ctx, e, errcode.Forbidden)
	}
	return a, nil
}

// SetRoles replaces a staff member's roles, on behalf of an active admin. An
// admin cannot take their own admin role away (someone must be able to
// manage accounts). Audited as "staff.roles" with the old and new roles.
func (s *Service) SetRoles(ctx context.Context, actor, target meeting.StaffID, roles store.Roles) (store.Staff, error) {
	if _, err := s.activeAdmin(ctx, actor, "staff.roles", staffActor(target)); err != nil {
		return store.Staff{}, err
	}
	t, err := s.Store.StaffByID(ctx, target)
	if err != nil {
		return store.Staff{}, err
	}
	if actor == target && !roles.Admin {
		e := audit.Entry{Actor: staffActor(actor), Action: "staff.roles", Subject: staffActor(target), Details: map[string]string{"reason": "own_admin_role"}}
		return store.Staff{}, s.refuse(ctx, e, errcode.OwnAccount)
	}
	e := audit.Entry{Actor: staffActor(actor), Action: "staff.roles", Subject: staffActor(target),
		Details: map[string]string{"from": RoleNames(t.Roles), "to": RoleNames(roles)}}
	if err := s.allow(ctx, e); err != nil {
		return store.Staff{}, err
	}
	if err := s.Store.SetRoles(ctx, target, roles); err != nil {
		return store.Staff{}, fmt.Errorf("auth: set roles: %w", err)
	}
	t.Roles = roles
	return t, nil
}

// SetDisabled disables or re-enables a staff member's account, on behalf of
// an active admin; an admin cannot disable themselves. Disabling deletes
// every login of the account in the same transaction, so it is signed out
// everywhere at once; the caller takes its host rights away in running
// meetings. Audited as "staff.disable" or "staff.enable".
func (s *Service) SetDisabled(ctx context.Context, actor, target meeting.StaffID, disabled bool) (store.Staff, error) {
	action := "staff.enable"
	if disabled {
		action = "staff.disable"
	}
	if _, err := s.activeAdmin(ctx, actor, action, staffActor(target)); err != nil {
		return store.Staff{}, err
	}
	t, err := s.Store.StaffByID(ctx, target)
	if err != nil {
		return store.Staff{}, err
	}
	if actor == target {
		e := audit.Entry{Actor: staffActor(actor), Action: action, Subject: staffActor(target), Details: map[string]string{"reason": "own_account"}}
		return store.Staff{}, s.refuse(ctx, e, errcode.OwnAccount)
	}
	if err := s.allow(ctx, audit.Entry{Actor: staffActor(actor), Action: action, Subject: staffActor(target)}); err != nil {
		return store.Staff{}, err
	}
	if disabled {
		now := s.now()
		if err := s.Store.DisableStaff(ctx, target, now); err != nil {
			return store.Staff{}, fmt.Errorf("auth: disable staff: %w", err)
		}
		if t.DisabledAt.IsZero() {
			t.DisabledAt = now
		}
	} else {
		if err := s.Store.EnableStaff(ctx, target); err != nil {
			return store.Staff{}, fmt.Errorf("auth: enable staff: %w", err)
		}
		t.DisabledAt = time.Time{}
	}
	return t, nil
}
