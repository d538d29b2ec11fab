package main

import (
	"bytes"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"strings"
	"testing"
	"time"

	"safemeet/internal/policy"
)

// profileBody is a profile as the API shows it.
type profileBody struct {
	ID    string
	Name  string
	Rules map[string]any
}

// apiRefusal is the body of a refused API request.
type apiRefusal struct{ Code, Message, Field string }

// send makes a same-origin JSON request of any method and checks the status;
// out receives the body.
func (s *testServer) send(c *http.Client, method, path string, body any, wantStatus int, out any) {
	s.t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, s.url+path, r)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", s.url)
	resp, err := c.Do(req)
	if err != nil {
		s.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != wantStatus {
		s.t.Fatalf("%s %s: status %d, want %d: %s", method, path, resp.StatusCode, wantStatus, data)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			s.t.Fatalf("%s %s: decode %s: %v", method, path, data, err)
		}
	}
}

// profiles lists the profiles as c sees them.
func (s *testServer) profiles(c *http.Client) []profileBody {
	s.t.Helper()
	var out struct{ Profiles []profileBody }
	s.send(c, "GET", "/api/profiles", nil, http.StatusOK, &out)
	return out.Profiles
}

// childrenRules is the shipped "Children and families" rules as JSON.
func childrenRules() map[string]any {
	return map[string]any{
		"auto_lock_minutes": 5.0, "screen_share": "host", "media_on_entry": "muted", "self_unmute": "when_asked",
		"display_names": "fixed", "chime": true, "max_participants": 30.0, "direct_messages": "off",
		"chat_links": "text", "chat_history": "since_start",
	}
}

func TestProfile_ShippedDefaultsExist(t *testing.T) {
	s := startServer(t, nil)
	teacher := s.signInNewStaff("teacher@school.example", "host")
	got := s.profiles(teacher)
	want := []struct{ id, name string }{
		{string(policy.ProfileChildren), "Children and families"},
		{string(policy.ProfileAdults), "Adults — external"},
		{string(policy.ProfileInternalStaff), "Internal staff"},
	}
	if len(got) != len(want) {
		t.Fatalf("profiles = %+v, want the three shipped ones", got)
	}
	for i, w := range want {
		if got[i].ID != w.id || got[i].Name != w.name {
			t.Errorf("profile %d = %s %q, want %s %q", i, got[i].ID, got[i].Name, w.id, w.name)
		}
	}
	if rules, want := got[0].Rules, childrenRules(); !maps.Equal(rules, want) {
		t.Errorf("Children and families rules = %v, want %v", rules, want)
	}
	if got[2].Rules["screen_share"] != "everyone" || got[2].Rules["chime"] != false {
		t.Errorf("Internal staff rules = %v, want everyone may share and no chime", got[2].Rules)
	}
}

