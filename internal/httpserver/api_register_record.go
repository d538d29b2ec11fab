package httpserver

import (
	"context"
	"net/http"
	"strings"

	"safemeet/internal/audit"
	"safemeet/internal/errcode"
	"safemeet/internal/meeting"
)

// One meeting's whole record in the register, with its audit entries told as
// a timeline for people.

type concernRecordJSON struct {
	At       string `json:"at"`
	RaisedBy string `json:"raisedBy"`
	About    string `json:"about"` // "" for the meeting as a whole
	Note     string `json:"note"`
}

type consentRecordJSON struct {
	Child string `json:"child"`
	By    string `json:"by"`
	At    string `json:"at"`
	State string `json:"state"`
}

type acceptanceJSON struct {
	Name string `json:"name"`
	At   string `json:"at"`
	Hash string `json:"hash"`
}

type timelineJSON struct {
	Seq     int64  `json:"seq"`
	At      string `json:"at"`
	Actor   string `json:"actor"`
	Action  string `json:"action"`
	Subject string `json:"subject"`
	Outcome string `json:"outcome"`
	Text    string `json:"text"`
}

// getRegisterMeeting is one meeting's whole record.
func (s *Server) getRegisterMeeting(w http.ResponseWriter, r *http.Request) {
	ctx, st := r.Context(), staffFrom(r)
	m, err := s.deps.Store.Meeting(ctx, meeting.ID(r.PathValue("id")))
	if err == nil && m.HostID != st.ID && !readsWholeRegister(st.Roles) {
		err = errcode.New(errcode.NotFound)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	body, err := s.meetingRecord(ctx, m, readsWholeRegister(st.Roles))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, body)
}

// meetingRecord is m's record. Concern notes are for the safeguarding leads
// (approvers and auditors): a host sees that a concern was raised, when and
// by whom, not what it says (it may be about them).
func (s *Server) meetingRecord(ctx context.Context, m meeting.Meeting, leads bool) (map[string]any, error) {
	rec, err := s.load(ctx, m)
	if err != nil {
		return nil, err
	}
	n, err := s.newNames(ctx)
	if err != nil {
		return nil, err
	}
	invs, err := s.deps.Store.Invitations(ctx, m.ID)
	if err != nil {
		return nil, err
	}
	accepted, err := s.deps.Store.ContractAcceptances(ctx, m.ID)
	if err != nil {
		return nil, err
	}
	entries, err := s.deps.Store.AuditEntriesForMeeting(ctx, string(m.ID), maxTimeline+1)
	if err != nil {
		return nil, err
	}
	truncated := len(entries) > maxTimeline
	entries = entries[:min(len(entries), maxTimeline)]

	concerns := make([]concernRecordJSON, 0, len(rec.concerns))
	for _, c := range rec.concerns {
		cj := concernRecordJSON{At: timeJSON(c.At), RaisedBy: c.RaisedByName}
		if leads {
			cj.About, cj.Note = c.AboutName, c.Note
		}
		concerns = append(concerns, cj)
	}
	consents := []consentRecordJSON{}
	for _, inv := range invs {
		if inv.NeedsConsent() || inv.Consent.State != meeting.ConsentNone {
			consents = append(consents, consentRecordJSON{Child: inv.Name, By: inv.Consent.By, At: timeJSON(inv.Consent.At), State: string(inv.Consent.State)})
		}
	}
	acceptances := make([]acceptanceJSON, 0, len(accepted))
	for _, a := range accepted {
		acceptances = append(acceptances, acceptanceJSON{Name: a.Name, At: timeJSON(a.At), Hash: a.ContractHash})
	}
	who := people{staff: func(id string) string { return n.staffName(ctx, meeting.StaffID(id)) }, invitations: map[string]string{}, participants: map[string]string{}}
	for _, inv := range invs {
		who.invitations[string(inv.ID)] = inv.Name
	}
	for _, st := range rec.stays {
		who.participants[string(st.Participant)] = st.Name
	}
	timeline := make([]timelineJSON, 0, len(entries))
	for _, e := range entries {
		timeline = append(timeline, timelineJSON{
			Seq: e.Seq, At: timeJSON(e.At), Actor: who.name(e.Actor, e), Action: e.Action,
			Subject: who.name(e.Subject, e), Outcome: string(e.Outcome), Text: who.sentence(e),
		})
	}
	return map[string]any{
		"meeting": s.rowJSON(rec, rec.row(ctx, n)), "attendance": attendanceRowsJSON(rec, rec.attendance(s.deps.Now())),
		"concerns": concerns, "consents": consents, "contractAcceptances": acceptances,
		"timeline": timeline, "timelineTruncated": truncated,
	}, nil
}

