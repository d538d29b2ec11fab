package policy

import (
	"time"
)

// maxRetentionDays bounds a retention period (25 years).
const maxRetentionDays = 25 * 366

// Retention is how long a profile's meetings keep their details after they
// end. A concern flagged in a meeting holds everything of it, whatever
// these say. The meeting's summary (title, purpose, times, approval) and the
// audit log are kept as long as the organisation keeps them.
type Retention struct {
	ChatDays     int `json:"chat_days"`     // chat text
	RegisterDays int `json:"register_days"` // attendance: who was there, when, for how long
}

// DefaultRetention is what a new profile keeps unless an admin says otherwise.
var DefaultRetention = Retention{ChatDays: 365, RegisterDays: 6 * 365}

// Validate reports the first period out of range (1 day to 25 years).
func (r Retention) Validate() error {
	switch {
	case r.ChatDays < 1 || r.ChatDays > maxRetentionDays:
		return fieldError("chat retention days")
	case r.RegisterDays < 1 || r.RegisterDays > maxRetentionDays:
		return fieldError("register retention days")
	}
	return nil
}

// ChatExpires and RegisterExpires are when a meeting that ended at loses its
// chat text and its attendance details.
func (r Retention) ChatExpires(ended time.Time) time.Time {
	return ended.AddDate(0, 0, r.ChatDays)
}

func (r Retention) RegisterExpires(ended time.Time) time.Time {
	return ended.AddDate(0, 0, r.RegisterDays)
}

// ParseRetention decodes retention stored or sent as JSON; both periods are required.
func ParseRetention(data []byte) (Retention, error) {
	return parseComplete[Retention]("retention", data, []settingKey{
		{"chat_days", "chat retention days"}, {"register_days", "register retention days"},
	})
}
