package httpserver

import (
	"io/fs"
	"net/http"
)

// page serves one HTML page of the embedded client. Pages carry no data: they
// fetch what they show from the API.
func (s *Server) page(name string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		b, err := fs.ReadFile(s.deps.Web, name)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		_, _ = w.Write(b)
	}
}

// static serves the client's scripts and styles from /static/.
func (s *Server) static() http.Handler {
	files := http.StripPrefix("/static/", http.FileServerFS(s.deps.Web))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-cache")
		files.ServeHTTP(w, r)
	})
}
