package policy

import (
	"encoding/json"
	"fmt"

	"safemeet/internal/meeting"
)

// The shipped profiles' IDs (created by the store's migrations; admins edit them).
const (
	ProfileChildren      meeting.ProfileID = "children-families"
	ProfileAdults        meeting.ProfileID = "adults-external"
	ProfileInternalStaff meeting.ProfileID = "internal-staff"
)

// Profile is an organisation's named set of safeguarding rules. Every meeting
// has one.
type Profile struct {
	ID         meeting.ProfileID
	Name       string
	Rules      Rules
	Scheduling Scheduling
	Retention  Retention
	// Contract is the participation contract every invitee must accept in the
	// waiting room before a host can admit them ("" if the profile has none).
	Contract string
}

// MaxProfileNameLen bounds a profile's name.
const MaxProfileNameLen = 100

// Each rule is a small enumeration, written as its JSON string. Every rule has
// an order from loosest to strictest, so "stricter" is defined field by field.

// ScreenShare says who may share a screen.
type ScreenShare string

// Who may share, loosest first.
const (
	ShareEveryone ScreenShare = "everyone"
	ShareHosts    ScreenShare = "hosts" // host and co-hosts
	ShareHostOnly ScreenShare = "host"
)

// MediaOnEntry says what happens to a participant's microphone and camera when
// they are admitted.
type MediaOnEntry string

// Entry media, loosest first.
const (
	EntryAllowed MediaOnEntry = "allowed"
	// EntryMuted: admitted muted and camera off; they may turn them on (subject to SelfUnmute).
	EntryMuted MediaOnEntry = "muted"
	// EntryOffUntilAllowed: the server forwards nothing of theirs until a host allows it.
	EntryOffUntilAllowed MediaOnEntry = "off_until_allowed"
)

// SelfUnmute says whether participants may unmute themselves.
type SelfUnmute string

// Self-unmute, loosest first.
const (
	UnmuteFree      SelfUnmute = "yes"
	UnmuteWhenAsked SelfUnmute = "when_asked" // only after a host asks them to
)

// DisplayNames says whether participants may change the name shown for them.
type DisplayNames string

// Display names, loosest first.
const (
	NamesRenamable DisplayNames = "renamable" // within the display-name rules
	NamesFixed     DisplayNames = "fixed"     // the invitation's name
)

// DirectMessages says whether two participants may message each other directly.
type DirectMessages string

// Direct messages, loosest first.
const (
	// DirectObserved: allowed, but every direct message is also shown to the
	// hosts and kept with the meeting's record, so none is unobserved.
	DirectObserved DirectMessages = "observed"
	DirectOff      DirectMessages = "off"
)

// ChatLinks says how links in chat are shown.
type ChatLinks string

// Chat links, loosest first.
const (
	LinksClickable ChatLinks = "clickable" // opened with rel="noopener noreferrer"
	LinksText      ChatLinks = "text"      // plain, non-clickable text
)

// ChatHistory says what chat a late joiner sees.
type ChatHistory string

// Chat history, loosest first.
const (
	HistorySinceStart ChatHistory = "since_start"
	HistoryFromJoin   ChatHistory = "from_join"
)

// MaxParticipantsLimit is the largest maximum a profile may set.
const MaxParticipantsLimit = 500

// Rules are what a profile enforces in a meeting. A running meeting's rules can
// be made stricter (by its host, or by an admin tightening its profile) but
// never looser.
type Rules struct {
	// AutoLockMinutes locks the meeting that many minutes after its scheduled
	// start; 0 means never. Fewer minutes is stricter.
	AutoLockMinutes int          `json:"auto_lock_minutes"`
	ScreenShare     ScreenShare  `json:"screen_share"`
	MediaOnEntry    MediaOnEntry `json:"media_on_entry"`
	SelfUnmute      SelfUnmute   `json:"self_unmute"`
	DisplayNames    DisplayNames `json:"display_names"`
	// Chime plays a sound and shows a notice when someone enters or leaves; on is stricter.
	Chime bool `json:"chime"`
	// MaxParticipants bounds everyone in the meeting, waiting or admitted, hosts
	// included. Fewer is stricter.
	MaxParticipants int `json:"max_participants"`

	DirectMessages DirectMessages `json:"direct_messages"`
	ChatLinks      ChatLinks      `json:"chat_links"`
	ChatHistory    ChatHistory    `json:"chat_history"`
}

