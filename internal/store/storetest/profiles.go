package storetest

import (
	"context"
	"slices"
	"testing"
	"time"

	"safemeet/internal/errcode"
	"safemeet/internal/meeting"
	"safemeet/internal/policy"
)

// shipped are the profiles every new store starts with, in listing order.
var shipped = []policy.Profile{
	{ID: policy.ProfileChildren, Name: "Children and families", Rules: policy.Rules{
		AutoLockMinutes: 5, ScreenShare: policy.ShareHostOnly, MediaOnEntry: policy.EntryMuted,
		SelfUnmute: policy.UnmuteWhenAsked, DisplayNames: policy.NamesFixed, Chime: true, MaxParticipants: 30,
		DirectMessages: policy.DirectOff, ChatLinks: policy.LinksText, ChatHistory: policy.HistorySinceStart,
	}, Scheduling: policy.Scheduling{
		RequiresApproval: true, InviteTiming: policy.InviteDayBefore, LinkOpensMinutesBefore: 15, LinkClosesMinutesAfter: 0,
	}, Contract: policy.DefaultContract, Retention: policy.DefaultRetention},
	{ID: policy.ProfileAdults, Name: "Adults — external", Rules: policy.Rules{
		AutoLockMinutes: 10, ScreenShare: policy.ShareHosts, MediaOnEntry: policy.EntryMuted,
		SelfUnmute: policy.UnmuteFree, DisplayNames: policy.NamesFixed, Chime: true, MaxParticipants: 50,
		DirectMessages: policy.DirectOff, ChatLinks: policy.LinksText, ChatHistory: policy.HistorySinceStart,
	}, Scheduling: policy.Scheduling{
		RequiresApproval: false, InviteTiming: policy.InviteNow, LinkOpensMinutesBefore: 15, LinkClosesMinutesAfter: 15,
	}, Contract: policy.DefaultContract, Retention: policy.DefaultRetention},
	{ID: policy.ProfileInternalStaff, Name: "Internal staff", Rules: policy.Rules{
		AutoLockMinutes: 0, ScreenShare: policy.ShareEveryone, MediaOnEntry: policy.EntryAllowed,
		SelfUnmute: policy.UnmuteFree, DisplayNames: policy.NamesRenamable, Chime: false, MaxParticipants: 100,
		DirectMessages: policy.DirectObserved, ChatLinks: policy.LinksClickable, ChatHistory: policy.HistorySinceStart,
	}, Scheduling: policy.Scheduling{
		RequiresApproval: false, InviteTiming: policy.InviteNow, LinkOpensMinutesBefore: 60, LinkClosesMinutesAfter: 60,
	}, Retention: policy.DefaultRetention},
}

// profileIDs returns the IDs of ps, in order.
func profileIDs(ps []policy.Profile) []string {
	out := make([]string, 0, len(ps))
	for _, p := range ps {
		out = append(out, string(p.ID))
	}
	return out
}

// custom is a valid profile that is not shipped.
func custom(id, name string) policy.Profile {
	r := shipped[1].Rules
	r.MaxParticipants = 12
	sc := shipped[0].Scheduling
	sc.LinkOpensMinutesBefore = 5
	return policy.Profile{ID: meeting.ProfileID(id), Name: name, Rules: r, Scheduling: sc, Contract: "Be kind.\nNo recording.",
		Retention: policy.Retention{ChatDays: 30, RegisterDays: 400}}
}

