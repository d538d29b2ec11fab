package delivery

import (
	"fmt"
	"strings"
	"time"

	"safemeet/internal/mail"
	"safemeet/internal/meeting"
	"safemeet/internal/store"
)

// letter is what an invitation email is made from.
type letter struct {
	meeting       meeting.Meeting
	inv           meeting.Invitation
	host          store.Staff
	toName        string
	toEmail       string
	link          string // the invitee's personal link
	consentLink   string // for an invitee under 16: the parent's or carer's consent page
	opens, closes time.Time
	hasContract   bool
}

// when writes a time for people: the calendar attachment carries the exact
// instant, which calendar programs show in the reader's own time zone.
func when(t time.Time) string { return t.UTC().Format("Monday 2 January 2006, 15:04 MST") }

// invitationMessage is the email for l: to an adult invitee, their link; to
// the parent or carer of an invitee under 16, the consent page and the
// child's link (which works only once they consent). Both carry the meeting
// as a calendar invitation.
func invitationMessage(l letter, now time.Time) mail.Message {
	m := l.meeting
	var b strings.Builder
	fmt.Fprintf(&b, "Dear %s,\n\n", l.toName)
	if l.inv.NeedsConsent() {
		fmt.Fprintf(&b, "%s has invited %s (%s) to an online meeting, and asks for your consent.\n\n", l.host.Name, l.inv.Name, l.inv.RoleLabel)
	} else {
		fmt.Fprintf(&b, "%s has invited you to an online meeting.\n\n", l.host.Name)
	}
	fmt.Fprintf(&b, "Meeting: %s\n", m.Title)
	if m.Category != "" {
		fmt.Fprintf(&b, "Kind of meeting: %s\n", m.Category)
	}
	fmt.Fprintf(&b, "What it is for: %s\n", m.Purpose)
	fmt.Fprintf(&b, "When: %s, for %d minutes\n\n", when(m.StartsAt), int(m.Duration/time.Minute))
	if l.inv.NeedsConsent() {
		fmt.Fprintf(&b, "Before %s can take part, please read about the meeting and give or refuse your consent here:\n%s\n\n", l.inv.Name, l.consentLink)
		fmt.Fprintf(&b, "Once you have given consent, %s joins with this personal link. Please keep it private; it lets one person in:\n%s\n\n", l.inv.Name, l.link)
		b.WriteString("You can withdraw your consent on the same page at any time before the meeting; the link then stops working.\n\n")
	} else {
		fmt.Fprintf(&b, "Your personal link (please keep it private; it lets one person in):\n%s\n\n", l.link)
	}
	fmt.Fprintf(&b, "The link works from %s until %s.\n", when(l.opens), when(l.closes))
	b.WriteString("When you join, you wait in a waiting room until the host lets you in.")
	if l.hasContract {
		b.WriteString(" You will be asked to read and agree to the meeting's participation rules first.")
	}
	b.WriteString("\n\nThis message was sent by safemeet on behalf of the organisation. If you were not expecting it, please ignore it.\n")

	subject := "Invitation: " + m.Title + " — " + when(m.StartsAt)
	if l.inv.NeedsConsent() {
		subject = "Consent needed: " + l.inv.Name + " is invited to " + m.Title
	}
	cal := mail.Calendar(mail.Event{
		UID:      string(l.inv.ID) + "@safemeet",
		Sequence: m.Revision,
		Start:    m.StartsAt, End: m.EndsAt(), Stamp: now,
		Summary:        m.Title,
		Description:    m.Purpose + "\n\n" + joinLine(l),
		URL:            l.link,
		OrganizerName:  l.host.Name,
		OrganizerEmail: l.host.Email,
		AttendeeName:   l.toName,
		AttendeeEmail:  l.toEmail,
	})
	return mail.Message{To: l.toEmail, ToName: l.toName, Subject: subject, Text: b.String(), Calendar: cal}
}

func joinLine(l letter) string {
	if l.inv.NeedsConsent() {
		return "Consent: " + l.consentLink + "\nJoin (once consent is given): " + l.link
	}
	return "Join: " + l.link
}
