package main

import (
	"strings"
	"testing"

	"safemeet/internal/errcode"
	"safemeet/internal/policy"
	"safemeet/internal/signalling"
	"safemeet/internal/webrtctest"
)

func rename(t *testing.T, p *webrtctest.Participant, name string) string {
	t.Helper()
	before := len(p.Errors())
	if err := p.Send(signalling.Rename{Type: signalling.TypeRename, Name: name}); err != nil {
		t.Fatal(err)
	}
	// A refusal comes as an error; an accepted rename as the participant's
	// own roster entry.
	var code string
	waitFor(t, "an answer to renaming to "+name, func() bool {
		if len(p.Errors()) > before {
			code = p.Errors()[len(p.Errors())-1].Code
			return true
		}
		return p.Roster()[p.ID()].Name != p.Welcome().Name
	})
	return code
}

// TestDisplayName_SpoofOfHostNameRefused: where renaming is allowed, a
// participant cannot take the host's name, a look-alike of it or a staff
// title; an honest rename works and the hosts see who it really is.
func TestDisplayName_SpoofOfHostNameRefused(t *testing.T) {
	_, _, host, guests := admittedRoom(t, policy.ProfileInternalStaff, "Jo Smith") // renaming allowed
	g := guests[0]
	hostName := host.Welcome().Name

	lookAlike := strings.NewReplacer("a", "\u0430", "e", "\u0435", "o", "\u043e", "i", "\u0456").Replace(hostName)
	if lookAlike == hostName {
		t.Fatalf("test needs a host name with a, e, o or i: %q", hostName)
	}
	for _, tc := range []struct{ name, want string }{
		{hostName, string(errcode.NameImpersonates)},
		{strings.ToUpper(hostName), string(errcode.NameImpersonates)},
		{lookAlike, string(errcode.NameImpersonates)},
		{hostName + " (host)", string(errcode.NameImpersonates)},
		{"Teacher", string(errcode.NameReserved)},
		{"\u202eJo", ""}, // the override is stripped, leaving an honest name
	} {
		if tc.want == "" {
			continue
		}
		if got := rename(t, g, tc.name); got != tc.want {
			t.Errorf("renaming to %q: %q, want %q", tc.name, got, tc.want)
		}
	}
	if got := g.Roster()[g.ID()].Name; got != "Jo Smith" {
		t.Fatalf("after refused renames Jo is shown as %q", got)
	}

	if code := rename(t, g, "Jo"); code != "" {
		t.Fatalf("an honest rename was refused: %s", code)
	}
	waitFor(t, "the host to see Jo's new name beside the invitation's", func() bool {
		p := host.Roster()[g.ID()]
		return p.Name == "Jo" && p.InvitedName == "Jo Smith"
	})
	if p := g.Roster()[g.ID()]; p.InvitedName != "" {
		t.Errorf("a participant was sent the invitation name behind a rename: %+v", p)
	}
}

func TestDisplayName_FixedUnderChildrenProfile(t *testing.T) {
	_, _, _, guests := admittedRoom(t, policy.ProfileChildren, "Jo Smith")
	g := guests[0]
	if code := rename(t, g, "Jo"); code != string(errcode.RenameNotAllowed) {
		t.Fatalf("renaming under fixed names: %q, want %q", code, errcode.RenameNotAllowed)
	}
}
