package sqlite

import (
	"cmp"
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
const profileColumns = `id, name, rules, scheduling, contract, retention`

// profileOrder lists the shipped profiles first, strictest first, then the
// organisation's own by name.
const profileOrder = `CASE id WHEN 'children-families' THEN 0 WHEN 'adults-external' THEN 1 WHEN 'internal-staff' THEN 2 ELSE 3 END, name, id`

// scanProfile scans profileColumns. Stored rules that no longer parse are an
// error, never a silent default.
func scanProfile(r rowScanner) (policy.Profile, error) {
	var (
		p                            policy.Profile
		rules, scheduling, retention string
	)
	if err := r.Scan(&p.ID, &p.Name, &rules, &scheduling, &p.Contract, &retention); err != nil {
		return policy.Profile{}, err
	}
	parsed, err := policy.ParseRules([]byte(rules))
	if err != nil {
		return policy.Profile{}, fmt.Errorf("decoding rules of profile %q: %w", p.ID, err)
	}
	p.Rules = parsed
	if p.Scheduling, err = policy.ParseScheduling([]byte(scheduling)); err != nil {
		return policy.Profile{}, fmt.Errorf("decoding scheduling of profile %q: %w", p.ID, err)
	}
	if p.Retention, err = policy.ParseRetention([]byte(retention)); err != nil {
		return policy.Profile{}, fmt.Errorf("decoding retention of profile %q: %w", p.ID, err)
	}
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

// encProfile checks p and returns its rules and scheduling as stored JSON;
// errcode.Invalid if p has no ID or name, its rules or scheduling are
// invalid, or its contract is too long.
func encProfile(op string, p policy.Profile) (rules, scheduling, retention string, err error) {
	if p.ID == "" || strings.TrimSpace(p.Name) == "" {
		return "", "", "", errcode.Wrap(errcode.Invalid, fmt.Errorf("sqlite: %s: profile needs an ID and a name", op))
	}
	if err := cmp.Or(p.Rules.Validate(), p.Scheduling.Validate(), p.Retention.Validate()); err != nil {
		return "", "", "", errcode.Wrap(errcode.Invalid, fmt.Errorf("sqlite: %s: %w", op, err))
	}
	if len(p.Contract) > policy.MaxContractLen {
		return "", "", "", errcode.Wrap(errcode.Invalid, fmt.Errorf("sqlite: %s: contract too long", op))
	}
	// Plain strings, ints and bools: marshalling cannot fail.
	r, _ := json.Marshal(p.Rules)
	s, _ := json.Marshal(p.Scheduling)
	k, _ := json.Marshal(p.Retention)
	return string(r), string(s), string(k), nil
}

// CreateProfile adds a profile; errcode.Conflict if its name or ID is taken,
// errcode.Invalid if it has no ID or name or its rules are invalid.
func (d *DB) CreateProfile(ctx context.Context, p policy.Profile, now time.Time) error {
	rules, scheduling, retention, err := encProfile("create profile", p)
	if err != nil {
		return err
	}
	const q = `INSERT INTO profiles (id, name, rules, scheduling, contract, retention, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)`
	if _, err := d.db.ExecContext(ctx, q, string(p.ID), p.Name, rules, scheduling, p.Contract, retention, encTime(now)); err != nil {
		return storeErr("create profile", err)
	}
	return nil
}

// UpdateProfile replaces a profile's name and rules; errcode.NotFound if
// there is no such profile, errcode.Conflict if another profile has the name,
// errcode.Invalid as for CreateProfile.
func (d *DB) UpdateProfile(ctx context.Context, p policy.Profile, now time.Time) error {
	rules, scheduling, retention, err := encProfile("update profile", p)
	if err != nil {
		return err
	}
	const q = `UPDATE profiles SET name = $2, rules = $3, scheduling = $4, contract = $5, retention = $6, updated_at = $7 WHERE id = $1`
	return d.exec(ctx, "update profile", q, string(p.ID), p.Name, rules, scheduling, p.Contract, retention, encTime(now))
}