var (
	shareOrder   = []ScreenShare{ShareEveryone, ShareHosts, ShareHostOnly}
	entryOrder   = []MediaOnEntry{EntryAllowed, EntryMuted, EntryOffUntilAllowed}
	unmuteOrder  = []SelfUnmute{UnmuteFree, UnmuteWhenAsked}
	namesOrder   = []DisplayNames{NamesRenamable, NamesFixed}
	directOrder  = []DirectMessages{DirectObserved, DirectOff}
	linksOrder   = []ChatLinks{LinksClickable, LinksText}
	historyOrder = []ChatHistory{HistorySinceStart, HistoryFromJoin}
	maxAutoLock  = 24 * 60
)

// rank is v's strictness: its index in order, or -1 if v is not a known value.
func rank[T comparable](order []T, v T) int {
	for i, o := range order {
		if o == v {
			return i
		}
	}
	return -1
}

func stricter[T comparable](order []T, a, b T) T {
	if rank(order, a) >= rank(order, b) {
		return a
	}
	return b
}

// autoLockRank turns minutes into strictness: off is loosest, fewer minutes stricter.
func autoLockRank(m int) int {
	if m == 0 {
		return -maxAutoLock - 1
	}
	return -m
}

// Validate reports the first rule that is missing or out of range.
func (r Rules) Validate() error {
	switch {
	case r.AutoLockMinutes < 0 || r.AutoLockMinutes > maxAutoLock:
		return fieldError("auto-lock minutes")
	case rank(shareOrder, r.ScreenShare) < 0:
		return fieldError("screen sharing")
	case rank(entryOrder, r.MediaOnEntry) < 0:
		return fieldError("microphone and camera on entry")
	case rank(unmuteOrder, r.SelfUnmute) < 0:
		return fieldError("unmuting")
	case rank(namesOrder, r.DisplayNames) < 0:
		return fieldError("display names")
	case r.MaxParticipants < 2 || r.MaxParticipants > MaxParticipantsLimit:
		return fieldError("maximum participants")
	case rank(directOrder, r.DirectMessages) < 0:
		return fieldError("direct messages")
	case rank(linksOrder, r.ChatLinks) < 0:
		return fieldError("links in chat")
	case rank(historyOrder, r.ChatHistory) < 0:
		return fieldError("chat history")
	}
	return nil
}

func fieldError(field string) error { return &meeting.FieldError{Field: field} }

// AtLeastAsStrictAs reports whether r loosens nothing that base enforces.
func (r Rules) AtLeastAsStrictAs(base Rules) bool { return len(r.Loosened(base)) == 0 }

// Loosened names the rules r loosens compared with base (nil if none), for
// the person told why a change was refused.
func (r Rules) Loosened(base Rules) []string {
	var out []string
	if autoLockRank(r.AutoLockMinutes) < autoLockRank(base.AutoLockMinutes) {
		out = append(out, "auto-lock")
	}
	if rank(shareOrder, r.ScreenShare) < rank(shareOrder, base.ScreenShare) {
		out = append(out, "screen sharing")
	}
	if rank(entryOrder, r.MediaOnEntry) < rank(entryOrder, base.MediaOnEntry) {
		out = append(out, "microphone and camera on entry")
	}
	if rank(unmuteOrder, r.SelfUnmute) < rank(unmuteOrder, base.SelfUnmute) {
		out = append(out, "unmuting")
	}
	if rank(namesOrder, r.DisplayNames) < rank(namesOrder, base.DisplayNames) {
		out = append(out, "display names")
	}
	if base.Chime && !r.Chime {
		out = append(out, "enter/exit chime")
	}
	if r.MaxParticipants > base.MaxParticipants {
		out = append(out, "maximum participants")
	}
	if rank(directOrder, r.DirectMessages) < rank(directOrder, base.DirectMessages) {
		out = append(out, "direct messages")
	}
	if rank(linksOrder, r.ChatLinks) < rank(linksOrder, base.ChatLinks) {
		out = append(out, "links in chat")
	}
	if rank(historyOrder, r.ChatHistory) < rank(historyOrder, base.ChatHistory) {
		out = append(out, "chat history")
	}
	return out
}

