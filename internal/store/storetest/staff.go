package storetest

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"safemeet/internal/errcode"
	"safemeet/internal/meeting"
	"safemeet/internal/store"
)

func testStaff(t *testing.T, open Opener) {
	ctx := context.Background()
	t.Run("a first start has no staff and creates the org exactly once", func(t *testing.T) {
		s := open(t)
		n, err := s.CountStaff(ctx)
		must(t, "CountStaff", err)
		if n != 0 {
			t.Errorf("CountStaff = %d, want 0", n)
		}
		for i, want := range []bool{true, false} {
			got, err := s.EnsureOrg(ctx, "Hillside School", t0)
			must(t, "EnsureOrg", err)
			if got != want {
				t.Errorf("EnsureOrg call %d created = %v, want %v", i+1, got, want)
			}
		}
	})
	t.Run("an account reads back exactly by ID and by email in any letter case", func(t *testing.T) {
		s := open(t)
		want := store.Staff{
			ID: meeting.NewStaffID(), Email: "ann@school.example", Name: "Ann Lee",
			PasswordHash: "$argon2id$x", Roles: store.Roles{Admin: true, Approver: true}, CreatedAt: t0, DisabledAt: t0.Add(time.Hour),
		}
		in := want
		in.Email = " Ann@School.EXAMPLE "
		must(t, "CreateStaff", s.CreateStaff(ctx, in))
		got, err := s.StaffByID(ctx, want.ID)
		must(t, "StaffByID", err)
		if got != want {
			t.Errorf("StaffByID = %+v, want %+v", got, want)
		}
		got, err = s.StaffByEmail(ctx, "ANN@school.example")
		must(t, "StaffByEmail", err)
		if got != want {
			t.Errorf("StaffByEmail = %+v, want %+v", got, want)
		}
		n, err := s.CountStaff(ctx)
		must(t, "CountStaff", err)
		if n != 1 {
			t.Errorf("CountStaff = %d, want 1", n)
		}
	})
	t.Run("an email already taken in another letter case is a conflict", func(t *testing.T) {
		s := open(t)
		addStaff(t, s, "ann@school.example")
		err := s.CreateStaff(ctx, store.Staff{ID: meeting.NewStaffID(), Email: "ANN@school.example", CreatedAt: t0})
		wantCode(t, "CreateStaff", err, errcode.Conflict)
	})
	t.Run("an unknown email or ID is not found", func(t *testing.T) {
		s := open(t)
		_, err := s.StaffByEmail(ctx, "nobody@school.example")
		wantCode(t, "StaffByEmail", err, errcode.NotFound)
		_, err = s.StaffByID(ctx, "nobody")
		wantCode(t, "StaffByID", err, errcode.NotFound)
	})
	t.Run("staff are listed in email order", func(t *testing.T) {
		s := open(t)
		for _, e := range []string{"cat@x.example", "ann@x.example", "bob@x.example"} {
			addStaff(t, s, e)
		}
		list, err := s.ListStaff(ctx)
		must(t, "ListStaff", err)
		var got []string
		for _, st := range list {
			got = append(got, st.Email)
		}
		if want := []string{"ann@x.example", "bob@x.example", "cat@x.example"}; !slices.Equal(got, want) {
			t.Errorf("ListStaff emails = %v, want %v", got, want)
		}
	})
	t.Run("setting a password replaces the hash, and a missing account is not found", func(t *testing.T) {
		s := open(t)
		st := addStaff(t, s, "ann@x.example")
		must(t, "SetPassword", s.SetPassword(ctx, st.ID, "$argon2id$new"))
		got, err := s.StaffByID(ctx, st.ID)
		must(t, "StaffByID", err)
		if got.PasswordHash != "$argon2id$new" {
			t.Errorf("PasswordHash = %q, want %q", got.PasswordHash, "$argon2id$new")
		}
		wantCode(t, "SetPassword(missing)", s.SetPassword(ctx, "nobody", "h"), errcode.NotFound)
	})
}

