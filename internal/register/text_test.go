package register

import (
	"testing"
	"time"
)

func TestNeutralise(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"Ms Smith", "Ms Smith"},
		{"Anne-Marie", "Anne-Marie"},
		{"=1+1", "'=1+1"},
		{"+44 20 7946 0000", "'+44 20 7946 0000"},
		{"-", "'-"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\t=1", "'\t=1"},
		{"\r=1", "'\r=1"},
		{" =1", " =1"},
		{"'already quoted", "'already quoted"},
	}
	for _, tt := range tests {
		if got := neutralise(tt.in); got != tt.want {
			t.Errorf("neutralise(%q): got %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestClean(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"Zoë Ōkubo 李", "Zoë Ōkubo 李"},
		{"tab\tnewline\ncarriage\r", "tab\tnewline\ncarriage\r"},
		{"nul\x00", "nul\uFFFD"},
		{"\x1b[31mred", "\uFFFD[31mred"},
		{"del\x7f", "del\uFFFD"},
		{"csi\u009b", "csi\uFFFD"},
		{"bad\xffutf8", "bad\uFFFDutf8"},
		{"non\uFFFEchar", "non\uFFFDchar"},
		{"\x00=1", "\uFFFD=1"},
	}
	for _, tt := range tests {
		if got := clean(tt.in); got != tt.want {
			t.Errorf("clean(%q): got %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestMinutesHaveOneDecimal(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{0, "0.0"},
		{59 * time.Second, "1.0"},
		{12*time.Minute + 30*time.Second, "12.5"},
		{12*time.Minute + 29*time.Second, "12.5"},
		{12*time.Minute + 2*time.Second, "12.0"},
		{90 * time.Minute, "90.0"},
	}
	for _, tt := range tests {
		if got := formatCSV(minutes(tt.d)); got != tt.want {
			t.Errorf("minutes(%v): got %q, want %q", tt.d, got, tt.want)
		}
	}
}
