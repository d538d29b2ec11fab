package signalling

import (
	"errors"
	"strings"
	"testing"
)

func TestDecode(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    string
		wantErr error
	}{
		{"hello with invite", `{"type":"hello","version":1,"invite":"abc"}`, TypeHello, nil},
		{"admit", `{"type":"admit","participant":"p1"}`, TypeAdmit, nil},
		{"candidate", `{"type":"candidate","target":"publish","candidate":{"candidate":"candidate:1 1 udp 1 127.0.0.1 9 typ host","sdpMid":"0","sdpMLineIndex":0}}`, TypeCandidate, nil},
		{"not json", `{nope`, "", ErrMalformed},
		{"no type", `{}`, "", ErrUnknownType},
		{"unknown type", `{"type":"file","name":"x.exe"}`, "file", ErrUnknownType},
		{"server-only type", `{"type":"welcome"}`, "welcome", ErrUnknownType},
		{"wrong field type", `{"type":"admit","participant":1}`, TypeAdmit, ErrMalformed},
		{"unknown field", `{"type":"leave","why":"bored"}`, TypeLeave, ErrMalformed},
		{"trailing data", `{"type":"leave"} {"type":"end"}`, "", ErrMalformed},
		{"array", `[1,2]`, "", ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			typ, msg, err := Decode([]byte(tt.in))
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Decode(%s) error = %v, want %v", tt.in, err, tt.wantErr)
			}
			if typ != tt.want {
				t.Errorf("type = %q, want %q", typ, tt.want)
			}
			if tt.wantErr == nil && msg == nil {
				t.Error("no message decoded")
			}
		})
	}
}

func TestDecode_RefusesOversizedMessage(t *testing.T) {
	big := `{"type":"media","x":"` + strings.Repeat("a", MaxMessageSize) + `"}`
	if _, _, err := Decode([]byte(big)); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("Decode(oversized) = %v, want ErrTooLarge", err)
	}
}

func TestDecode_AllowsLargeSubscribeAnswersOnly(t *testing.T) {
	// A subscribe answer for 200 tracks is about 120 KB.
	sdp := "v=0\\r\\n" + strings.Repeat("a=x-pad:"+strings.Repeat("a", 590)+"\\r\\n", 200)
	if _, msg, err := Decode([]byte(`{"type":"subscribed","sdp":"` + sdp + `"}`)); err != nil || msg == nil {
		t.Errorf("subscribed of %d bytes: %v, want it decoded", len(sdp), err)
	}
	for _, data := range []string{
		`{"type":"publish","sdp":"` + sdp + `"}`, // a publish offer has a few tracks
		`{"type":"chat","text":"` + strings.Repeat("a", MaxMessageSize) + `"}`,
		`{"type":"subscribed","sdp":"` + strings.Repeat("a", MaxDescriptionSize) + `"}`,
		`{"type":` + strings.Repeat(" ", MaxMessageSize) + `}`, // too large to read even the type of
	} {
		if _, _, err := Decode([]byte(data)); !errors.Is(err, ErrTooLarge) {
			t.Errorf("Decode(%.30q… of %d bytes) = %v, want ErrTooLarge", data, len(data), err)
		}
	}
}

func TestDecode_FillsTheMessage(t *testing.T) {
	_, msg, err := Decode([]byte(`{"type":"media","audio":true,"video":false}`))
	if err != nil {
		t.Fatal(err)
	}
	m, ok := msg.(*Media)
	if !ok || !m.Audio || m.Video {
		t.Fatalf("got %#v, want *Media{Audio: true}", msg)
	}
}