// Tighten returns the strictest of r and other, rule by rule. A running meeting
// whose profile an admin edits takes r.Tighten(newRules): tightening applies at
// once, loosening never.
func (r Rules) Tighten(other Rules) Rules {
	t := r
	if autoLockRank(other.AutoLockMinutes) > autoLockRank(r.AutoLockMinutes) {
		t.AutoLockMinutes = other.AutoLockMinutes
	}
	t.ScreenShare = stricter(shareOrder, r.ScreenShare, other.ScreenShare)
	t.MediaOnEntry = stricter(entryOrder, r.MediaOnEntry, other.MediaOnEntry)
	t.SelfUnmute = stricter(unmuteOrder, r.SelfUnmute, other.SelfUnmute)
	t.DisplayNames = stricter(namesOrder, r.DisplayNames, other.DisplayNames)
	t.Chime = r.Chime || other.Chime
	t.MaxParticipants = min(r.MaxParticipants, other.MaxParticipants)
	t.DirectMessages = stricter(directOrder, r.DirectMessages, other.DirectMessages)
	t.ChatLinks = stricter(linksOrder, r.ChatLinks, other.ChatLinks)
	t.ChatHistory = stricter(historyOrder, r.ChatHistory, other.ChatHistory)
	return t
}

// MayShareScreen reports whether someone of role may share a screen under r.
func (r Rules) MayShareScreen(role meeting.Role) bool {
	switch r.ScreenShare {
	case ShareEveryone:
		return role != meeting.RoleUnknown
	case ShareHosts:
		return role.IsHost()
	case ShareHostOnly:
		return role == meeting.RoleHost
	default:
		return false
	}
}

// ParseRules decodes rules stored or sent as JSON. Every rule must be present
// and valid: a missing rule is an error, never a silent default.
func ParseRules(data []byte) (Rules, error) { return parseComplete[Rules]("rules", data, ruleKeys) }

// settingKey is one JSON key of a group of settings, with the name a refusal gives it.
type settingKey struct{ key, field string }

// parseComplete decodes a group of settings in which every key must be
// present (a missing one names its field), then validates it.
func parseComplete[T interface{ Validate() error }](what string, data []byte, keys []settingKey) (T, error) {
	var zero T
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return zero, fmt.Errorf("%s: %w", what, err)
	}
	for _, k := range keys {
		if _, ok := raw[k.key]; !ok {
			return zero, fieldError(k.field)
		}
	}
	var v T
	if err := json.Unmarshal(data, &v); err != nil {
		return zero, fmt.Errorf("%s: %w", what, err)
	}
	return v, v.Validate()
}

// ruleKeys are the JSON keys of Rules, with the names Validate gives them.
var ruleKeys = []settingKey{
	{"auto_lock_minutes", "auto-lock minutes"},
	{"screen_share", "screen sharing"},
	{"media_on_entry", "microphone and camera on entry"},
	{"self_unmute", "unmuting"},
	{"display_names", "display names"},
	{"chime", "chime"},
	{"max_participants", "maximum participants"},
	{"direct_messages", "direct messages"},
	{"chat_links", "links in chat"},
	{"chat_history", "chat history"},
}
