package storetest

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"safemeet/internal/errcode"
	"safemeet/internal/meeting"
	"safemeet/internal/policy"
	"safemeet/internal/store"
)

func testRolesAndDisabling(t *testing.T, open Opener) {
	ctx := context.Background()
	t.Run("an account binds to one single sign-on identity, which no other account can take", func(t *testing.T) {
		s := open(t)
		a, b := addStaff(t, s, "a@x.example"), addStaff(t, s, "b@x.example")
		must(t, "BindSSOSubject", s.BindSSOSubject(ctx, a.ID, "https://idp.example sub-a"))
		must(t, "BindSSOSubject again", s.BindSSOSubject(ctx, a.ID, "https://idp.example sub-a"))
		got, err := s.StaffByID(ctx, a.ID)
		must(t, "StaffByID", err)
		if got.SSOSubject != "https://idp.example sub-a" {
			t.Errorf("SSOSubject = %q, want the bound identity", got.SSOSubject)
		}
		wantCode(t, "BindSSOSubject(another identity)", s.BindSSOSubject(ctx, a.ID, "https://idp.example sub-x"), errcode.NotFound)
		wantCode(t, "BindSSOSubject(taken)", s.BindSSOSubject(ctx, b.ID, "https://idp.example sub-a"), errcode.Conflict)
		wantCode(t, "BindSSOSubject(unknown)", s.BindSSOSubject(ctx, "nope", "s"), errcode.NotFound)
		if got, _ := s.StaffByID(ctx, b.ID); got.SSOSubject != "" {
			t.Errorf("b's SSOSubject = %q, want none", got.SSOSubject)
		}
	})
	t.Run("each role is set on its own and reads back exactly, leaving other accounts alone", func(t *testing.T) {
		s := open(t)
		ann := addStaff(t, s, "ann@x.example")
		bob := addStaff(t, s, "bob@x.example")
		must(t, "SetRoles(bob)", s.SetRoles(ctx, bob.ID, store.Roles{Admin: true, Approver: true, Host: true, Auditor: true}))
		bob.Roles = store.Roles{Admin: true, Approver: true, Host: true, Auditor: true}
		// One role at a time, so that a store mixing up two roles shows.
		for _, r := range []store.Roles{{Admin: true}, {Approver: true}, {Host: true}, {Auditor: true}, {}} {
			must(t, "SetRoles", s.SetRoles(ctx, ann.ID, r))
			ann.Roles = r
			got, err := s.StaffByID(ctx, ann.ID)
			must(t, "StaffByID", err)
			if got != ann {
				t.Errorf("after SetRoles(%+v) StaffByID = %+v, want %+v", r, got, ann)
			}
			list, err := s.ListStaff(ctx)
			must(t, "ListStaff", err)
			if want := []store.Staff{ann, bob}; !slices.Equal(list, want) {
				t.Errorf("after SetRoles(%+v) ListStaff = %+v, want %+v", r, list, want)
			}
		}
	})
	t.Run("setting the roles of an unknown account is not found", func(t *testing.T) {
		s := open(t)
		wantCode(t, "SetRoles", s.SetRoles(ctx, "nobody", store.Roles{Host: true}), errcode.NotFound)
	})
	t.Run("disabling twice keeps the first time and enabling clears it", func(t *testing.T) {
		s := open(t)
		st := addStaff(t, s, "ann@x.example")
		must(t, "DisableStaff", s.DisableStaff(ctx, st.ID, t0.Add(time.Minute)))
		must(t, "second DisableStaff", s.DisableStaff(ctx, st.ID, t0.Add(time.Hour)))
		got, err := s.StaffByID(ctx, st.ID)
		must(t, "StaffByID", err)
		want := st
		want.DisabledAt = t0.Add(time.Minute)
		if got != want {
			t.Errorf("disabled StaffByID = %+v, want %+v", got, want)
		}
		must(t, "EnableStaff", s.EnableStaff(ctx, st.ID))
		got, err = s.StaffByID(ctx, st.ID)
		must(t, "StaffByID", err)
		if got != st {
			t.Errorf("re-enabled StaffByID = %+v, want %+v", got, st)
		}
	})
	t.Run("disabling deletes the account's logins, which stay gone once it is enabled, and no one else's", func(t *testing.T) {
		s := open(t)
		ann := addStaff(t, s, "ann@x.example")
		bob := addStaff(t, s, "bob@x.example")
		for _, l := range []store.Login{
			{IDHash: "h-ann-1", StaffID: ann.ID, CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)},
			{IDHash: "h-ann-2", StaffID: ann.ID, CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)},
			{IDHash: "h-bob", StaffID: bob.ID, CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)},
		} {
			must(t, "CreateLogin", s.CreateLogin(ctx, l))
		}
		must(t, "DisableStaff", s.DisableStaff(ctx, ann.ID, t0))
		must(t, "EnableStaff", s.EnableStaff(ctx, ann.ID))
		for _, h := range []string{"h-ann-1", "h-ann-2"} {
			_, err := s.LoginStaff(ctx, h, t0)
			wantCode(t, "LoginStaff("+h+")", err, errcode.NotFound)
		}
		got, err := s.LoginStaff(ctx, "h-bob", t0)
		must(t, "LoginStaff(h-bob)", err)
		if got != bob {
			t.Errorf("LoginStaff(h-bob) = %+v, want %+v", got, bob)
		}
	})
	t.Run("disabling or enabling an unknown account is not found", func(t *testing.T) {
		s := open(t)
		wantCode(t, "DisableStaff", s.DisableStaff(ctx, "nobody", t0), errcode.NotFound)
		wantCode(t, "EnableStaff", s.EnableStaff(ctx, "nobody"), errcode.NotFound)
	})
}

