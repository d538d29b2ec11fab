package httpserver

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"unicode/utf8"

	"safemeet/internal/errcode"
	"safemeet/internal/meeting"
	"safemeet/internal/policy"
)

// profileJSON is a safeguarding profile as the API shows it; rules carry
// policy.Rules' own JSON names (auto_lock_minutes, screen_share, …).
type profileJSON struct {
	ID         string            `json:"id"`
	Name       string            `json:"name"`
	Rules      policy.Rules      `json:"rules"`
	Scheduling policy.Scheduling `json:"scheduling"`
	Contract   string            `json:"contract"`
	Retention  policy.Retention  `json:"retention"`
}

func toProfileJSON(p policy.Profile) profileJSON {
	return profileJSON{ID: string(p.ID), Name: p.Name, Rules: p.Rules, Scheduling: p.Scheduling, Contract: p.Contract, Retention: p.Retention}
}

// profileRequest is the body of creating or editing a profile. Rules and
// scheduling stay raw so that their parsers can insist on every setting
// being present. Scheduling and contract may be left out as a whole: a new
// profile then gets the strictest scheduling and the default contract, and
// an edit keeps what the profile has.
type profileRequest struct {
	Name       string          `json:"name"`
	Rules      json.RawMessage `json:"rules"`
	Scheduling json.RawMessage `json:"scheduling"`
	Contract   *string         `json:"contract"`
	Retention  json.RawMessage `json:"retention"`
}

// invalidField is the refusal of a request naming the field that is wrong.
func invalidField(field string) error {
	return errcode.Wrap(errcode.Invalid, &meeting.FieldError{Field: field})
}

// parse checks the request: a clean name, complete and valid rules and
// scheduling, and a contract of at most policy.MaxContractLen bytes. A
// refusal names the field (a rule's name, e.g. "screen sharing").
func (req profileRequest) parse(base policy.Profile) (policy.Profile, error) {
	p := base
	var ok bool
	if p.Name, ok = meeting.CleanText(req.Name, policy.MaxProfileNameLen); !ok {
		return p, invalidField("name")
	}
	var err error
	if p.Rules, err = parseSettings(req.Rules, "rules", policy.ParseRules); err != nil {
		return p, err
	}
	if len(req.Scheduling) > 0 {
		if p.Scheduling, err = parseSettings(req.Scheduling, "scheduling", policy.ParseScheduling); err != nil {
			return p, err
		}
	}
	if len(req.Retention) > 0 {
		if p.Retention, err = parseSettings(req.Retention, "retention", policy.ParseRetention); err != nil {
			return p, err
		}
	}
	if req.Contract != nil {
		if len(*req.Contract) > policy.MaxContractLen {
			return p, invalidField("participation contract")
		}
		if p.Contract, ok = cleanContract(*req.Contract); !ok {
			return p, invalidField("participation contract")
		}
	}
	return p, nil
}

// cleanContract trims a contract and normalises its line endings; it must be
// valid UTF-8 without control characters other than line breaks and tabs.
func cleanContract(s string) (string, bool) {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
	if !utf8.ValidString(s) {
		return "", false
	}
	for _, r := range s {
		if (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f {
			return "", false
		}
	}
	return s, true
}

// parseSettings parses one required group of settings with parse, turning
// errors into refusals that name the field.
func parseSettings[T any](raw json.RawMessage, group string, parse func([]byte) (T, error)) (T, error) {
	var zero T
	if len(raw) == 0 || string(raw) == "null" {
		return zero, invalidField(group)
	}
	v, err := parse(raw)
	if err != nil {
		var fe interface{ FieldName() string }
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &fe):
			return zero, errcode.Wrap(errcode.Invalid, err)
		case errors.As(err, &te) && te.Field != "":
			// A setting of the wrong JSON type, e.g. "chime": "yes".
			return zero, invalidField(strings.ReplaceAll(te.Field, "_", " "))
		default:
			return zero, invalidField(group)
		}
	}
	return v, nil
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
	p, err := req.parse(policy.Profile{Scheduling: policy.StrictestScheduling, Contract: policy.DefaultContract, Retention: policy.DefaultRetention})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.checkNameFree(r.Context(), p.Name, ""); err != nil {
		s.fail(w, r, err)
		return
	}
	p.ID = meeting.NewProfileID()
	details := map[string]string{"name": p.Name, "rules": rulesJSON(p.Rules), "scheduling": rulesJSON(p.Scheduling), "contract_hash": policy.ContractHash(p.Contract), "retention": rulesJSON(p.Retention)}
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
	id := meeting.ProfileID(r.PathValue("id"))
	old, err := s.deps.Store.Profile(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	edit, err := req.parse(old)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	name, rules := edit.Name, edit.Rules
	if err := s.checkNameFree(r.Context(), name, id); err != nil {
		s.fail(w, r, err)
		return
	}
	p := edit
	p.ID = id
	looser := append(rules.Loosened(old.Rules), p.Scheduling.Loosened(old.Scheduling)...)
	stricter := append(old.Rules.Loosened(rules), old.Scheduling.Loosened(p.Scheduling)...)
	details := map[string]string{
		"name":          name,
		"rules":         rulesJSON(rules),
		"scheduling":    rulesJSON(p.Scheduling),
		"contract_hash": policy.ContractHash(p.Contract),
		"retention":     rulesJSON(p.Retention),
		"looser":        strings.Join(looser, ", "),
		"stricter":      strings.Join(stricter, ", "),
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

// rulesJSON is rules or scheduling as kept in the audit log: the same JSON the API takes.
func rulesJSON(r any) string {
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
