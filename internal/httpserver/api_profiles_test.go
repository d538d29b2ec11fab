package httpserver

import (
	"context"
	"encoding/json"
	"net/http"
	"safemeet/internal/store"
	"testing"

	"safemeet/internal/policy"
)

// signInAdmin adds an administrator and signs them in.
func (f *fixture) signInAdmin() *http.Cookie {
	f.t.Helper()
	if _, err := f.auth.AddStaff(context.Background(), "", "admin@school.example", "Ms Admin", "admin long password", store.Roles{Admin: true, Host: true}); err != nil {
		f.t.Fatal(err)
	}
	resp := f.do("POST", "/api/login", map[string]string{"email": "admin@school.example", "password": "admin long password"}, nil, f.origin)
	if resp.StatusCode != http.StatusOK || len(resp.Cookies()) != 1 {
		f.t.Fatalf("admin sign-in: %d", resp.StatusCode)
	}
	return resp.Cookies()[0]
}

// decodeResp decodes a response body into v.
func decodeResp(t *testing.T, resp *http.Response, v any) {
	t.Helper()
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("decoding the response: %v", err)
	}
}

// rulesMap returns valid rules as a JSON object that tests can spoil.
func rulesMap() map[string]any {
	return map[string]any{
		"auto_lock_minutes": 5, "screen_share": "host", "media_on_entry": "muted", "self_unmute": "when_asked",
		"display_names": "fixed", "chime": true, "max_participants": 20, "direct_messages": "off",
		"chat_links": "text", "chat_history": "since_start",
	}
}

// listProfiles returns the profiles as the given login sees them.
func (f *fixture) listProfiles(c *http.Cookie) []profileJSON {
	f.t.Helper()
	resp := f.do("GET", "/api/profiles", nil, c, "")
	if resp.StatusCode != http.StatusOK {
		f.t.Fatalf("GET /api/profiles: %d", resp.StatusCode)
	}
	var out struct{ Profiles []profileJSON }
	decodeResp(f.t, resp, &out)
	return out.Profiles
}

func TestProfiles_AnyStaffMemberCanListThemButNobodySignedOut(t *testing.T) {
	f := newFixture(t, false)
	got := f.listProfiles(f.signIn())
	if len(got) != 3 || got[0].ID != string(policy.ProfileChildren) || got[0].Rules.MaxParticipants != 30 {
		t.Errorf("profiles = %+v, want the three shipped ones, Children and families first", got)
	}
	if resp := f.do("GET", "/api/profiles", nil, nil, ""); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("GET /api/profiles signed out: %d, want 401", resp.StatusCode)
	}
}

func TestProfiles_OnlyAdminsCreateOrEditThem(t *testing.T) {
	f := newFixture(t, false)
	teacher := f.signIn()
	body := map[string]any{"name": "Looser", "rules": rulesMap()}
	for _, req := range []struct{ method, path string }{
		{"POST", "/api/profiles"},
		{"PUT", "/api/profiles/" + string(policy.ProfileChildren)},
	} {
		resp := f.do(req.method, req.path, body, teacher, f.origin)
		var e apiError
		decodeResp(t, resp, &e)
		if resp.StatusCode != http.StatusForbidden || e.Code != "forbidden" {
			t.Errorf("%s %s as a teacher: %d %+v, want 403 forbidden", req.method, req.path, resp.StatusCode, e)
		}
	}
	if got := f.listProfiles(teacher); len(got) != 3 || got[0].Name != "Children and families" {
		t.Errorf("profiles after refused edits = %+v, want unchanged", got)
	}
	admin := f.signInAdmin()
	if resp := f.do("PUT", "/api/profiles/"+string(policy.ProfileChildren), body, admin, "https://evil.example"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("PUT from another origin: %d, want 403", resp.StatusCode)
	}
}

func TestProfiles_InvalidInputIsRefusedNamingTheField(t *testing.T) {
	f := newFixture(t, false)
	admin := f.signInAdmin()
	spoil := func(edit func(map[string]any)) map[string]any {
		r := rulesMap()
		edit(r)
		return r
	}
	tests := []struct {
		name      string
		body      map[string]any
		wantField string
	}{
		{"a missing rule", map[string]any{"name": "X", "rules": spoil(func(r map[string]any) { delete(r, "chime") })}, "chime"},
		{"an unknown screen-sharing value", map[string]any{"name": "X", "rules": spoil(func(r map[string]any) { r["screen_share"] = "anyone" })}, "screen sharing"},
		{"a maximum below two", map[string]any{"name": "X", "rules": spoil(func(r map[string]any) { r["max_participants"] = 1 })}, "maximum participants"},
		{"a rule of the wrong type", map[string]any{"name": "X", "rules": spoil(func(r map[string]any) { r["chime"] = "yes" })}, "chime"},
		{"no rules at all", map[string]any{"name": "X"}, "rules"},
		{"an empty name", map[string]any{"name": "  ", "rules": rulesMap()}, "name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, req := range []struct{ method, path string }{
				{"POST", "/api/profiles"},
				{"PUT", "/api/profiles/" + string(policy.ProfileAdults)},
			} {
				resp := f.do(req.method, req.path, tt.body, admin, f.origin)
				var e apiError
				decodeResp(t, resp, &e)
				if resp.StatusCode != http.StatusBadRequest || e.Code != "invalid" || e.Field != tt.wantField {
					t.Errorf("%s: %d %+v, want 400 invalid %q", req.method, resp.StatusCode, e, tt.wantField)
				}
			}
		})
	}
	if got := f.listProfiles(admin); len(got) != 3 || got[1].Name != "Adults — external" {
		t.Errorf("profiles after refused requests = %+v, want the shipped ones unchanged", got)
	}
}

