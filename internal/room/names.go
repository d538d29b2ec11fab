package room

import (
	"context"

	"safemeet/internal/audit"
	"safemeet/internal/displayname"
	"safemeet/internal/errcode"
	"safemeet/internal/meeting"
	"safemeet/internal/policy"
	"safemeet/internal/signalling"
)

// Rename changes the actor's display name, where the rules allow renaming.
// The name must pass the display-name rules, which refuse reserved words and
// look-alikes of the names of the people running the meeting; hosts are told
// of every rename with the invitation's name beside it.
func (r *Room) Rename(ctx context.Context, actor meeting.ParticipantID, requested string) error {
	return r.command(ctx, actor, policy.ActionRename, "", func(a, _ *participant) error {
		name, err := displayname.Check(requested, r.protectedNames(a))
		if err != nil {
			_ = r.record("participant.rename", a.identity.Actor(), a.subject(), audit.Refused, map[string]string{"code": string(errcode.Of(err)), "invited_name": a.identity.Name})
			return err
		}
		if name == a.name() {
			return nil
		}
		if err := r.record("participant.rename", a.identity.Actor(), a.subject(), audit.Allowed, map[string]string{"from": a.name(), "to": name, "invited_name": a.identity.Name}); err != nil {
			return err
		}
		a.displayName = name
		if name == a.identity.Name {
			a.displayName = ""
		}
		r.broadcastPerson(a, "")
		r.tellHosts(signalling.Notice{
			Type: signalling.TypeNotice, Code: "renamed", Participant: string(a.id),
			Message: a.identity.Name + " (" + a.identity.RoleLabel + ") is now shown as \u201c" + name + "\u201d.",
		})
		return nil
	})
}

// protectedNames are the names nobody else may imitate: those of the host and
// co-hosts present, both their real and their shown names.
func (r *Room) protectedNames(except *participant) []string {
	var names []string
	for _, id := range r.order {
		p := r.participants[id]
		if p == except || !p.role.IsHost() || p.admission != meeting.AdmissionAdmitted {
			continue
		}
		names = append(names, p.identity.Name)
		if p.displayName != "" {
			names = append(names, p.displayName)
		}
	}
	return names
}
