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

func TestAFirstStartMakesAnAdminWithAOneTimeLink(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	link, created, err := f.svc.Bootstrap(ctx, "Hillside School", "Head@Hillside.Example", time.Hour)
	if err != nil || !created || !secret.WellFormed(link) {
		t.Fatalf("Bootstrap = %q, %v, %v; want a link, true, nil", link, created, err)
	}
	f.wantAudit("staff.signin_link_issue", audit.Allowed, "system", map[string]string{"expires_at": "2026-03-04T10:30:00Z"})

	token, st, err := f.svc.SignInWithLink(ctx, link)
	if err != nil {
		t.Fatalf("SignInWithLink: %v", err)
	}
	want := store.Staff{ID: st.ID, Email: "head@hillside.example", Name: "Administrator", Roles: AllRoles, CreatedAt: t0}
	if st != want {
		t.Errorf("admin = %+v, want %+v", st, want)
	}
	f.wantAudit("staff.signin_link", audit.Allowed, "staff:"+string(st.ID), nil)
	if _, err := f.svc.Staff(ctx, token); err != nil {
		t.Errorf("Staff(login from link) = %v, want signed in", err)
	}

	t.Run("the link works only once", func(t *testing.T) {
		_, _, err := f.svc.SignInWithLink(ctx, link)
		wantErr(t, "second SignInWithLink", err, errcode.LinkExpired)
		f.wantAudit("staff.signin_link", audit.Refused, "anonymous", map[string]string{"reason": "unknown_used_or_expired"})
	})
	t.Run("a second start does nothing, whatever it is given", func(t *testing.T) {
		before := f.auditCount()
		link, created, err := f.svc.Bootstrap(ctx, "", "", 0)
		if link != "" || created || err != nil {
			t.Errorf("second Bootstrap = %q, %v, %v; want \"\", false, nil", link, created, err)
		}
		if got := f.auditCount(); got != before {
			t.Errorf("audit entries went from %d to %d, want no change", before, got)
		}
	})
}

func TestBootstrapRefusesBadSettings(t *testing.T) {
	tests := []struct {
		name, org, email string
		ttl              time.Duration
		field            string
	}{
		{"an empty organisation name is refused", " ", "a@x.example", time.Hour, "organisation name"},
		{"a named admin address is refused", "Org", "Head <a@x.example>", time.Hour, "email"},
		{"a link without a lifetime is refused", "Org", "a@x.example", 0, "sign-in link lifetime"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			_, _, err := f.svc.Bootstrap(context.Background(), tt.org, tt.email, tt.ttl)
			wantField(t, err, tt.field)
			if n, _ := f.db.CountStaff(context.Background()); n != 0 {
				t.Errorf("CountStaff = %d, want 0", n)
			}
		})
	}
}

func TestASignInLinkExpires(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	ann := f.staff("ann@school.example", "", false, false)
	link, err := f.svc.IssueSigninLink(ctx, ann.ID, time.Hour)
	if err != nil {
		t.Fatalf("IssueSigninLink: %v", err)
	}
	f.now = t0.Add(time.Hour)
	_, _, err = f.svc.SignInWithLink(ctx, link)
	wantErr(t, "SignInWithLink at expiry", err, errcode.LinkExpired)
}

func TestUnusableLinksAreRefusedAlike(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	gone := f.staff("gone@school.example", "", false, true)
	goneLink := secret.New()
	l := store.SigninLink{TokenHash: secret.Hash(goneLink), StaffID: gone.ID, CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}
	if err := f.db.CreateSigninLink(ctx, l); err != nil {
		t.Fatalf("CreateSigninLink: %v", err)
	}
	tests := []struct{ name, link, reason string }{
		{"a malformed link is refused", "garbage", "malformed"},
		{"an unknown link is refused", secret.New(), "unknown_used_or_expired"},
		{"a disabled account's link is refused", goneLink, "disabled"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			token, _, err := f.svc.SignInWithLink(ctx, tt.link)
			wantErr(t, "SignInWithLink", err, errcode.LinkExpired)
			if token != "" {
				t.Errorf("SignInWithLink gave token %q", token)
			}
			if got := f.lastAudit().Details["reason"]; got != tt.reason {
				t.Errorf("audited reason = %q, want %q", got, tt.reason)
			}
		})
	}
}

func TestIssuingALinkRefusesBadRequests(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	ann := f.staff("ann@school.example", "", false, false)
	gone := f.staff("gone@school.example", "", false, true)
	tests := []struct {
		name string
		run  func() error
		want errcode.Code
	}{
		{"a link for an unknown account is not found", func() error {
			_, err := f.svc.IssueSigninLink(ctx, "nobody", time.Hour)
			return err
		}, errcode.NotFound},
		{"a link for a disabled account is forbidden", func() error {
			_, err := f.svc.IssueSigninLink(ctx, gone.ID, time.Hour)
			return err
		}, errcode.Forbidden},
		{"a link with no lifetime is invalid", func() error {
			_, err := f.svc.IssueSigninLink(ctx, ann.ID, 0)
			return err
		}, errcode.Invalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { wantCode(t, "IssueSigninLink", tt.run(), tt.want) })
	}
}

func TestALinkSignInThatCannotBeAuditedIsRefused(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	ann := f.staff("ann@school.example", "", false, false)
	link, err := f.svc.IssueSigninLink(ctx, ann.ID, time.Hour)
	if err != nil {
		t.Fatalf("IssueSigninLink: %v", err)
	}
	f.breakAudit()
	token, _, err := f.svc.SignInWithLink(ctx, link)
	wantCode(t, "SignInWithLink", err, errcode.AuditUnavailable)
	if token != "" {
		t.Errorf("SignInWithLink gave a token %q without an audit record", token)
	}
	_, err = f.svc.IssueSigninLink(ctx, ann.ID, time.Hour)
	wantCode(t, "IssueSigninLink", err, errcode.AuditUnavailable)
}