func TestProfiles_ANameInUseIsAConflictNamingTheField(t *testing.T) {
	f := newFixture(t, false)
	admin := f.signInAdmin()
	resp := f.do("POST", "/api/profiles", map[string]any{"name": "Internal staff", "rules": rulesMap()}, admin, f.origin)
	var e apiError
	decodeResp(t, resp, &e)
	if resp.StatusCode != http.StatusConflict || e.Field != "name" {
		t.Errorf("create with a taken name: %d %+v, want 409 naming name", resp.StatusCode, e)
	}
	resp = f.do("PUT", "/api/profiles/"+string(policy.ProfileAdults), map[string]any{"name": "Internal staff", "rules": rulesMap()}, admin, f.origin)
	decodeResp(t, resp, &e)
	if resp.StatusCode != http.StatusConflict || e.Field != "name" {
		t.Errorf("rename to a taken name: %d %+v, want 409 naming name", resp.StatusCode, e)
	}
	// Keeping a profile's own name is not a conflict.
	resp = f.do("PUT", "/api/profiles/"+string(policy.ProfileAdults), map[string]any{"name": "Adults — external", "rules": rulesMap()}, admin, f.origin)
	if resp.StatusCode != http.StatusOK {
		t.Errorf("update keeping its own name: %d, want 200", resp.StatusCode)
	}
}

func TestProfiles_EditingAnUnknownProfileIsNotFound(t *testing.T) {
	f := newFixture(t, false)
	resp := f.do("PUT", "/api/profiles/nosuchprofile", map[string]any{"name": "X", "rules": rulesMap()}, f.signInAdmin(), f.origin)
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("PUT of an unknown profile: %d, want 404", resp.StatusCode)
	}
}

func TestProfiles_NothingChangesIfTheAuditLogCannotBeWritten(t *testing.T) {
	f := newFixture(t, false)
	admin := f.signInAdmin()
	f.store.auditFails.Store(true)
	for _, req := range []struct{ method, path string }{
		{"POST", "/api/profiles"},
		{"PUT", "/api/profiles/" + string(policy.ProfileChildren)},
	} {
		resp := f.do(req.method, req.path, map[string]any{"name": "Anything goes", "rules": rulesMap()}, admin, f.origin)
		var e apiError
		decodeResp(t, resp, &e)
		if resp.StatusCode != http.StatusServiceUnavailable || e.Code != "audit_unavailable" {
			t.Errorf("%s with the audit log down: %d %+v, want 503 audit_unavailable", req.method, resp.StatusCode, e)
		}
	}
	f.store.auditFails.Store(false)
	got := f.listProfiles(admin)
	if len(got) != 3 || got[0].Name != "Children and families" || got[0].Rules.MaxParticipants != 30 {
		t.Errorf("profiles = %+v, want the shipped ones unchanged", got)
	}
}

func TestProfiles_AdminCreatesAndEditsAProfile(t *testing.T) {
	f := newFixture(t, false)
	admin := f.signInAdmin()
	resp := f.do("POST", "/api/profiles", map[string]any{"name": "  Youth club  ", "rules": rulesMap()}, admin, f.origin)
	var created profileJSON
	decodeResp(t, resp, &created)
	if resp.StatusCode != http.StatusCreated || created.ID == "" || created.Name != "Youth club" || created.Rules.MaxParticipants != 20 {
		t.Fatalf("create: %d %+v, want 201 with a new ID and the trimmed name", resp.StatusCode, created)
	}
	r := rulesMap()
	r["max_participants"] = 12
	resp = f.do("PUT", "/api/profiles/"+created.ID, map[string]any{"name": "Youth club (evenings)", "rules": r}, admin, f.origin)
	var updated profileJSON
	decodeResp(t, resp, &updated)
	if resp.StatusCode != http.StatusOK || updated.ID != created.ID || updated.Rules.MaxParticipants != 12 {
		t.Errorf("update: %d %+v", resp.StatusCode, updated)
	}
	got := f.listProfiles(admin)
	if len(got) != 4 || got[3] != updated {
		t.Errorf("profiles = %+v, want the shipped three then %+v", got, updated)
	}
}

func TestMeeting_ProfileDefaultsToTheStrictestAndUnknownIsRefused(t *testing.T) {
	f := newFixture(t, false)
	c := f.signIn()
	body := map[string]any{"title": "T", "purpose": "P", "category": "Annual review", "startsAt": "2026-12-01T10:00:00Z", "durationMinutes": 30}
	resp := f.do("POST", "/api/meetings", body, c, f.origin)
	var m meetingJSON
	decodeResp(t, resp, &m)
	if resp.StatusCode != http.StatusCreated || m.Profile != string(policy.ProfileChildren) || m.ProfileName != "Children and families" {
		t.Errorf("create without a profile: %d %+v, want Children and families", resp.StatusCode, m)
	}
	body["profile"] = "nosuchprofile"
	resp = f.do("POST", "/api/meetings", body, c, f.origin)
	var e apiError
	decodeResp(t, resp, &e)
	if resp.StatusCode != http.StatusBadRequest || e.Code != "invalid" || e.Field != "profile" {
		t.Errorf("create with an unknown profile: %d %+v, want 400 invalid profile", resp.StatusCode, e)
	}
}
