package auth

import (
	"context"
	"testing"
	"time"

	"safemeet/internal/audit"
	"safemeet/internal/errcode"
	"safemeet/internal/secret"
	"safemeet/internal/store"
)

func TestSigningInWithTheRightPassword(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	ann := f.staff("ann@school.example", goodPassword, false, false)

	token, st, err := f.svc.SignIn(ctx, "  Ann@School.Example ", goodPassword)
	if err != nil {
		t.Fatalf("SignIn: %v", err)
	}
	if st != ann {
		t.Errorf("SignIn staff = %+v, want %+v", st, ann)
	}
	f.wantAudit("staff.signin", audit.Allowed, "staff:"+string(ann.ID), map[string]string{"email": "ann@school.example"})

	t.Run("gives a login token that names the staff member", func(t *testing.T) {
		got, err := f.svc.Staff(ctx, token)
		if err != nil || got != ann {
			t.Errorf("Staff = %+v, %v; want %+v", got, err, ann)
		}
	})
	t.Run("stores only the login token's hash", func(t *testing.T) {
		if _, err := f.db.LoginStaff(ctx, token, t0); errcode.Of(err) != errcode.NotFound {
			t.Errorf("LoginStaff(raw token) = %v, want not found", err)
		}
		if _, err := f.db.LoginStaff(ctx, secret.Hash(token), t0); err != nil {
			t.Errorf("LoginStaff(hash) = %v, want found", err)
		}
	})
	t.Run("gives a login that expires after the login lifetime", func(t *testing.T) {
		f.now = t0.Add(DefaultLoginTTL - time.Second)
		if _, err := f.svc.Staff(ctx, token); err != nil {
			t.Errorf("Staff just before expiry: %v", err)
		}
		f.now = t0.Add(DefaultLoginTTL)
		_, err := f.svc.Staff(ctx, token)
		wantErr(t, "Staff at expiry", err, errcode.NotSignedIn)
		f.now = t0
	})
	t.Run("gives a login that ends at sign-out", func(t *testing.T) {
		if err := f.svc.SignOut(ctx, token); err != nil {
			t.Fatalf("SignOut: %v", err)
		}
		f.wantAudit("staff.signout", audit.Allowed, "staff:"+string(ann.ID), nil)
		_, err := f.svc.Staff(ctx, token)
		wantErr(t, "Staff after sign-out", err, errcode.NotSignedIn)
	})
}

func TestEveryFailedSignInLooksTheSame(t *testing.T) {
	f := newFixture(t)
	f.staff("ann@school.example", goodPassword, false, false)
	f.staff("link@school.example", "", false, false)
	f.staff("gone@school.example", goodPassword, false, true)
	tests := []struct {
		name, email, password, reason string
	}{
		{"an unknown email is refused", "nobody@school.example", goodPassword, "unknown_email"},
		{"a wrong password is refused", "ann@school.example", "wrong password!", "wrong_password"},
		{"an account without a password is refused", "link@school.example", goodPassword, "no_password"},
		{"a disabled account with the right password is refused", "gone@school.example", goodPassword, "disabled"},
		{"an empty password is refused", "ann@school.example", "", "wrong_password"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			token, st, err := f.svc.SignIn(context.Background(), tt.email, tt.password)
			wantErr(t, "SignIn", err, errcode.BadCredentials)
			if token != "" || st != (store.Staff{}) {
				t.Errorf("SignIn = %q, %+v; want nothing", token, st)
			}
			f.wantAudit("staff.signin", audit.Refused, "anonymous", map[string]string{"email": tt.email, "reason": tt.reason})
		})
	}
}

func TestAnUntidyEmailIsAuditedSafely(t *testing.T) {
	f := newFixture(t)
	_, _, err := f.svc.SignIn(context.Background(), "bad\xff\x00byte@x.example", goodPassword)
	wantErr(t, "SignIn", err, errcode.BadCredentials)
	f.wantAudit("staff.signin", audit.Refused, "anonymous",
		map[string]string{"email": "bad\uFFFD\uFFFDbyte@x.example", "reason": "unknown_email"})
}

func TestASignInThatCannotBeAuditedIsRefused(t *testing.T) {
	f := newFixture(t)
	f.staff("ann@school.example", goodPassword, false, false)
	f.breakAudit()
	for _, pw := range []string{goodPassword, "wrong password!"} {
		token, _, err := f.svc.SignIn(context.Background(), "ann@school.example", pw)
		wantCode(t, "SignIn", err, errcode.AuditUnavailable)
		if token != "" {
			t.Errorf("SignIn gave a token %q without an audit record", token)
		}
	}
}

func TestStaffRefusesAnythingButAValidLogin(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	gone := f.staff("gone@school.example", goodPassword, false, true)
	disabledToken := secret.New()
	l := store.Login{IDHash: secret.Hash(disabledToken), StaffID: gone.ID, CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}
	if err := f.db.CreateLogin(ctx, l); err != nil {
		t.Fatalf("CreateLogin: %v", err)
	}
	tests := []struct{ name, token string }{
		{"a malformed token is not signed in", "not-a-token"},
		{"an empty token is not signed in", ""},
		{"an unknown token is not signed in", secret.New()},
		{"a disabled account's login is not signed in", disabledToken},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.svc.Staff(ctx, tt.token)
			wantErr(t, "Staff", err, errcode.NotSignedIn)
		})
	}
}

func TestSigningOutAnUnknownLoginDoesNothing(t *testing.T) {
	f := newFixture(t)
	for _, token := range []string{"garbage", secret.New()} {
		if err := f.svc.SignOut(context.Background(), token); err != nil {
			t.Errorf("SignOut(%q) = %v, want nil", token, err)
		}
	}
	if n := f.auditCount(); n != 0 {
		t.Errorf("audit holds %d entries, want 0", n)
	}
}

func TestASignOutThatCannotBeAuditedIsRefused(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.staff("ann@school.example", goodPassword, false, false)
	token, _, err := f.svc.SignIn(ctx, "ann@school.example", goodPassword)
	if err != nil {
		t.Fatalf("SignIn: %v", err)
	}
	f.breakAudit()
	wantCode(t, "SignOut", f.svc.SignOut(ctx, token), errcode.AuditUnavailable)
	if _, err := f.svc.Staff(ctx, token); err != nil {
		t.Errorf("Staff after refused sign-out = %v, want still signed in", err)
	}
}

func TestTheLoginLifetimeCanBeChosen(t *testing.T) {
	tests := []struct {
		name string
		ttl  time.Duration
		want time.Duration
	}{
		{"no lifetime means the default", 0, DefaultLoginTTL},
		{"a chosen lifetime is kept", time.Hour, time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			f.svc.LoginTTL = tt.ttl
			if got := f.svc.TTL(); got != tt.want {
				t.Errorf("TTL = %v, want %v", got, tt.want)
			}
			f.staff("ann@school.example", goodPassword, false, false)
			token, _, err := f.svc.SignIn(context.Background(), "ann@school.example", goodPassword)
			if err != nil {
				t.Fatalf("SignIn: %v", err)
			}
			f.now = t0.Add(tt.want)
			_, err = f.svc.Staff(context.Background(), token)
			wantErr(t, "Staff at the end of the lifetime", err, errcode.NotSignedIn)
		})
	}
}
