package auth

import (
	"context"
	"errors"
	"safemeet/internal/store"
	"strings"
	"testing"

	"safemeet/internal/audit"
	"safemeet/internal/errcode"
	"safemeet/internal/meeting"
)

// wantField fails the test unless err is errcode.Invalid naming field.
func wantField(t *testing.T, err error, field string) {
	t.Helper()
	var fe *meeting.FieldError
	if errcode.Of(err) != errcode.Invalid || !errors.As(err, &fe) || fe.Field != field {
		t.Errorf("error = %v, want errcode.Invalid naming field %q", err, field)
	}
}

func TestAnAdminAddsStaffWhoCanSignIn(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	admin := f.staff("admin@school.example", "", true, false)
	st, err := f.svc.AddStaff(ctx, admin.ID, " Bea@School.Example", "  Bea Jones ", goodPassword, store.Roles{Host: true})
	if err != nil {
		t.Fatalf("AddStaff: %v", err)
	}
	if got, want := []any{st.Email, st.Name, st.Admin, st.CreatedAt}, []any{"bea@school.example", "Bea Jones", false, t0}; !equalAny(got, want) {
		t.Errorf("AddStaff email, name, admin, created = %v, want %v", got, want)
	}
	f.wantAudit("staff.add", audit.Allowed, "staff:"+string(admin.ID), map[string]string{"email": "bea@school.example", "roles": "host"})
	if _, _, err := f.svc.SignIn(ctx, "bea@school.example", goodPassword); err != nil {
		t.Errorf("SignIn as the new account: %v", err)
	}

	t.Run("the same email in another case is a conflict", func(t *testing.T) {
		_, err := f.svc.AddStaff(ctx, admin.ID, "BEA@school.example", "Other Bea", "", store.Roles{Host: true})
		wantErr(t, "AddStaff", err, errcode.Conflict)
	})
	t.Run("an account without a password signs in only by link", func(t *testing.T) {
		if _, err := f.svc.AddStaff(ctx, admin.ID, "cal@school.example", "Cal", "", store.Roles{Host: true}); err != nil {
			t.Fatalf("AddStaff: %v", err)
		}
		_, _, err := f.svc.SignIn(ctx, "cal@school.example", "")
		wantErr(t, "SignIn", err, errcode.BadCredentials)
	})
}

func equalAny(a, b []any) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestAddingStaffValidatesWhatWasTyped(t *testing.T) {
	f := newFixture(t)
	admin := f.staff("admin@school.example", "", true, false)
	tests := []struct {
		name, email, staffName, password, field string
	}{
		{"an address with a display name is refused", "Bea <bea@x.example>", "Bea", "", "email"},
		{"text that is not an address is refused", "bea at x", "Bea", "", "email"},
		{"an address with trailing words is refused", "bea@x.example extra", "Bea", "", "email"},
		{"an empty address is refused", "", "Bea", "", "email"},
		{"an overlong address is refused", strings.Repeat("b", 250) + "@x.example", "Bea", "", "email"},
		{"an empty name is refused", "bea@x.example", "  ", "", "name"},
		{"a name with a control character is refused", "bea@x.example", "Bea\x07", "", "name"},
		{"a name with a bidirectional override is refused", "bea@x.example", "Bea\u202e", "", "name"},
		{"an overlong name is refused", "bea@x.example", strings.Repeat("n", meeting.MaxNameLen+1), "", "name"},
		{"a short password is refused", "bea@x.example", "Bea", "short", "password"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.svc.AddStaff(context.Background(), admin.ID, tt.email, tt.staffName, tt.password, store.Roles{Host: true})
			wantField(t, err, tt.field)
		})
	}
	if n, _ := f.db.CountStaff(context.Background()); n != 1 {
		t.Errorf("CountStaff = %d, want 1 (only the admin)", n)
	}
}

func TestOnlyAnActiveAdminMayAddStaff(t *testing.T) {
	f := newFixture(t)
	plain := f.staff("plain@school.example", "", false, false)
	gone := f.staff("gone@school.example", "", true, true)
	for _, actor := range []meeting.StaffID{plain.ID, gone.ID, "nobody"} {
		_, err := f.svc.AddStaff(context.Background(), actor, "new@school.example", "New", "", store.Roles{Admin: true, Host: true})
		wantErr(t, "AddStaff by "+string(actor), err, errcode.Forbidden)
		f.wantAudit("staff.add", audit.Refused, "staff:"+string(actor), map[string]string{"reason": "not_admin"})
	}
}

func TestAddingStaffThatCannotBeAuditedIsRefused(t *testing.T) {
	f := newFixture(t)
	admin := f.staff("admin@school.example", "", true, false)
	f.breakAudit()
	_, err := f.svc.AddStaff(context.Background(), admin.ID, "new@school.example", "New", "", store.Roles{Host: true})
	wantCode(t, "AddStaff", err, errcode.AuditUnavailable)
	if n, _ := f.db.CountStaff(context.Background()); n != 1 {
		t.Errorf("CountStaff = %d, want 1: no account without an audit record", n)
	}
}

func TestSettingAPasswordReplacesTheOldOne(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	ann := f.staff("ann@school.example", goodPassword, false, false)
	const newPassword = "a much newer passphrase"
	if err := f.svc.SetPassword(ctx, ann.ID, newPassword); err != nil {
		t.Fatalf("SetPassword: %v", err)
	}
	f.wantAudit("staff.set_password", audit.Allowed, "staff:"+string(ann.ID), nil)
	if _, _, err := f.svc.SignIn(ctx, "ann@school.example", newPassword); err != nil {
		t.Errorf("SignIn with the new password: %v", err)
	}
	_, _, err := f.svc.SignIn(ctx, "ann@school.example", goodPassword)
	wantErr(t, "SignIn with the old password", err, errcode.BadCredentials)

	t.Run("a short password is refused", func(t *testing.T) {
		wantField(t, f.svc.SetPassword(ctx, ann.ID, "short"), "password")
	})
	t.Run("an unknown account is not found", func(t *testing.T) {
		wantCode(t, "SetPassword", f.svc.SetPassword(ctx, "nobody", newPassword), errcode.NotFound)
	})
	t.Run("a change that cannot be audited is refused", func(t *testing.T) {
		f.breakAudit()
		wantCode(t, "SetPassword", f.svc.SetPassword(ctx, ann.ID, "yet another passphrase"), errcode.AuditUnavailable)
		f.svc.Store = f.db
		if _, _, err := f.svc.SignIn(ctx, "ann@school.example", newPassword); err != nil {
			t.Errorf("SignIn with the unchanged password: %v", err)
		}
	})
}

func TestTheCommandLineOperatorAddsStaffAsTheSystem(t *testing.T) {
	f := newFixture(t)
	st, err := f.svc.AddStaff(context.Background(), "", "ops@school.example", "Ops", "", store.Roles{Admin: true, Host: true})
	if err != nil {
		t.Fatalf("AddStaff: %v", err)
	}
	f.wantAudit("staff.add", audit.Allowed, "system", map[string]string{"email": "ops@school.example", "roles": "admin,host"})
	if !st.Admin {
		t.Errorf("Admin = false, want true")
	}
}
