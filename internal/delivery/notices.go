package delivery

import (
	"context"
	"fmt"
	"strings"
	"time"

	"safemeet/internal/meeting"
	"safemeet/internal/store"
)

// NotifyConcern emails every active approver (the designated safeguarding
// leads) that a concern was flagged, if mail is set up. The note itself is
// not emailed: mail leaves the organisation's control, so it says where to
// read the concern instead.
func NotifyConcern(ctx context.Context, st store.Store, publicURL string, now time.Time, m meeting.Meeting, c store.Concern) error {
	cfg, err := MailConfig(ctx, st)
	if err != nil || !cfg.Configured() {
		return err
	}
	all, err := st.ListStaff(ctx)
	if err != nil {
		return err
	}
	about := "the meeting as a whole"
	if c.AboutName != "" {
		about = c.AboutName
	}
	for _, s := range all {
		if !s.Active() || !s.Approver {
			continue
		}
		var b strings.Builder
		fmt.Fprintf(&b, "Dear %s,\n\n%s flagged a safeguarding concern about %s in the meeting \"%s\" at %s.\n\n",
			s.Name, c.RaisedByName, about, m.Title, when(c.At))
		fmt.Fprintf(&b, "Read it in the meeting's register:\n%s/register/%s\n\n", publicURL, m.ID)
		b.WriteString("The meeting's records are held from deletion while the concern stands.\n")
		if err := QueueNotice(ctx, st, now, s.Name, s.Email, "Safeguarding concern: "+m.Title, b.String(), m.ID); err != nil {
			return err
		}
	}
	return nil
}
