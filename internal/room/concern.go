package room

import (
	"context"

	"safemeet/internal/audit"
	"safemeet/internal/chat"
	"safemeet/internal/errcode"
	"safemeet/internal/meeting"
	"safemeet/internal/policy"
	"safemeet/internal/signalling"
	"safemeet/internal/store"
)

// RaiseConcern records a host's or co-host's safeguarding concern about a
// participant (target) or, with no target, about the meeting. It is stored
// with the meeting's record (where it holds every record of the meeting from
// retention) and audited — the note itself stays in the concerns record, not
// in the hash-chained log — and the other hosts are told. Deps.OnConcern
// then tells the designated safeguarding leads.
func (r *Room) RaiseConcern(ctx context.Context, actor, target meeting.ParticipantID, note string) error {
	return r.call(ctx, func() error {
		a := r.participants[actor]
		if a == nil || !a.connected() {
			return errcode.New(errcode.NotAllowedNow)
		}
		if d := policy.Decide(policy.Party{Role: a.role, Admission: a.admission}, policy.ActionConcern, policy.State{Ended: r.ended, Rules: r.rules}); !d.Allowed {
			_ = r.record("decision.concern", a.identity.Actor(), r.subject(), audit.Refused, map[string]string{"code": string(d.Code)})
			return d.Err()
		}
		text, err := chat.Clean(note)
		if err != nil {
			return errcode.New(errcode.ConcernInvalid)
		}
		c := store.Concern{
			ID: meeting.RandomID(), Meeting: r.meeting.ID, RaisedBy: a.identity.Actor(), RaisedByName: a.identity.Name,
			Note: text, At: r.now(),
		}
		subject := r.subject()
		if target != "" {
			t := r.participants[target]
			if t == nil {
				return errcode.New(errcode.NoSuchParticipant)
			}
			c.About, c.AboutName, subject = t.id, t.identity.Name, t.subject()
		}
		details := map[string]string{"concern": c.ID}
		if c.AboutName != "" {
			details["about"] = c.AboutName
		}
		if err := r.record("concern.raise", a.identity.Actor(), subject, audit.Allowed, details); err != nil {
			return err
		}
		sctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
		defer cancel()
		if err := r.deps.Store.RecordConcern(sctx, c); err != nil {
			r.log.Error("store concern", "err", err)
			return errcode.Wrap(errcode.Internal, err)
		}
		about := "the meeting"
		if c.AboutName != "" {
			about = c.AboutName
		}
		r.tellHosts(signalling.Notice{
			Type: signalling.TypeNotice, Code: "concern_recorded",
			Message:     a.identity.Name + " flagged a safeguarding concern about " + about + ". It is kept with the meeting's record and the safeguarding leads are told.",
			Participant: string(c.About),
		})
		if r.deps.OnConcern != nil {
			go r.deps.OnConcern(r.meeting, c)
		}
		return nil
	})
}
