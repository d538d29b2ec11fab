// Package retention deletes what each safeguarding profile says a meeting
// keeps for only so long once it has ended: its chat text and its detailed
// register data (stays). A safeguarding concern flagged in a meeting holds all
// of its records, whatever its profile says. Every purge, and every hold that
// stopped one, is recorded in the audit log first; a purge that cannot be
// recorded does not happen. The meeting's summary and the audit log are never
// touched.
package retention

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"safemeet/internal/audit"
	"safemeet/internal/meeting"
	"safemeet/internal/policy"
	"safemeet/internal/store"
)

// actor is who the job's audit entries name.
const actor = "system:retention"

// Audit actions.
const (
	actionPurge = "retention.purge"
	actionHold  = "retention.hold"
)

// What a purge deletes, as the audit entries name it.
const (
	whatChat     = "chat"
	whatRegister = "register"
)

// Job deletes what each profile says has expired: chat text and detailed
// register data (stays) of meetings that ended long enough ago — except where
// a safeguarding concern holds the meeting's records — and records every
// purge (and every hold that stopped one) in the audit log.
type Job struct {
	Store  store.Store
	Now    func() time.Time
	Logger *slog.Logger
}

// Report is what one run did, counted in meetings.
type Report struct {
	ChatPurged  int // meetings whose chat text went
	StaysPurged int // meetings whose stays went
	// Held counts meetings that would have lost something but a concern holds them.
	Held int
	// Skipped counts meetings left alone because their profile could not be read.
	Skipped int
}