func testProfiles(t *testing.T, open Opener) {
	ctx := context.Background()
	t.Run("a new store has the three shipped profiles, strictest first, with full rules", func(t *testing.T) {
		s := open(t)
		got, err := s.Profiles(ctx)
		must(t, "Profiles", err)
		if len(got) != len(shipped) {
			t.Fatalf("Profiles = %v, want %v", profileIDs(got), profileIDs(shipped))
		}
		for i, want := range shipped {
			if got[i] != want {
				t.Errorf("profile %d = %+v, want %+v", i, got[i], want)
			}
			one, err := s.Profile(ctx, want.ID)
			must(t, "Profile", err)
			if one != want {
				t.Errorf("Profile(%s) = %+v, want %+v", want.ID, one, want)
			}
		}
		if !got[0].Rules.AtLeastAsStrictAs(got[1].Rules) || !got[1].Rules.AtLeastAsStrictAs(got[2].Rules) {
			t.Errorf("shipped profiles are not listed strictest first: %+v", got)
		}
	})
	t.Run("an unknown profile is not found", func(t *testing.T) {
		s := open(t)
		_, err := s.Profile(ctx, "nope")
		wantCode(t, "Profile", err, errcode.NotFound)
		wantCode(t, "UpdateProfile", s.UpdateProfile(ctx, custom("nope", "Nope"), t0), errcode.NotFound)
	})
	t.Run("created profiles read back exactly and are listed after the shipped ones by name", func(t *testing.T) {
		s := open(t)
		zeta, alpha := custom("p-zeta", "Zeta group"), custom("p-alpha", "Alpha group")
		must(t, "CreateProfile", s.CreateProfile(ctx, zeta, t0))
		must(t, "CreateProfile", s.CreateProfile(ctx, alpha, t0))
		got, err := s.Profile(ctx, "p-alpha")
		must(t, "Profile", err)
		if got != alpha {
			t.Errorf("Profile = %+v, want %+v", got, alpha)
		}
		all, err := s.Profiles(ctx)
		must(t, "Profiles", err)
		want := []string{"children-families", "adults-external", "internal-staff", "p-alpha", "p-zeta"}
		if got := profileIDs(all); !slices.Equal(got, want) {
			t.Errorf("Profiles = %v, want %v", got, want)
		}
	})
	t.Run("a profile name or ID already taken is a conflict", func(t *testing.T) {
		s := open(t)
		wantCode(t, "CreateProfile(shipped name)", s.CreateProfile(ctx, custom("p-1", "Children and families"), t0), errcode.Conflict)
		wantCode(t, "CreateProfile(shipped ID)", s.CreateProfile(ctx, custom("internal-staff", "Another"), t0), errcode.Conflict)
	})
	t.Run("a profile without a name or with invalid rules is refused", func(t *testing.T) {
		s := open(t)
		wantCode(t, "CreateProfile(no name)", s.CreateProfile(ctx, custom("p-1", " "), t0), errcode.Invalid)
		bad := custom("p-2", "Bad")
		bad.Rules.ScreenShare = "anyone at all"
		wantCode(t, "CreateProfile(bad rules)", s.CreateProfile(ctx, bad, t0), errcode.Invalid)
		wantCode(t, "UpdateProfile(bad rules)", s.UpdateProfile(ctx, func() policy.Profile { b := shipped[0]; b.Rules.MaxParticipants = 0; return b }(), t0), errcode.Invalid)
		_, err := s.Profile(ctx, "p-2")
		wantCode(t, "Profile(refused)", err, errcode.NotFound)
	})
	t.Run("updating a profile replaces its name and rules", func(t *testing.T) {
		s := open(t)
		p := shipped[2]
		p.Name = "Staff only"
		p.Rules.Chime = true
		p.Rules.MaxParticipants = 40
		must(t, "UpdateProfile", s.UpdateProfile(ctx, p, t0.Add(time.Hour)))
		got, err := s.Profile(ctx, p.ID)
		must(t, "Profile", err)
		if got != p {
			t.Errorf("Profile after update = %+v, want %+v", got, p)
		}
		// The others are untouched.
		other, err := s.Profile(ctx, shipped[1].ID)
		must(t, "Profile", err)
		if other != shipped[1] {
			t.Errorf("untouched profile = %+v, want %+v", other, shipped[1])
		}
	})
	t.Run("renaming a profile to another's name is a conflict and changes nothing", func(t *testing.T) {
		s := open(t)
		p := shipped[2]
		p.Name = shipped[1].Name
		p.Rules.Chime = true
		wantCode(t, "UpdateProfile", s.UpdateProfile(ctx, p, t0), errcode.Conflict)
		got, err := s.Profile(ctx, p.ID)
		must(t, "Profile", err)
		if got != shipped[2] {
			t.Errorf("Profile after refused update = %+v, want %+v", got, shipped[2])
		}
	})
	t.Run("a meeting keeps the profile it was created with", func(t *testing.T) {
		s := open(t)
		host := addStaff(t, s, "host@x.example")
		for _, id := range []meeting.ProfileID{"internal-staff", "adults-external"} {
			m := meeting.Meeting{ID: meeting.NewID(), HostID: host.ID, Title: "T", Purpose: "P", Profile: id, StartsAt: t0, CreatedAt: t0}
			must(t, "CreateMeeting", s.CreateMeeting(ctx, m))
			got, err := s.Meeting(ctx, m.ID)
			must(t, "Meeting", err)
			if got.Profile != id {
				t.Errorf("Meeting.Profile = %q, want %q", got.Profile, id)
			}
		}
		list, err := s.MeetingsByHost(ctx, host.ID)
		must(t, "MeetingsByHost", err)
		if len(list) != 2 || list[0].Profile == "" || list[0].Profile == list[1].Profile {
			t.Errorf("MeetingsByHost profiles = %+v, want internal-staff and adults-external", list)
		}
	})
}