func testMeetingUpdates(t *testing.T, open Opener) {
	ctx := context.Background()
	t.Run("an update replaces every changeable field and keeps the host, creation and end", func(t *testing.T) {
		s := open(t)
		host := addStaff(t, s, "host@x.example")
		approver := addStaff(t, s, "approver@x.example")
		m := addMeeting(t, s, host.ID, t0.Add(24*time.Hour))
		untouched := addMeeting(t, s, host.ID, t0.Add(24*time.Hour))
		must(t, "EndMeeting", s.EndMeeting(ctx, m.ID, t0.Add(time.Minute)))
		m.EndedAt = t0.Add(time.Minute)

		want := m
		want.Title, want.Purpose, want.Category = "Review (moved)", "Termly review\nwith the new tutor", "Parent or carer meeting"
		want.Profile = policy.ProfileChildren
		want.StartsAt, want.Duration = t0.Add(48*time.Hour+time.Nanosecond), 90*time.Minute
		want.Approval, want.ApprovedBy, want.ApprovalAt = meeting.ApprovalApproved, approver.ID, t0.Add(2*time.Minute)
		want.ApprovalNote, want.Revision = "Fine, with a second member of staff.", 3
		in := want // what cannot change is changed here, and must be ignored
		in.HostID, in.CreatedAt, in.EndedAt = approver.ID, t0.Add(time.Hour), time.Time{}
		must(t, "UpdateMeeting", s.UpdateMeeting(ctx, in))
		got, err := s.Meeting(ctx, m.ID)
		must(t, "Meeting", err)
		if got != want {
			t.Errorf("after UpdateMeeting Meeting = %+v, want %+v", got, want)
		}
		got, err = s.Meeting(ctx, untouched.ID)
		must(t, "Meeting(other)", err)
		if got != untouched {
			t.Errorf("another meeting after UpdateMeeting = %+v, want %+v", got, untouched)
		}

		// Editing what was approved makes it pending again, with no approval time.
		want.Approval, want.ApprovedBy, want.ApprovalAt, want.ApprovalNote = meeting.ApprovalPending, "", time.Time{}, ""
		want.Revision = 4
		must(t, "second UpdateMeeting", s.UpdateMeeting(ctx, want))
		got, err = s.Meeting(ctx, m.ID)
		must(t, "Meeting", err)
		if got != want {
			t.Errorf("after second UpdateMeeting Meeting = %+v, want %+v", got, want)
		}
	})
	t.Run("updating an unknown meeting is not found", func(t *testing.T) {
		s := open(t)
		host := addStaff(t, s, "host@x.example")
		m := meeting.Meeting{ID: meeting.NewID(), HostID: host.ID, Title: "X", StartsAt: t0, CreatedAt: t0, Approval: meeting.ApprovalPending}
		wantCode(t, "UpdateMeeting", s.UpdateMeeting(ctx, m), errcode.NotFound)
	})
	t.Run("only pending meetings not yet ended await approval, soonest first", func(t *testing.T) {
		s := open(t)
		host := addStaff(t, s, "host@x.example")
		other := addStaff(t, s, "other@x.example")
		later := addMeeting(t, s, host.ID, t0.Add(48*time.Hour))
		sooner := addMeeting(t, s, other.ID, t0.Add(time.Nanosecond))
		ended := addMeeting(t, s, host.ID, t0)
		must(t, "EndMeeting", s.EndMeeting(ctx, ended.ID, t0))
		for _, a := range []meeting.Approval{meeting.ApprovalApproved, meeting.ApprovalNotNeeded, meeting.ApprovalDeclined} {
			m := meeting.Meeting{ID: meeting.NewID(), HostID: host.ID, Title: string(a), StartsAt: t0.Add(time.Hour), CreatedAt: t0, Approval: a}
			must(t, "CreateMeeting", s.CreateMeeting(ctx, m))
		}
		got, err := s.MeetingsAwaitingApproval(ctx)
		must(t, "MeetingsAwaitingApproval", err)
		if want := []meeting.Meeting{sooner, later}; !slices.Equal(got, want) {
			t.Errorf("MeetingsAwaitingApproval = %+v, want %+v", got, want)
		}
	})
}

