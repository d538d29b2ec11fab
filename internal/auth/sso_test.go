package auth

import (
	"context"
	"testing"

	"safemeet/internal/audit"
	"safemeet/internal/errcode"
	"safemeet/internal/store"
)

// staffCount returns how many staff accounts exist.
func (f *fixture) staffCount() int {
	f.t.Helper()
	n, err := f.db.CountStaff(context.Background())
	if err != nil {
		f.t.Fatalf("CountStaff: %v", err)
	}
	return n
}

func TestSSO_AVerifiedKnownEmailSignsIn(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	ann := f.staff("ann@school.example", "", false, false)

	id := SSOIdentity{Issuer: "https://idp.school.example", Subject: "idp-ann", Email: "Ann@School.Example", EmailVerified: true, Name: "Ann from the IdP"}
	token, st, err := f.svc.SignInSSO(ctx, id, false)
	if err != nil {
		t.Fatalf("SignInSSO: %v", err)
	}
	ann.SSOSubject = "https://idp.school.example idp-ann" // bound at the first sign-on
	if st != ann {
		t.Errorf("SignInSSO staff = %+v, want %+v", st, ann)
	}
	f.wantAudit("staff.signin", audit.Allowed, "staff:"+string(ann.ID),
		map[string]string{"method": "sso", "email": "Ann@School.Example", "sso_subject": "idp-ann", "bound": "true"})
	if got, want := f.lastAudit().Subject, "staff:"+string(ann.ID); got != want {
		t.Errorf("audit subject = %q, want %q", got, want)
	}
	if got, err := f.svc.Staff(ctx, token); err != nil || got != ann {
		t.Errorf("Staff(login token) = %+v, %v; want %+v", got, err, ann)
	}
	if n := f.staffCount(); n != 1 {
		t.Errorf("there are %d staff accounts, want 1 (none provisioned)", n)
	}
}

func TestSSO_RefusalsGiveNothingAndAuditTheReason(t *testing.T) {
	tests := []struct {
		name          string
		id            SSOIdentity
		autoProvision bool
		reason        string
		subject       bool // whether the refusal names the known account
	}{
		{"an unverified email of a known account is refused",
			SSOIdentity{Issuer: "https://idp.school.example", Subject: "s1", Email: "ann@school.example"}, false, "email_not_verified", false},
		{"an unverified unknown email is refused even with auto-provision",
			SSOIdentity{Issuer: "https://idp.school.example", Subject: "s2", Email: "new@school.example"}, true, "email_not_verified", false},
		{"an unknown email is refused without auto-provision",
			SSOIdentity{Issuer: "https://idp.school.example", Subject: "s3", Email: "nobody@school.example", EmailVerified: true}, false, "unknown_email", false},
		{"a disabled account is refused",
			SSOIdentity{Issuer: "https://idp.school.example", Subject: "s4", Email: "gone@school.example", EmailVerified: true}, false, "disabled", true},
		{"a disabled account is refused, not provisioned again, with auto-provision",
			SSOIdentity{Issuer: "https://idp.school.example", Subject: "s5", Email: "gone@school.example", EmailVerified: true}, true, "disabled", true},
		{"an email with a display name is refused",
			SSOIdentity{Issuer: "https://idp.school.example", Subject: "s6", Email: "Ann <ann@school.example>", EmailVerified: true}, true, "bad_email", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			f.staff("ann@school.example", "", false, false)
			gone := f.staff("gone@school.example", "", false, true)

			token, st, err := f.svc.SignInSSO(context.Background(), tt.id, tt.autoProvision)
			wantErr(t, "SignInSSO", err, errcode.SSORefused)
			if token != "" || st != (store.Staff{}) {
				t.Errorf("SignInSSO = %q, %+v; want nothing", token, st)
			}
			f.wantAudit("staff.signin", audit.Refused, "anonymous", map[string]string{
				"method": "sso", "email": tt.id.Email, "sso_subject": tt.id.Subject, "reason": tt.reason,
			})
			wantSubject := ""
			if tt.subject {
				wantSubject = "staff:" + string(gone.ID)
			}
			if got := f.lastAudit().Subject; got != wantSubject {
				t.Errorf("audit subject = %q, want %q", got, wantSubject)
			}
			if n := f.staffCount(); n != 2 {
				t.Errorf("there are %d staff accounts, want 2 (none provisioned)", n)
			}
		})
	}
}

