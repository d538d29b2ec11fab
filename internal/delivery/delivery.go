// Package delivery sends safemeet's email: invitations (each with its
// personal link, made at the moment of sending so that no usable link is ever
// stored) and the outbox of messages without secrets (approval outcomes,
// notices). It runs as one job that wakes every minute, or at once when
// kicked; a failed message is retried with growing pauses, and its reason is
// kept for the host to see. Nothing is lost: a message stays queued until the
// mail server accepts it.
package delivery

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"

	"safemeet/internal/audit"
	"safemeet/internal/errcode"
	"safemeet/internal/mail"
	"safemeet/internal/meeting"
	"safemeet/internal/secret"
	"safemeet/internal/store"
)

// batch bounds the messages of one kind sent per run.
const batch = 100

// Retry pauses double from minRetry up to maxRetry.
const (
	minRetry = time.Minute
	maxRetry = time.Hour
)

// Job is the delivery job.
type Job struct {
	Store     store.Store
	PublicURL string // links are PublicURL + "/join#" + token and "/consent#" + token
	Now       func() time.Time
	Logger    *slog.Logger

	kick chan struct{}
}

// New returns a job; call Run to start it.
func New(st store.Store, publicURL string, now func() time.Time, log *slog.Logger) *Job {
	return &Job{Store: st, PublicURL: publicURL, Now: now, Logger: log, kick: make(chan struct{}, 1)}
}

// Kick asks the job to run soon (something became due); it never blocks.
func (j *Job) Kick() {
	select {
	case j.kick <- struct{}{}:
	default:
	}
}

// Run runs the job every interval, and when kicked, until ctx ends.
func (j *Job) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if err := j.RunOnce(ctx); err != nil && ctx.Err() == nil {
			j.Logger.Error("delivery run", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-j.kick:
		}
	}
}

// MailConfig reads the organisation's mail settings; the zero Config (not
// configured) if there are none.
func MailConfig(ctx context.Context, st store.Store) (mail.Config, error) {
	raw, err := st.Setting(ctx, store.SettingSMTP)
	switch {
	case errcode.Of(err) == errcode.NotFound:
		return mail.Config{}, nil
	case err != nil:
		return mail.Config{}, err
	}
	var c mail.Config
	if err := json.Unmarshal([]byte(raw), &c); err != nil {
		return mail.Config{}, fmt.Errorf("delivery: decoding mail settings: %w", err)
	}
	return c, nil
}

// RunOnce sends everything due now. Without mail settings it sends nothing
// (and loses nothing: it stays queued).
func (j *Job) RunOnce(ctx context.Context) error {
	c, err := MailConfig(ctx, j.Store)
	if err != nil || !c.Configured() {
		return err
	}
	m := mail.New(c)
	now := j.Now().UTC()
	invs, err := j.Store.InvitationsDue(ctx, now, batch)
	if err != nil {
		return err
	}
	for _, inv := range invs {
		if err := j.sendInvitation(ctx, m, inv); err != nil {
			return err
		}
	}
	mails, err := j.Store.MailDue(ctx, now, batch)
	if err != nil {
		return err
	}
	for _, om := range mails {
		if err := j.sendOutbox(ctx, m, om); err != nil {
			return err
		}
	}
	return nil
}