func testContractAcceptances(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t)
	host := addStaff(t, s, "host@x.example")
	m := addMeeting(t, s, host.ID, t0)
	other := addMeeting(t, s, host.ID, t0)
	invite := func(meetingID meeting.ID, name string) meeting.Invitation {
		t.Helper()
		inv := meeting.Invitation{ID: meeting.NewInvitationID(), MeetingID: meetingID, Name: name, RoleLabel: "parent", CreatedAt: t0}
		must(t, "CreateInvitation", s.CreateInvitation(ctx, inv, "hash-"+string(inv.ID)))
		return inv
	}
	al, bo, cy := invite(m.ID, "Al"), invite(m.ID, "Bo"), invite(other.ID, "Cy")
	accepts := []store.ContractAcceptance{
		{Meeting: m.ID, Invitation: al.ID, Name: "Al", ContractHash: "h1", At: t0.Add(time.Second)},
		{Meeting: m.ID, Invitation: bo.ID, Name: "Bo", ContractHash: "h1", At: t0},
		{Meeting: m.ID, Invitation: al.ID, Name: "Al", ContractHash: "h2", At: t0.Add(2 * time.Second)},
		{Meeting: other.ID, Invitation: cy.ID, Name: "Cy", ContractHash: "h1", At: t0},
	}
	for _, a := range accepts {
		must(t, "RecordContractAcceptance", s.RecordContractAcceptance(ctx, a))
	}
	again := accepts[0]
	again.Name, again.At = "Al Again", t0.Add(time.Hour)
	must(t, "RecordContractAcceptance again", s.RecordContractAcceptance(ctx, again))

	t.Run("an acceptance counts for its invitation and contract text only", func(t *testing.T) {
		tests := []struct {
			name     string
			meeting  meeting.ID
			inv      meeting.InvitationID
			hash     string
			accepted bool
		}{
			{"the accepted text", m.ID, al.ID, "h1", true},
			{"a later accepted text", m.ID, al.ID, "h2", true},
			{"text never shown", m.ID, al.ID, "h3", false},
			{"text another invitee accepted", m.ID, bo.ID, "h2", false},
			{"the invitation asked for under another meeting", other.ID, al.ID, "h1", false},
		}
		for _, tt := range tests {
			got, err := s.ContractAccepted(ctx, tt.meeting, tt.inv, tt.hash)
			must(t, "ContractAccepted", err)
			if got != tt.accepted {
				t.Errorf("%s: ContractAccepted = %v, want %v", tt.name, got, tt.accepted)
			}
		}
	})
	t.Run("a meeting's acceptances are listed oldest first, keeping the first of a repeat", func(t *testing.T) {
		got, err := s.ContractAcceptances(ctx, m.ID)
		must(t, "ContractAcceptances", err)
		if want := []store.ContractAcceptance{accepts[1], accepts[0], accepts[2]}; !slices.Equal(got, want) {
			t.Errorf("ContractAcceptances = %+v, want %+v", got, want)
		}
		got, err = s.ContractAcceptances(ctx, other.ID)
		must(t, "ContractAcceptances(other)", err)
		if want := accepts[3:]; !slices.Equal(got, want) {
			t.Errorf("ContractAcceptances(other) = %+v, want %+v", got, want)
		}
	})
}

func testSettings(t *testing.T, open Opener) {
	ctx := context.Background()
	t.Run("a new store has the purpose categories", func(t *testing.T) {
		s := open(t)
		v, err := s.Setting(ctx, store.SettingPurposeCategories)
		must(t, "Setting", err)
		var cats []string
		if err := json.Unmarshal([]byte(v), &cats); err != nil {
			t.Fatalf("purpose categories %q are not a JSON array of strings: %v", v, err)
		}
		if !slices.Contains(cats, "Annual review") {
			t.Errorf("purpose categories = %q, want them to include %q", cats, "Annual review")
		}
	})
	t.Run("an unset setting is not found", func(t *testing.T) {
		s := open(t)
		_, err := s.Setting(ctx, store.SettingSMTP)
		wantCode(t, "Setting", err, errcode.NotFound)
	})
	t.Run("a setting reads back and a second set replaces it, leaving other keys alone", func(t *testing.T) {
		s := open(t)
		wantSetting := func(key, want string) {
			t.Helper()
			got, err := s.Setting(ctx, key)
			must(t, "Setting("+key+")", err)
			if got != want {
				t.Errorf("Setting(%s) = %q, want %q", key, got, want)
			}
		}
		for _, v := range []string{`{"host":"mail.x.example","port":587}`, `{"host":"relay.x.example","port":25}`} {
			must(t, "SetSetting(smtp)", s.SetSetting(ctx, store.SettingSMTP, v, t0))
			wantSetting(store.SettingSMTP, v)
		}
		_, err := s.Setting(ctx, store.SettingOIDC)
		wantCode(t, "Setting(oidc)", err, errcode.NotFound)
		must(t, "SetSetting(oidc)", s.SetSetting(ctx, store.SettingOIDC, `{"issuer":"https://id.x.example"}`, t0))
		wantSetting(store.SettingOIDC, `{"issuer":"https://id.x.example"}`)
		wantSetting(store.SettingSMTP, `{"host":"relay.x.example","port":25}`)
	})
}
