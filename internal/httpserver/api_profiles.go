package httpserver

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"safemeet/internal/errcode"
	"safemeet/internal/meeting"
	"safemeet/internal/policy"
)

// profileJSON is a safeguarding profile as the API shows it; rules carry
// policy.Rules' own JSON names (auto_lock_minutes, screen_share, …).
type profileJSON struct {
	ID    string       `json:"id"`
	Name  string       `json:"name"`
	Rules policy.Rules `json:"rules"`
}

func toProfileJSON(p policy.Profile) profileJSON {
	return profileJSON{ID: string(p.ID), Name: p.Name, Rules: p.Rules}
}

// profileRequest is the body of creating or editing a profile. Rules stay raw
// so that policy.ParseRules can insist on every rule being present.
type profileRequest struct {
	Name  string          `json:"name"`
	Rules json.RawMessage `json:"rules"`
}

// invalidField is the refusal of a request naming the field that is wrong.
func invalidField(field string) error {
	return errcode.Wrap(errcode.Invalid, &meeting.FieldError{Field: field})
}

// parse checks the request: a clean name and a complete, valid set of rules.
// A refusal names the field (a rule's name, e.g. "screen sharing").
func (req profileRequest) parse() (string, policy.Rules, error) {
	name, ok := meeting.CleanText(req.Name, policy.MaxProfileNameLen)
	if !ok {
		return "", policy.Rules{}, invalidField("name")
	}
	if len(req.Rules) == 0 || string(req.Rules) == "null" {
		return "", policy.Rules{}, invalidField("rules")
	}
	rules, err := policy.ParseRules(req.Rules)
	if err != nil {
		var fe interface{ FieldName() string }
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &fe):
			return "", policy.Rules{}, errcode.Wrap(errcode.Invalid, err)
		case errors.As(err, &te) && te.Field != "":
			// A rule of the wrong JSON type, e.g. "chime": "yes".
			return "", policy.Rules{}, invalidField(strings.ReplaceAll(te.Field, "_", " "))
		default:
			return "", policy.Rules{}, errcode.Wrap(errcode.Invalid, &meeting.FieldError{Field: "rules"})
		}
	}
	return name, rules, nil
}

// checkNameFree refuses a name another profile (not except) already has,
// before anything is audited.
func (s *Server) checkNameFree(ctx context.Context, name string, except meeting.ProfileID) error {
	all, err := s.deps.Store.Profiles(ctx)
	if err != nil {
		return err
	}
	for _, p := range all {
		if p.Name == name && p.ID != except {
			return nameTaken()
		}
	}
	return nil
}

// nameTaken is the refusal of a profile name already in use.
func nameTaken() error {
	return errcode.Wrap(errcode.Conflict, &meeting.FieldError{Field: "name"})
}

// profileStoreErr names the name field when the store found the name taken.
func profileStoreErr(err error) error {
	if errcode.Of(err) == errcode.Conflict {
		return nameTaken()
	}
	return err
}

// getProfiles lists the profiles for any signed-in staff member: the meeting
// form offers them.
func (s *Server) getProfiles(w http.ResponseWriter, r *http.Request) {
	all, err := s.deps.Store.Profiles(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := make([]profileJSON, 0, len(all))
	for _, p := range all {
		out = append(out, toProfileJSON(p))
	}
	writeJSON(w, http.StatusOK, map[string]any{"profiles": out})
}

// postProfile creates a profile (admins). It is audited first.
func (s *Server) postProfile(w http.ResponseWriter, r *http.Request) {
	var req profileRequest
	if err := decode(r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	name, rules, err := req.parse()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.checkNameFree(r.Context(), name, ""); err != nil {
		s.fail(w, r, err)
		return
	}
	p := policy.Profile{ID: meeting.NewProfileID(), Name: name, Rules: rules}
	details := map[string]string{"name": name, "rules": rulesJSON(rules)}
	if err := s.audit(r.Context(), "profile.create", "staff:"+string(staffFrom(r).ID), "profile:"+string(p.ID), "", details); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.deps.Store.CreateProfile(r.Context(), p, s.deps.Now().UTC()); err != nil {
		s.fail(w, r, profileStoreErr(err))
		return
	}
	writeJSON(w, http.StatusCreated, toProfileJSON(p))
}

// putProfile replaces a profile's name and rules (admins). The change is
// audited first with the rules that got looser and stricter; then running
// meetings of the profile are told, and take only the stricter rules.
func (s *Server) putProfile(w http.ResponseWriter, r *http.Request) {
	var req profileRequest
	if err := decode(r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	name, rules, err := req.parse()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	id := meeting.ProfileID(r.PathValue("id"))
	old, err := s.deps.Store.Profile(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.checkNameFree(r.Context(), name, id); err != nil {
		s.fail(w, r, err)
		return
	}
	p := old
	p.Name, p.Rules = name, rules
	details := map[string]string{
		"name":     name,
		"rules":    rulesJSON(rules),
		"looser":   strings.Join(rules.Loosened(old.Rules), ", "),
		"stricter": strings.Join(old.Rules.Loosened(rules), ", "),
	}
	if name != old.Name {
		details["previous_name"] = old.Name
	}
	if err := s.audit(r.Context(), "profile.update", "staff:"+string(staffFrom(r).ID), "profile:"+string(id), "", details); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.deps.Store.UpdateProfile(r.Context(), p, s.deps.Now().UTC()); err != nil {
		s.fail(w, r, profileStoreErr(err))
		return
	}
	s.deps.Rooms.ProfileChanged(id, rules)
	writeJSON(w, http.StatusOK, toProfileJSON(p))
}

// rulesJSON is rules as kept in the audit log: the same JSON the API takes.
func rulesJSON(r policy.Rules) string {
	b, _ := json.Marshal(r) // plain strings, ints and bools: cannot fail
	return string(b)
}

// meetingProfile returns the profile a new meeting asked for; none means the
// strictest shipped one, and an unknown one is an invalid "profile" field.
func (s *Server) meetingProfile(ctx context.Context, requested string) (policy.Profile, error) {
	id := policy.ProfileChildren
	if requested != "" {
		id = meeting.ProfileID(requested)
	}
	p, err := s.deps.Store.Profile(ctx, id)
	if errcode.Of(err) == errcode.NotFound {
		return policy.Profile{}, invalidField("profile")
	}
	return p, err
}

// profileNames maps every profile's ID to its name, for showing meetings.
func (s *Server) profileNames(ctx context.Context) (map[meeting.ProfileID]string, error) {
	all, err := s.deps.Store.Profiles(ctx)
	if err != nil {
		return nil, err
	}
	names := make(map[meeting.ProfileID]string, len(all))
	for _, p := range all {
		names[p.ID] = p.Name
	}
	return names, nil
}