// people names the actors and subjects of a meeting's audit entries.
type people struct {
	staff        func(id string) string
	invitations  map[string]string // by invitation ID
	participants map[string]string // by participant ID, from the stays
}

// name is who or what ref ("staff:<id>", "participant:<id>", …) is, for people.
func (p people) name(ref string, e audit.Entry) string {
	kind, id, _ := strings.Cut(ref, ":")
	found := ""
	switch kind {
	case "staff":
		found = or(p.staff(id), "A member of staff")
	case "invitation":
		found = or(p.invitations[id], "An invitee")
	case "participant":
		found = or(p.participants[id], e.Details["name"], "A participant")
	case "guardian":
		found = "A parent or carer"
		if by := e.Details["by"]; by != "" {
			found = by + " (parent or carer)"
		}
	case "meeting":
		found = "the meeting"
	case "system":
		found = map[string]string{"auto-lock": "Auto-lock", "delivery": "Email delivery", "profile": "The safeguarding profile", "rules": "The meeting's rules"}[id]
		found = or(found, "safemeet")
	}
	return or(found, ref)
}

// or is the first of its arguments that is not empty.
func or(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// sentences tell what each kind of audit entry records. {actor} and
// {subject} are names (see people.name), {about} the concern's subject,
// {kind} a kind of media, and any other {key} the entry's detail of that name.
// A variant "action/variant" (see variant) wins over the plain action.
var sentences = map[string]string{
	"meeting.create":               "{actor} scheduled the meeting",
	"meeting.update":               "{actor} changed the meeting ({changed})",
	"meeting.approve":              "{actor} approved the meeting",
	"meeting.decline":              "{actor} declined the meeting",
	"meeting.lock":                 "{actor} locked the meeting",
	"meeting.lock/auto_lock":       "The meeting locked itself after {minutes} minutes",
	"meeting.unlock":               "{actor} unlocked the meeting",
	"meeting.end":                  "{actor} ended the meeting",
	"meeting.suspend":              "{actor} suspended the meeting",
	"meeting.interrupted":          "The server restarted; the meeting was put back as it was",
	"meeting.server_shutdown":      "The server stopped while the meeting was running",
	"meeting.rules":                "{actor} changed the meeting's rules",
	"meeting.rules/system":         "The meeting's rules changed with its safeguarding profile",
	"meeting.rules/refused":        "{actor} could not loosen the meeting's rules ({would_loosen})",
	"invitation.issue":             "{actor} invited {subject}",
	"invitation.revoke":            "{actor} withdrew {subject}'s invitation",
	"invitation.restore":           "{actor} restored {subject}'s invitation",
	"invitation.new_link":          "{actor} made a new link for {subject}",
	"invitation.resend":            "{actor} sent {subject}'s invitation again",
	"invitation.sent":              "{subject}'s invitation was emailed",
	"invitation.delivery_failed":   "{subject}'s invitation could not be emailed",
	"invitation.reuse_refused":     "{actor}'s link was refused: it was already in use",
	"consent.give":                 "{actor} gave consent for {child}",
	"consent.refuse":               "{actor} refused consent for {child}",
	"consent.withdraw":             "{actor} withdrew consent for {child}",
	"participant.join_host":        "{actor} joined as host",
	"participant.wait":             "{actor} arrived in the waiting room",
	"participant.wait/refused":     "{actor} could not reach the waiting room (meeting {reason})",
	"participant.admit":            "{actor} admitted {subject}",
	"participant.admit/refused":    "{actor} could not admit {subject}: the participation contract was not accepted",
	"participant.deny":             "{actor} denied {subject} entry",
	"participant.remove":           "{actor} removed {subject}",
	"participant.remove/system":    "{subject} was taken out of the meeting ({reason})",
	"participant.removal_lifted":   "{actor} lifted {subject}'s removal",
	"participant.send_back":        "{actor} sent {subject} back to the waiting room",
	"participant.leave":            "{actor} left",
	"participant.grace_expired":    "{actor} lost their connection and did not come back",
	"participant.reconnect":        "{actor} reconnected",
	"participant.rejoin/refused":   "{actor} tried to rejoin and was refused ({admission})",
	"participant.session_replaced": "{actor} rejoined from another tab or device",
	"participant.role":             "{actor} made {subject} {role}",
	"participant.rename":           "{subject} changed their name from \u201c{from}\u201d to \u201c{to}\u201d",
	"participant.rename/system":    "{subject}'s name was put back to \u201c{reverted_to}\u201d",
	"participant.rename/refused":   "{subject} could not change their name ({code})",
	"participant.mute":             "{actor} turned off {subject}'s {kind}",
	"participant.mute/false":       "{actor} let {subject} turn their {kind} on again",
	"participant.ask_unmute":       "{actor} asked {subject} to turn on their {kind}",
	"participant.unmute":           "{actor} turned their {kind} on",
	"participant.unmute/refused":   "{actor} could not turn their {kind} on",
	"contract.accept":              "{actor} accepted the participation contract",
	"concern.raise":                "{actor} flagged a safeguarding concern about {about}",
	"chat.delete":                  "{actor} deleted a chat message from {subject}",
	"chat.clear":                   "{actor} cleared the chat",
	"chat.block":                   "{actor} stopped {subject} from chatting",
	"chat.block/false":             "{actor} let {subject} chat again",
	"chat.direct":                  "{actor} sent {subject} a direct message",
	"screen.start":                 "{actor} started sharing their screen",
	"screen.stop":                  "{subject}'s screen sharing stopped",
}

// mediaKinds name the kinds of media in the mute actions ("participant.mute_audio").
var mediaKinds = map[string]string{"audio": "microphone", "video": "camera", "screen": "screen sharing"}

// variant picks the variant of an entry's sentence, if any.
func variant(e audit.Entry) string {
	switch {
	case e.Outcome == audit.Refused:
		return "refused"
	case e.Details["reason"] == "auto_lock":
		return "auto_lock"
	case e.Details["blocked"] == "false", e.Details["muted"] == "false":
		return "false"
	case strings.HasPrefix(e.Actor, "system"):
		return "system"
	}
	return ""
}

// sentence tells what e records, for people. An action without a sentence is
// shown by its name.
func (p people) sentence(e audit.Entry) string {
	action, kind := e.Action, ""
	for _, prefix := range []string{"participant.mute_", "participant.ask_unmute_", "participant.unmute_"} {
		if rest, ok := strings.CutPrefix(action, prefix); ok {
			action, kind = strings.TrimSuffix(prefix, "_"), or(mediaKinds[rest], rest)
		}
	}
	tmpl, ok := sentences[action+"/"+variant(e)]
	if !ok && e.Outcome != audit.Refused {
		tmpl, ok = sentences[action]
	}
	switch {
	case !ok && e.Outcome == audit.Refused:
		return p.name(e.Actor, e) + ": " + e.Action + " refused (" + or(e.Details["code"], e.Details["reason"], "no reason given") + ")"
	case !ok:
		return p.name(e.Actor, e) + ": " + e.Action
	}
	var b strings.Builder
	for {
		open := strings.IndexByte(tmpl, '{')
		end := strings.IndexByte(tmpl, '}')
		if open < 0 || end < open {
			b.WriteString(tmpl)
			return b.String()
		}
		b.WriteString(tmpl[:open])
		switch key := tmpl[open+1 : end]; key {
		case "actor":
			b.WriteString(p.name(e.Actor, e))
		case "subject":
			b.WriteString(p.name(e.Subject, e))
		case "about":
			b.WriteString(or(e.Details["about"], "the meeting"))
		case "kind":
			b.WriteString(kind)
		default:
			b.WriteString(e.Details[key])
		}
		tmpl = tmpl[end+1:]
	}
}