// sendInvitation makes the invitation's new link (and for an invitee under
// 16 a new consent link), stores their hashes, and emails them to the one
// address recorded for it. A returned error is the store failing; a mail
// failure is recorded on the invitation for a retry.
func (j *Job) sendInvitation(ctx context.Context, m *mail.Mailer, inv meeting.Invitation) error {
	mt, err := j.Store.Meeting(ctx, inv.MeetingID)
	if err != nil {
		return err
	}
	host, err := j.Store.StaffByID(ctx, mt.HostID)
	if err != nil {
		return err
	}
	profile, err := j.Store.Profile(ctx, mt.Profile)
	if err != nil {
		return err
	}
	token := secret.New()
	tokenHash := secret.Hash(token)
	var consentToken, consentHash string
	if inv.NeedsConsent() {
		consentToken = secret.New()
		consentHash = secret.Hash(consentToken)
	}
	toName, toEmail := inv.MailTo()
	subject := "invitation:" + string(inv.ID)
	details := map[string]string{"to": toEmail, "kind": "invitation"}
	if inv.NeedsConsent() {
		details["kind"] = "consent_request"
	}
	// The new link replaces the old one before anything is sent, so the mail
	// never carries a link that does not work, and a resend revokes the old.
	if err := j.Store.SetDeliveryTokens(ctx, mt.ID, inv.ID, tokenHash, consentHash); err != nil {
		if errcode.Of(err) == errcode.NotFound {
			return nil // revoked meanwhile: nothing to send
		}
		return err
	}
	opens, closes := profile.Scheduling.Window(mt)
	msg := invitationMessage(letter{
		meeting: mt, inv: inv, host: host, toName: toName, toEmail: toEmail,
		link: j.PublicURL + "/join#" + token, consentLink: consentLinkOrEmpty(j.PublicURL, consentToken),
		opens: opens, closes: closes, hasContract: profile.Contract != "",
	}, j.Now().UTC())
	now := j.Now().UTC()
	if sendErr := m.Send(ctx, msg); sendErr != nil {
		reason := reasonText(sendErr)
		details["reason"] = reason
		if err := j.audit(ctx, "invitation.delivery_failed", subject, string(mt.ID), audit.Refused, details); err != nil {
			return err
		}
		retry := now.Add(backoff(inv.Attempts))
		return ignoreResent(j.Store.DeliveryFailed(ctx, mt.ID, inv.ID, tokenHash, reason, retry))
	}
	if err := j.audit(ctx, "invitation.sent", subject, string(mt.ID), audit.Allowed, details); err != nil {
		j.Logger.Error("audit invitation sent", "err", err) // the mail has gone; record it as sent all the same
	}
	return ignoreResent(j.Store.DeliverySucceeded(ctx, mt.ID, inv.ID, tokenHash, now))
}

// ignoreResent drops errcode.NotFound from a delivery outcome: the host
// resent (or revoked) the invitation while this mail was on its way, so the
// outcome is of a link that no longer exists, and the invitation stays queued
// for the new one.
func ignoreResent(err error) error {
	if errcode.Of(err) == errcode.NotFound {
		return nil
	}
	return err
}

func consentLinkOrEmpty(base, token string) string {
	if token == "" {
		return ""
	}
	return base + "/consent#" + token
}

// sendOutbox sends one outbox message, recording the outcome.
func (j *Job) sendOutbox(ctx context.Context, m *mail.Mailer, om store.OutboxMail) error {
	now := j.Now().UTC()
	err := m.Send(ctx, mail.Message{To: om.ToEmail, ToName: om.ToName, Subject: om.Subject, Text: om.Body})
	if err != nil {
		return j.Store.MailFailed(ctx, om.ID, reasonText(err), now.Add(backoff(om.Attempts)))
	}
	return j.Store.MailSucceeded(ctx, om.ID, now)
}

func (j *Job) audit(ctx context.Context, action, subject, meetingID string, outcome audit.Outcome, details map[string]string) error {
	return j.Store.Append(ctx, audit.Entry{
		At: j.Now().UTC(), Actor: "system:delivery", Action: action, Subject: subject,
		Outcome: outcome, Details: details, Meeting: meetingID,
	})
}

// backoff is the pause before retry number attempts+1.
func backoff(attempts int) time.Duration {
	d := minRetry
	for range attempts {
		d *= 2
		if d >= maxRetry {
			return maxRetry
		}
	}
	return d
}

// maxReason bounds a kept failure reason, in bytes.
const maxReason = 500

// reasonText is a failure as the host is shown it: the mail server's reply
// where there was one, cut to maxReason bytes of valid UTF-8.
func reasonText(err error) string {
	s := strings.ToValidUTF8(err.Error(), "\uFFFD")
	for len(s) > maxReason {
		_, size := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-size]
	}
	return s
}

// QueueNotice puts a message without secrets in the outbox, for the job to send.
func QueueNotice(ctx context.Context, st store.Store, now time.Time, toName, toEmail, subject, body string, mt meeting.ID) error {
	return st.QueueMail(ctx, store.OutboxMail{
		ID: meeting.RandomID(), ToEmail: toEmail, ToName: toName, Subject: subject, Body: body,
		Meeting: mt, CreatedAt: now, NextAttemptAt: now,
	})
}