func TestSSO_AutoProvisionCreatesAHostOnlyAccount(t *testing.T) {
	tests := []struct {
		name, idpName, wantName string
	}{
		{"with the name the provider gave", "Sam Teacher", "Sam Teacher"},
		{"named by email when the provider gave no name", "", "sam@school.example"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			ctx := context.Background()
			id := SSOIdentity{Issuer: "https://idp.school.example", Subject: "idp-sam", Email: "Sam@School.Example", EmailVerified: true, Name: tt.idpName}

			token, st, err := f.svc.SignInSSO(ctx, id, true)
			if err != nil {
				t.Fatalf("SignInSSO: %v", err)
			}
			if st.ID == "" || st.Email != "sam@school.example" || st.Name != tt.wantName ||
				st.Roles != (store.Roles{Host: true}) || st.PasswordHash != "" || !st.Active() {
				t.Errorf("provisioned account = %+v, want an active host-only account for sam@school.example named %q without a password", st, tt.wantName)
			}
			stored, err := f.db.StaffByEmail(ctx, "sam@school.example")
			if err != nil || stored != st {
				t.Errorf("StaffByEmail = %+v, %v; want %+v", stored, err, st)
			}
			if got, err := f.svc.Staff(ctx, token); err != nil || got != st {
				t.Errorf("Staff(login token) = %+v, %v; want %+v", got, err, st)
			}

			es, err := f.db.AuditEntries(ctx, 0, 100)
			if err != nil || len(es) != 2 {
				t.Fatalf("AuditEntries = %d entries, %v; want staff.add then staff.signin", len(es), err)
			}
			add, signin := es[0], es[1]
			if add.Action != "staff.add" || add.Outcome != audit.Allowed || add.Actor != "system:sso" ||
				add.Subject != "staff:"+string(st.ID) || add.Details["roles"] != "host" {
				t.Errorf("first audit entry = %+v, want staff.add of a host by system:sso", add)
			}
			if signin.Action != "staff.signin" || signin.Outcome != audit.Allowed ||
				signin.Actor != "staff:"+string(st.ID) || signin.Details["method"] != "sso" {
				t.Errorf("second audit entry = %+v, want an allowed sso staff.signin by the new account", signin)
			}

			// The next sign-in finds the account rather than making another.
			if _, again, err := f.svc.SignInSSO(ctx, id, true); err != nil || again.ID != st.ID {
				t.Errorf("second SignInSSO = %+v, %v; want the same account %s", again, err, st.ID)
			}
			if n := f.staffCount(); n != 1 {
				t.Errorf("there are %d staff accounts, want 1", n)
			}
		})
	}
}

func TestSSO_ASignInThatCannotBeAuditedIsRefused(t *testing.T) {
	f := newFixture(t)
	f.staff("ann@school.example", "", false, false)
	f.breakAudit()
	for _, id := range []SSOIdentity{
		{Subject: "s1", Email: "ann@school.example", EmailVerified: true},
		{Subject: "s2", Email: "ann@school.example"},
		{Subject: "s3", Email: "new@school.example", EmailVerified: true},
	} {
		token, _, err := f.svc.SignInSSO(context.Background(), id, true)
		wantCode(t, "SignInSSO("+id.Email+")", err, errcode.AuditUnavailable)
		if token != "" {
			t.Errorf("SignInSSO(%+v) gave a token without an audit record", id)
		}
	}
	if n := f.staffCount(); n != 1 {
		t.Errorf("there are %d staff accounts, want 1 (none provisioned without an audit record)", n)
	}
}

func TestSSO_AnotherIdentityWithTheSameEmailIsRefused(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.staff("ann@school.example", "", false, false)
	first := SSOIdentity{Issuer: "https://idp.school.example", Subject: "idp-ann", Email: "ann@school.example", EmailVerified: true}
	if _, _, err := f.svc.SignInSSO(ctx, first, false); err != nil {
		t.Fatalf("first sign-on: %v", err)
	}
	// The provider gave the address to someone else (another subject).
	other := first
	other.Subject = "idp-someone-else"
	if _, _, err := f.svc.SignInSSO(ctx, other, false); errcode.Of(err) != errcode.SSORefused {
		t.Fatalf("sign-on by another identity with Ann's email: %v, want %s", err, errcode.SSORefused)
	}
	f.wantAudit("staff.signin", audit.Refused, "anonymous", map[string]string{"method": "sso", "email": "ann@school.example", "sso_subject": "idp-someone-else", "reason": "subject_mismatch"})
	if _, _, err := f.svc.SignInSSO(ctx, first, false); err != nil {
		t.Errorf("Ann again: %v", err)
	}
}
