package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"safemeet/internal/errcode"
	"safemeet/internal/meeting"
	"safemeet/internal/policy"
)

// profileColumns are the columns scanProfile reads.
const profileColumns = `id, name, rules`

// profileOrder lists the shipped profiles first, strictest first, then the
// organisation's own by name.
const profileOrder = `CASE id WHEN 'children-families' THEN 0 WHEN 'adults-external' THEN 1 WHEN 'internal-staff' THEN 2 ELSE 3 END, name, id`

// scanProfile scans profileColumns. Stored rules that no longer parse are an
// error, never a silent default.
func scanProfile(r rowScanner) (policy.Profile, error) {
	var (
		p     policy.Profile
		rules string
	)
	if err := r.Scan(&p.ID, &p.Name, &rules); err != nil {
		return policy.Profile{}, err
	}
	parsed, err := policy.ParseRules([]byte(rules))
	if err != nil {
		return policy.Profile{}, fmt.Errorf("decoding rules of profile %q: %w", p.ID, err)
	}
	p.Rules = parsed
	return p, nil
}

// Profiles lists every profile: the shipped ones first, then others by name.
func (d *DB) Profiles(ctx context.Context) ([]policy.Profile, error) {
	return queryAll(ctx, d, "profiles", scanProfile, `SELECT `+profileColumns+` FROM profiles ORDER BY `+profileOrder)
}

// Profile finds a profile by ID; errcode.NotFound if none.
func (d *DB) Profile(ctx context.Context, id meeting.ProfileID) (policy.Profile, error) {
	p, err := scanProfile(d.db.QueryRowContext(ctx, `SELECT `+profileColumns+` FROM profiles WHERE id = $1`, string(id)))
	if err != nil {
		return policy.Profile{}, storeErr("profile", err)
	}
	return p, nil
}

// encProfile checks p and returns its rules as stored JSON; errcode.Invalid
// if p has no ID or name or its rules are invalid.
func encProfile(op string, p policy.Profile) (string, error) {
	if p.ID == "" || strings.TrimSpace(p.Name) == "" {
		return "", errcode.Wrap(errcode.Invalid, fmt.Errorf("sqlite: %s: profile needs an ID and a name", op))
	}
	if err := p.Rules.Validate(); err != nil {
		return "", errcode.Wrap(errcode.Invalid, fmt.Errorf("sqlite: %s: %w", op, err))
	}
	b, err := json.Marshal(p.Rules)
	if err != nil {
		return "", fmt.Errorf("sqlite: %s: %w", op, err)
	}
	return string(b), nil
}

// CreateProfile adds a profile; errcode.Conflict if its name or ID is taken,
// errcode.Invalid if it has no ID or name or its rules are invalid.
func (d *DB) CreateProfile(ctx context.Context, p policy.Profile, now time.Time) error {
	rules, err := encProfile("create profile", p)
	if err != nil {
		return err
	}
	const q = `INSERT INTO profiles (id, name, rules, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)`
	if _, err := d.db.ExecContext(ctx, q, string(p.ID), p.Name, rules, encTime(now)); err != nil {
		return storeErr("create profile", err)
	}
	return nil
}

// UpdateProfile replaces a profile's name and rules; errcode.NotFound if
// there is no such profile, errcode.Conflict if another profile has the name,
// errcode.Invalid as for CreateProfile.
func (d *DB) UpdateProfile(ctx context.Context, p policy.Profile, now time.Time) error {
	rules, err := encProfile("update profile", p)
	if err != nil {
		return err
	}
	const q = `UPDATE profiles SET name = $2, rules = $3, updated_at = $4 WHERE id = $1`
	return d.exec(ctx, "update profile", q, string(p.ID), p.Name, rules, encTime(now))
}
