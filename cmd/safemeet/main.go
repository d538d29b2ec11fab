// Command safemeet is the one binary: `safemeet serve` (the default) runs the
// meeting server; `safemeet admin …` manages accounts; `safemeet load …`
// measures a server on this machine with synthetic participants; `safemeet
// audit verify` checks the audit log's hash chain.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"safemeet/internal/errcode"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		var code exitCode // the command has said what it found
		if errors.As(err, &code) {
			os.Exit(int(code))
		}
		fmt.Fprintln(os.Stderr, "safemeet:", describe(err))
		os.Exit(1)
	}
}

// describe turns an error into a sentence for the person at the terminal:
// coded errors get their fixed message (and the field at fault), others
// their text.
func describe(err error) string {
	var ce *errcode.Error
	if !errors.As(err, &ce) {
		return err.Error()
	}
	msg := errcode.Message(ce.Code)
	var fe interface{ FieldName() string }
	if errors.As(err, &fe) {
		msg += " (" + fe.FieldName() + ")"
	}
	return msg
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		m := NewMain(stdout, stderr)
		if err := m.ParseFlags(args); err != nil {
			return err
		}
		if err := m.Run(ctx); err != nil {
			m.Close()
			return err
		}
		<-ctx.Done()
		return m.Close()
	case "admin":
		return runAdmin(ctx, args, stdout, stderr)
	case "load":
		return runLoad(ctx, args, stdout, stderr)
	case "audit":
		return runAudit(ctx, args, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		return fmt.Errorf("unknown command %q\n%s", cmd, usage)
	}
}

const usage = `usage:
  safemeet [serve] [flags]          run the meeting server (see: safemeet serve -h)
  safemeet admin add-staff [flags]  add a staff account
  safemeet admin signin-link EMAIL  print a one-time sign-in link for a staff member
  safemeet load --url URL [flags]   load-test a server on this machine (see: safemeet load -h)
  safemeet audit verify [flags]     check the audit log's hash chain (see: safemeet audit verify -h)
`