func testLogins(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t)
	active := addStaff(t, s, "active@x.example")
	disabled := store.Staff{ID: meeting.NewStaffID(), Email: "gone@x.example", CreatedAt: t0, DisabledAt: t0}
	must(t, "CreateStaff", s.CreateStaff(ctx, disabled))
	login := func(id meeting.StaffID, hash string) {
		t.Helper()
		l := store.Login{IDHash: hash, StaffID: id, CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}
		must(t, "CreateLogin", s.CreateLogin(ctx, l))
	}
	login(active.ID, "h-active")
	login(disabled.ID, "h-disabled")
	login(active.ID, "h-deleted")
	must(t, "DeleteLogin", s.DeleteLogin(ctx, "h-deleted"))

	tests := []struct {
		name   string
		hash   string
		now    time.Time
		wantID meeting.StaffID // "" means not found
	}{
		{"an unexpired login returns its staff member", "h-active", t0.Add(59 * time.Minute), active.ID},
		{"a login at its expiry time is not found", "h-active", t0.Add(time.Hour), ""},
		{"an expired login is not found", "h-active", t0.Add(2 * time.Hour), ""},
		{"a login of a disabled account is not found", "h-disabled", t0, ""},
		{"a deleted login is not found", "h-deleted", t0, ""},
		{"an unknown login is not found", "h-unknown", t0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, err := s.LoginStaff(ctx, tt.hash, tt.now)
			if tt.wantID == "" {
				wantCode(t, "LoginStaff", err, errcode.NotFound)
				return
			}
			must(t, "LoginStaff", err)
			if st != active {
				t.Errorf("LoginStaff = %+v, want %+v", st, active)
			}
		})
	}
	t.Run("deleting a missing login is not an error", func(t *testing.T) {
		must(t, "DeleteLogin", s.DeleteLogin(ctx, "h-never"))
	})
	t.Run("a login for a missing account is not found", func(t *testing.T) {
		err := s.CreateLogin(ctx, store.Login{IDHash: "h-orphan", StaffID: "nobody", CreatedAt: t0, ExpiresAt: t0})
		wantCode(t, "CreateLogin", err, errcode.NotFound)
	})
}

func testSigninLinks(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t)
	st := addStaff(t, s, "ann@x.example")
	link := func(hash string) {
		t.Helper()
		l := store.SigninLink{TokenHash: hash, StaffID: st.ID, CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}
		must(t, "CreateSigninLink", s.CreateSigninLink(ctx, l))
	}
	t.Run("a link can be used once", func(t *testing.T) {
		link("once")
		id, err := s.UseSigninLink(ctx, "once", t0)
		must(t, "UseSigninLink", err)
		if id != st.ID {
			t.Errorf("UseSigninLink = %q, want %q", id, st.ID)
		}
		_, err = s.UseSigninLink(ctx, "once", t0)
		wantCode(t, "second UseSigninLink", err, errcode.NotFound)
	})
	t.Run("a link used at or after its expiry is not found", func(t *testing.T) {
		link("late")
		_, err := s.UseSigninLink(ctx, "late", t0.Add(time.Hour))
		wantCode(t, "UseSigninLink", err, errcode.NotFound)
	})
	t.Run("an unknown link is not found", func(t *testing.T) {
		_, err := s.UseSigninLink(ctx, "unknown", t0)
		wantCode(t, "UseSigninLink", err, errcode.NotFound)
	})
	t.Run("a link for a missing account is not found", func(t *testing.T) {
		err := s.CreateSigninLink(ctx, store.SigninLink{TokenHash: "x", StaffID: "nobody", CreatedAt: t0, ExpiresAt: t0})
		wantCode(t, "CreateSigninLink", err, errcode.NotFound)
	})
	t.Run("a link used by many at once succeeds exactly once", func(t *testing.T) {
		link("race")
		var wins atomic.Int32
		var wg sync.WaitGroup
		for range 10 {
			wg.Go(func() {
				_, err := s.UseSigninLink(ctx, "race", t0)
				switch errcode.Of(err) {
				case "":
					wins.Add(1)
				case errcode.NotFound:
				default:
					t.Errorf("UseSigninLink: %v", err)
				}
			})
		}
		wg.Wait()
		if got := wins.Load(); got != 1 {
			t.Errorf("%d uses succeeded, want 1", got)
		}
	})
}