// Run runs RunOnce now and then every interval (daily in production) until ctx ends.
func (j *Job) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		r, err := j.RunOnce(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			j.Logger.Error("retention run", "err", err, "chat_purged", r.ChatPurged, "stays_purged", r.StaysPurged, "held", r.Held, "skipped", r.Skipped)
		case r != Report{}:
			j.Logger.Info("retention run", "chat_purged", r.ChatPurged, "stays_purged", r.StaysPurged, "held", r.Held, "skipped", r.Skipped)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// RunOnce purges what has expired at now and returns what it did. It stops
// at the first error (a failed audit append or purge), returning what it had
// done so far; a meeting whose profile cannot be read is skipped and logged,
// never purged on a guess.
func (j *Job) RunOnce(ctx context.Context) (Report, error) {
	var r Report
	now := j.Now().UTC()
	// Nothing expires sooner than a day after it ended (policy.Retention.Validate),
	// but passing now keeps this correct whatever the shortest period becomes.
	cands, err := j.Store.RetentionCandidates(ctx, now)
	if err != nil {
		return r, fmt.Errorf("retention: candidates: %w", err)
	}
	profiles := map[meeting.ProfileID]policy.Retention{}
	for _, c := range cands {
		if err := ctx.Err(); err != nil {
			return r, err
		}
		m := c.Meeting
		log := j.Logger.With("meeting_id", string(m.ID), "profile_id", string(m.Profile))
		keep, ok := profiles[m.Profile]
		if !ok {
			p, err := j.Store.Profile(ctx, m.Profile)
			if err != nil {
				log.Error("retention: profile unreadable; meeting skipped", "err", err)
				r.Skipped++
				continue
			}
			keep = p.Retention
			profiles[m.Profile] = keep
		}
		if err := j.meeting(ctx, &r, now, c, keep, log); err != nil {
			return r, err
		}
	}
	return r, nil
}

// expiry is one kind of record a meeting may lose.
type expiry struct {
	what  string // whatChat or whatRegister
	days  int    // the profile's period
	purge func(context.Context, meeting.ID, time.Time) (int64, error)
	count func(context.Context, meeting.ID) (int, error)
	unit  string // the audit detail counting what went
	tally *int   // the Report field counting meetings that lost it
}

// meeting purges whatever of one candidate has expired at now.
func (j *Job) meeting(ctx context.Context, r *Report, now time.Time, c store.Retained, keep policy.Retention, log *slog.Logger) error {
	var due []expiry
	if c.ChatPurgedAt.IsZero() && !now.Before(keep.ChatExpires(c.Meeting.EndedAt)) {
		due = append(due, expiry{what: whatChat, days: keep.ChatDays, purge: j.Store.PurgeChat, count: j.countChat, unit: "messages", tally: &r.ChatPurged})
	}
	if c.RegisterPurgedAt.IsZero() && !now.Before(keep.RegisterExpires(c.Meeting.EndedAt)) {
		due = append(due, expiry{what: whatRegister, days: keep.RegisterDays, purge: j.Store.PurgeStays, count: j.countStays, unit: "stays", tally: &r.StaysPurged})
	}
	if len(due) == 0 {
		return nil
	}
	if c.Held {
		return j.hold(ctx, r, now, c.Meeting.ID, due)
	}
	for i, e := range due {
		done, err := j.purge(ctx, now, c.Meeting.ID, e, log)
		if err != nil {
			return err
		}
		if !done {
			// A concern was raised since the candidates were listed; the
			// store refused, and this meeting is held from now on.
			return j.hold(ctx, r, now, c.Meeting.ID, due[i:])
		}
		*e.tally++
	}
	return nil
}

// purge audits and then carries out one purge. It reports false if the store
// refused because a concern now holds the meeting.
func (j *Job) purge(ctx context.Context, now time.Time, id meeting.ID, e expiry, log *slog.Logger) (bool, error) {
	// The count goes in the audit entry, which must be written before anything
	// is deleted; a meeting that has ended gains no more records.
	n, err := e.count(ctx, id)
	if err != nil {
		return false, fmt.Errorf("retention: counting %s of meeting %s: %w", e.what, id, err)
	}
	details := map[string]string{"what": e.what, e.unit: strconv.Itoa(n), "days": strconv.Itoa(e.days)}
	if err := j.append(ctx, now, actionPurge, id, audit.Allowed, details); err != nil {
		return false, err
	}
	got, err := e.purge(ctx, id, now)
	if err != nil {
		return false, fmt.Errorf("retention: purging %s of meeting %s: %w", e.what, id, err)
	}
	if got == 0 {
		// The store deletes nothing (and marks nothing purged) when a concern
		// holds the meeting, checked inside its transaction: one may have been
		// raised since the candidates were listed.
		held, err := j.held(ctx, id)
		if err != nil {
			return false, err
		}
		if held {
			log.Warn("retention: a concern was raised while purging; nothing deleted", "what", e.what)
			return false, nil
		}
	}
	if got != int64(n) {
		log.Warn("retention: purge deleted a different number than counted", "what", e.what, "counted", n, "deleted", got)
	}
	return true, nil
}

// hold records that a concern stopped the purge of what was due.
func (j *Job) hold(ctx context.Context, r *Report, now time.Time, id meeting.ID, due []expiry) error {
	whats := make([]string, len(due))
	for i, e := range due {
		whats[i] = e.what
	}
	if err := j.append(ctx, now, actionHold, id, audit.Refused, map[string]string{"what": strings.Join(whats, ","), "reason": "concern"}); err != nil {
		return err
	}
	r.Held++
	return nil
}

// append writes one of the job's audit entries.
func (j *Job) append(ctx context.Context, now time.Time, action string, id meeting.ID, outcome audit.Outcome, details map[string]string) error {
	err := j.Store.Append(ctx, audit.Entry{
		At: now, Actor: actor, Action: action, Subject: "meeting:" + string(id),
		Outcome: outcome, Details: details, Meeting: string(id),
	})
	if err != nil {
		return fmt.Errorf("retention: audit %s of meeting %s (nothing purged): %w", action, id, err)
	}
	return nil
}

func (j *Job) countChat(ctx context.Context, id meeting.ID) (int, error) {
	recs, err := j.Store.ChatRecords(ctx, id)
	return len(recs), err
}

func (j *Job) countStays(ctx context.Context, id meeting.ID) (int, error) {
	stays, err := j.Store.Stays(ctx, id)
	return len(stays), err
}

// held reports whether a concern holds the meeting's records.
func (j *Job) held(ctx context.Context, id meeting.ID) (bool, error) {
	cs, err := j.Store.Concerns(ctx, id)
	if err != nil {
		return false, fmt.Errorf("retention: concerns of meeting %s: %w", id, err)
	}
	return len(cs) > 0, nil
}
