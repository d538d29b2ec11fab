package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"safemeet/internal/auth"
	"safemeet/internal/config"
	"safemeet/internal/store"
)

// runAdmin runs `safemeet admin SUBCOMMAND`.
func runAdmin(ctx context.Context, args []string, stdout, _ io.Writer) error {
	if len(args) == 0 {
		return errors.New("admin needs a subcommand: add-staff or signin-link")
	}
	c := config.Default()
	fs := flag.NewFlagSet("admin "+args[0], flag.ContinueOnError)
	fs.StringVar(&c.DataDir, "data", envOrDefault("SAFEMEET_DATA", c.DataDir), "data folder ($SAFEMEET_DATA)")
	fs.StringVar(&c.PublicURL, "public-url", envOrDefault("SAFEMEET_PUBLIC_URL", c.PublicURL), "URL people open ($SAFEMEET_PUBLIC_URL)")
	switch args[0] {
	case "add-staff":
		email := fs.String("email", "", "email address (required)")
		name := fs.String("name", "", "full name (required)")
		password := fs.String("password", "", "password (optional: without one, print a sign-in link)")
		admin := fs.Bool("admin", false, "give the account the admin role (accounts, profiles, settings)")
		approver := fs.Bool("approver", false, "give the account the approver role (approves meetings)")
		host := fs.Bool("host", true, "give the account the host role (schedules and runs meetings)")
		auditor := fs.Bool("auditor", false, "give the account the auditor role (reads registers)")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		return withAuth(c.DataDir, func(a *auth.Service) error {
			// The first start creates the organisation and its first admin only
			// while there are no accounts, so accounts must not come first.
			if n, err := a.Store.CountStaff(ctx); err != nil {
				return err
			} else if n == 0 {
				return errors.New("start safemeet once first: the first start creates the organisation and its first admin")
			}
			st, err := a.AddStaff(ctx, "", *email, *name, *password, store.Roles{Admin: *admin, Approver: *approver, Host: *host, Auditor: *auditor})
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "Added %s <%s>.\n", st.Name, st.Email)
			if *password == "" {
				return printSigninLink(ctx, a, stdout, c.PublicURL, st.Email)
			}
			return nil
		})
	case "signin-link":
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		if fs.NArg() != 1 {
			return errors.New("usage: safemeet admin signin-link EMAIL")
		}
		return withAuth(c.DataDir, func(a *auth.Service) error {
			return printSigninLink(ctx, a, stdout, c.PublicURL, fs.Arg(0))
		})
	default:
		return fmt.Errorf("unknown admin subcommand %q", args[0])
	}
}

func withAuth(dataDir string, f func(*auth.Service) error) error {
	db, err := openStore(dataDir)
	if err != nil {
		return err
	}
	defer db.Close()
	return f(&auth.Service{Store: db})
}

func printSigninLink(ctx context.Context, a *auth.Service, stdout io.Writer, publicURL, email string) error {
	st, err := a.Store.StaffByEmail(ctx, email)
	if err != nil {
		return fmt.Errorf("no staff account for %s: %w", email, err)
	}
	token, err := a.IssueSigninLink(ctx, st.ID, firstSigninTTL)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "One-time sign-in link for %s (valid %s): %s/signin#%s\n", st.Email, firstSigninTTL, publicURL, token)
	return nil
}

func envOrDefault(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
