package main

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
)

func TestAdmin_AddStaffAfterFirstStartPrintsSigninLink(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	args := []string{"admin", "add-staff", "--data", dir, "--email", "t@school.example", "--name", "Ms Teacher"}
	if err := run(ctx, args, io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "start safemeet once first") {
		t.Fatalf("add-staff before the first start: %v, want a refusal", err)
	}

	startServer(t, func(m *Main) { m.Config.DataDir = dir })
	var out bytes.Buffer
	if err := run(ctx, args, &out, io.Discard); err != nil {
		t.Fatalf("add-staff: %v", err)
	}
	if !strings.Contains(out.String(), "/signin#") {
		t.Errorf("add-staff without a password printed %q, want a sign-in link", out.String())
	}
	err := run(ctx, args, io.Discard, io.Discard)
	if got := describe(err); got != "That already exists." {
		t.Errorf("adding the same email again: %q, want %q", got, "That already exists.")
	}
	err = run(ctx, []string{"admin", "add-staff", "--data", dir, "--email", "x@school.example", "--name", "X", "--password", "short"}, io.Discard, io.Discard)
	if got := describe(err); !strings.Contains(got, "(password)") {
		t.Errorf("a short password: %q, want the password named", got)
	}
}