func TestProfile_AdminEditsRulesAndItIsAudited(t *testing.T) {
	s := startServer(t, nil)
	rules := childrenRules()
	rules["max_participants"] = 12 // stricter
	rules["chime"] = false         // looser
	var updated profileBody
	s.send(s.host, "PUT", "/api/profiles/"+string(policy.ProfileChildren),
		map[string]any{"name": "Children and families", "rules": rules}, http.StatusOK, &updated)
	if updated.Rules["max_participants"] != 12.0 || updated.Rules["chime"] != false {
		t.Errorf("updated rules = %v", updated.Rules)
	}
	if got := s.profiles(s.host)[0]; got.Rules["max_participants"] != 12.0 || got.Rules["chime"] != false {
		t.Errorf("listed rules after the edit = %v, want max 12 and no chime", got.Rules)
	}

	entries, err := s.m.db.AuditEntries(s.ctx(), 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, e := range entries {
		if e.Action != "profile.update" {
			continue
		}
		found = true
		if e.Subject != "profile:children-families" || !strings.HasPrefix(e.Actor, "staff:") {
			t.Errorf("audit entry subject %q actor %q", e.Subject, e.Actor)
		}
		if e.Details["looser"] != "enter/exit chime" || e.Details["stricter"] != "maximum participants" {
			t.Errorf("audit details looser %q stricter %q, want the chime looser and the maximum stricter", e.Details["looser"], e.Details["stricter"])
		}
		if !strings.Contains(e.Details["rules"], `"max_participants":12`) {
			t.Errorf("audit details rules = %q, want the new rules", e.Details["rules"])
		}
	}
	if !found {
		t.Errorf("no profile.update entry in the audit log")
	}
}

func TestProfile_AdminCreatesAProfileHostsCanChoose(t *testing.T) {
	s := startServer(t, nil)
	rules := childrenRules()
	rules["max_participants"] = 8
	var created profileBody
	s.send(s.host, "POST", "/api/profiles", map[string]any{"name": "Small group work", "rules": rules}, http.StatusCreated, &created)
	teacher := s.signInNewStaff("teacher@school.example", "host")
	got := s.profiles(teacher)
	if len(got) != 4 || got[3].ID != created.ID || got[3].Name != "Small group work" {
		t.Fatalf("profiles = %+v, want the new one listed after the shipped ones", got)
	}
	var m struct{ Profile, ProfileName string }
	s.send(teacher, "POST", "/api/meetings", map[string]any{
		"title": "Group", "purpose": "Small group session", "category": "Group session", "startsAt": time.Now().UTC().Format(time.RFC3339),
		"durationMinutes": 30, "profile": created.ID,
	}, http.StatusCreated, &m)
	if m.Profile != created.ID {
		t.Errorf("meeting profile = %q, want %q", m.Profile, created.ID)
	}
	entries, err := s.m.db.AuditEntries(s.ctx(), 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Action == "profile.create" && e.Subject == "profile:"+created.ID && e.Details["name"] == "Small group work" {
			return
		}
	}
	t.Errorf("no profile.create entry for %s in the audit log", created.ID)
}

func TestProfile_NonAdminCannotEditProfiles(t *testing.T) {
	s := startServer(t, nil)
	teacher := s.signInNewStaff("teacher@school.example", "host")
	looser := map[string]any{"name": "Children and families", "rules": map[string]any{
		"auto_lock_minutes": 0, "screen_share": "everyone", "media_on_entry": "allowed", "self_unmute": "yes",
		"display_names": "renamable", "chime": false, "max_participants": 500, "direct_messages": "observed",
		"chat_links": "clickable", "chat_history": "since_start",
	}}
	var e apiRefusal
	s.send(teacher, "PUT", "/api/profiles/"+string(policy.ProfileChildren), looser, http.StatusForbidden, &e)
	if e.Code != "forbidden" {
		t.Errorf("teacher's edit refused with %q, want forbidden", e.Code)
	}
	s.send(teacher, "POST", "/api/profiles", map[string]any{"name": "Anything goes", "rules": looser["rules"]}, http.StatusForbidden, nil)
	got := s.profiles(teacher)
	if len(got) != 3 || !maps.Equal(got[0].Rules, childrenRules()) {
		t.Errorf("profiles after a teacher's attempts = %+v, want the shipped ones unchanged", got)
	}
}

func TestProfile_InvalidRuleRefusedWithFieldName(t *testing.T) {
	s := startServer(t, nil)
	rules := childrenRules()
	rules["media_on_entry"] = "shouting"
	var e apiRefusal
	s.send(s.host, "PUT", "/api/profiles/"+string(policy.ProfileChildren), map[string]any{"name": "Children and families", "rules": rules}, http.StatusBadRequest, &e)
	if e.Code != "invalid" || e.Field != "microphone and camera on entry" || e.Message == "" {
		t.Errorf("invalid entry media refused with %+v, want invalid, naming the rule", e)
	}
	delete(rules, "media_on_entry")
	s.send(s.host, "POST", "/api/profiles", map[string]any{"name": "Partial", "rules": rules}, http.StatusBadRequest, &e)
	if e.Code != "invalid" || e.Field != "microphone and camera on entry" {
		t.Errorf("missing rule refused with %+v, want invalid, naming the rule", e)
	}
	if got := s.profiles(s.host); len(got) != 3 || got[0].Rules["media_on_entry"] != "muted" {
		t.Errorf("profiles after refused requests = %+v, want unchanged", got)
	}
}

func TestMeeting_CreatedWithChosenProfile(t *testing.T) {
	s := startServer(t, nil)
	type meetingBody struct {
		ID          string
		Profile     string `json:"profile"`
		ProfileName string `json:"profile_name"`
	}
	var created meetingBody
	s.post(s.host, "/api/meetings", map[string]any{
		"title": "Staff briefing", "purpose": "Weekly briefing", "category": "Group session", "startsAt": time.Now().UTC().Format(time.RFC3339),
		"durationMinutes": 30, "profile": string(policy.ProfileInternalStaff),
	}, http.StatusCreated, &created)
	if created.Profile != string(policy.ProfileInternalStaff) || created.ProfileName != "Internal staff" {
		t.Errorf("created meeting = %+v, want Internal staff", created)
	}
	var shown struct{ Meeting meetingBody }
	s.send(s.host, "GET", "/api/meetings/"+created.ID, nil, http.StatusOK, &shown)
	if shown.Meeting.Profile != string(policy.ProfileInternalStaff) || shown.Meeting.ProfileName != "Internal staff" {
		t.Errorf("meeting as shown = %+v, want Internal staff", shown.Meeting)
	}
	// A meeting made without choosing gets the strictest profile.
	var defaulted struct{ ID string }
	s.post(s.host, "/api/meetings", map[string]any{
		"title": "Review", "purpose": "Review with parents", "category": "Group session", "startsAt": time.Now().UTC().Format(time.RFC3339),
		"durationMinutes": 30,
	}, http.StatusCreated, &defaulted)
	var listed struct{ Meetings []meetingBody }
	s.send(s.host, "GET", "/api/meetings", nil, http.StatusOK, &listed)
	for _, m := range listed.Meetings {
		want := string(policy.ProfileChildren)
		if m.ID == created.ID {
			want = string(policy.ProfileInternalStaff)
		} else if m.ID != defaulted.ID {
			t.Errorf("listed an unknown meeting %s", m.ID)
		}
		if m.Profile != want || m.ProfileName == "" {
			t.Errorf("listed meeting %s profile %q %q, want %s", m.ID, m.Profile, m.ProfileName, want)
		}
	}
	if len(listed.Meetings) != 2 {
		t.Errorf("listed %d meetings, want 2", len(listed.Meetings))
	}
}

func TestMeeting_UnknownProfileRefused(t *testing.T) {
	s := startServer(t, nil)
	var e apiRefusal
	s.post(s.host, "/api/meetings", map[string]any{
		"title": "Review", "purpose": "Review", "category": "Group session", "startsAt": time.Now().UTC().Format(time.RFC3339),
		"durationMinutes": 30, "profile": "no-such-profile",
	}, http.StatusBadRequest, &e)
	if e.Code != "invalid" || e.Field != "profile" {
		t.Errorf("unknown profile refused with %+v, want invalid profile", e)
	}
	var listed struct{ Meetings []struct{ ID string } }
	s.send(s.host, "GET", "/api/meetings", nil, http.StatusOK, &listed)
	if len(listed.Meetings) != 0 {
		t.Errorf("a refused meeting was stored: %+v", listed.Meetings)
	}
}

// An admin's edit of a profile reaches meetings already running under it:
// what got stricter applies at once, what got looser does not.
func TestProfile_AdminEditTightensARunningMeetingButNeverLoosensIt(t *testing.T) {
	s, _, _, guests := admittedRoom(t, policy.ProfileChildren, "Jo Smith")
	g := guests[0]
	waitFor(t, "Jo to see the meeting's rules", func() bool { return g.Rules().MaxParticipants == 30 })

	rules := childrenRules()
	rules["max_participants"] = 12     // stricter
	rules["screen_share"] = "everyone" // looser
	rules["chime"] = false             // looser
	s.send(s.host, "PUT", "/api/profiles/"+string(policy.ProfileChildren),
		map[string]any{"name": "Children and families", "rules": rules}, http.StatusOK, nil)
	waitFor(t, "Jo to see the stricter maximum", func() bool { return g.Rules().MaxParticipants == 12 })
	if got := g.Rules(); got.ScreenShare != policy.ShareHostOnly || !got.Chime {
		t.Errorf("running meeting's rules after the edit = %+v, want screen sharing still host-only and the chime still on", got)
	}
	// A meeting that starts later runs under the edited profile as it is.
	var m struct{ Profile string }
	s.post(s.host, "/api/meetings", map[string]any{
		"title": "Later", "purpose": "Later review", "category": "Group session", "startsAt": time.Now().UTC().Format(time.RFC3339), "durationMinutes": 30,
	}, http.StatusCreated, &m)
	if got := s.profiles(s.host)[0].Rules; got["screen_share"] != "everyone" || m.Profile != string(policy.ProfileChildren) {
		t.Errorf("edited profile rules = %v, new meeting profile %q", got, m.Profile)
	}
}
