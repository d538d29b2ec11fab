package errcode

import (
	"errors"
	"fmt"
	"net/http"
	"testing"
)

func TestEveryCodeHasAMessage(t *testing.T) {
	for code, msg := range messages {
		if msg == "" || msg[len(msg)-1] != '.' {
			t.Errorf("message for %q = %q, want a full sentence", code, msg)
		}
	}
	if got := Message("no_such_code"); got != messages[Internal] {
		t.Errorf("Message(unknown) = %q, want the internal message", got)
	}
}

func TestOfFindsWrappedCodes(t *testing.T) {
	err := fmt.Errorf("saving: %w", Wrap(Conflict, errors.New("UNIQUE constraint")))
	if got := Of(err); got != Conflict {
		t.Errorf("Of(wrapped) = %q, want %q", got, Conflict)
	}
	if !errors.Is(err, New(Conflict)) {
		t.Error("errors.Is(err, New(Conflict)) = false")
	}
	if errors.Is(err, New(NotFound)) {
		t.Error("errors.Is(err, New(NotFound)) = true")
	}
	if got := Of(errors.New("boom")); got != Internal {
		t.Errorf("Of(plain error) = %q, want internal", got)
	}
	if got := Of(nil); got != "" {
		t.Errorf("Of(nil) = %q, want empty", got)
	}
}

func TestHTTPStatus(t *testing.T) {
	for code, want := range map[Code]int{
		NotSignedIn: http.StatusUnauthorized, InvitationInvalid: http.StatusNotFound,
		Forbidden: http.StatusForbidden, Invalid: http.StatusBadRequest,
		AuditUnavailable: http.StatusServiceUnavailable, Internal: http.StatusInternalServerError,
	} {
		if got := HTTPStatus(code); got != want {
			t.Errorf("HTTPStatus(%q) = %d, want %d", code, got, want)
		}
	}
}
