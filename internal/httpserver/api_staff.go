package httpserver

import (
	"net/http"
)

type staffJSON struct {
	ID       string `json:"id"`
	Email    string `json:"email"`
	Name     string `json:"name"`
	Admin    bool   `json:"admin"`
	Disabled bool   `json:"disabled"`
}

func (s *Server) getStaff(w http.ResponseWriter, r *http.Request) {
	all, err := s.deps.Store.ListStaff(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := make([]staffJSON, 0, len(all))
	for _, st := range all {
		out = append(out, staffJSON{ID: string(st.ID), Email: st.Email, Name: st.Name, Admin: st.Admin, Disabled: !st.Active()})
	}
	writeJSON(w, http.StatusOK, map[string]any{"staff": out})
}

func (s *Server) postStaff(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Email, Name, Password string
		Admin                 bool
	}
	if err := decode(r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	st, err := s.deps.Auth.AddStaff(r.Context(), staffFrom(r).ID, req.Email, req.Name, req.Password, req.Admin)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, staffJSON{ID: string(st.ID), Email: st.Email, Name: st.Name, Admin: st.Admin})
}
