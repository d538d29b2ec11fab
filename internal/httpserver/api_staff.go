package httpserver

import (
	"net/http"

	"safemeet/internal/errcode"
	"safemeet/internal/meeting"
	"safemeet/internal/store"
)

// rolesJSON is store.Roles as the API shows and takes them.
type rolesJSON struct {
	Admin    bool `json:"admin"`
	Approver bool `json:"approver"`
	Host     bool `json:"host"`
	Auditor  bool `json:"auditor"`
}

func toRolesJSON(r store.Roles) rolesJSON {
	return rolesJSON{Admin: r.Admin, Approver: r.Approver, Host: r.Host, Auditor: r.Auditor}
}

func (r rolesJSON) roles() store.Roles {
	return store.Roles{Admin: r.Admin, Approver: r.Approver, Host: r.Host, Auditor: r.Auditor}
}

type staffJSON struct {
	ID       string    `json:"id"`
	Email    string    `json:"email"`
	Name     string    `json:"name"`
	Admin    bool      `json:"admin"`
	Roles    rolesJSON `json:"roles"`
	Disabled bool      `json:"disabled"`
}

func toStaffJSON(st store.Staff) staffJSON {
	return staffJSON{ID: string(st.ID), Email: st.Email, Name: st.Name, Admin: st.Admin, Roles: toRolesJSON(st.Roles), Disabled: !st.Active()}
}

func (s *Server) getStaff(w http.ResponseWriter, r *http.Request) {
	all, err := s.deps.Store.ListStaff(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := make([]staffJSON, 0, len(all))
	for _, st := range all {
		out = append(out, toStaffJSON(st))
	}
	writeJSON(w, http.StatusOK, map[string]any{"staff": out})
}

func (s *Server) postStaff(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Email, Name, Password string
		Roles                 rolesJSON
	}
	if err := decode(r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	st, err := s.deps.Auth.AddStaff(r.Context(), staffFrom(r).ID, req.Email, req.Name, req.Password, req.Roles.roles())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, toStaffJSON(st))
}

func (s *Server) putStaffRoles(w http.ResponseWriter, r *http.Request) {
	var req rolesJSON
	if err := decode(r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	st, err := s.deps.Auth.SetRoles(r.Context(), staffFrom(r).ID, meeting.StaffID(r.PathValue("id")), req.roles())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !st.Host {
		// No longer a host: no longer hosting anything now running either.
		s.deps.Rooms.StaffDisabled(r.Context(), st.ID, errcode.HostRequired)
	}
	writeJSON(w, http.StatusOK, toStaffJSON(st))
}

// setDisabled disables or re-enables an account. Disabling ends every login
// of the account at once (in the store) and then takes its holder out of
// every running meeting, so their host rights end with this request.
func (s *Server) setDisabled(disabled bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		st, err := s.deps.Auth.SetDisabled(r.Context(), staffFrom(r).ID, meeting.StaffID(r.PathValue("id")), disabled)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if disabled {
			s.deps.Rooms.StaffDisabled(r.Context(), st.ID, errcode.AccountDisabled)
		}
		writeJSON(w, http.StatusOK, toStaffJSON(st))
	}
}
