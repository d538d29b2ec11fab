package policy

// Standing is where the sender of a message stands with respect to a meeting.
type Standing string

// Standings, the columns of the authorisation matrix.
const (
	StandingHost            Standing = "host"
	StandingCoHost          Standing = "co-host"
	StandingParticipant     Standing = "participant"
	StandingWaiting         Standing = "waiting"
	StandingRemoved         Standing = "removed"
	StandingOtherMeeting    Standing = "other-meeting"
	StandingUnauthenticated Standing = "unauthenticated"
)

// Standings lists every standing, in the matrix's column order.
var Standings = []Standing{StandingHost, StandingCoHost, StandingParticipant, StandingWaiting, StandingRemoved, StandingOtherMeeting, StandingUnauthenticated}

// Rule is one row of the matrix: the policy action a client message asks for
// (ActionUnknown for messages that need none) and the standings allowed to send it.
type Rule struct {
	Action  Action
	Allowed []Standing
}

// Allows reports whether s may send the message.
func (r Rule) Allows(s Standing) bool {
	for _, a := range r.Allowed {
		if a == s {
			return true
		}
	}
	return false
}

var (
	hosts     = []Standing{StandingHost, StandingCoHost}
	inRoom    = []Standing{StandingHost, StandingCoHost, StandingParticipant}
	connected = []Standing{StandingHost, StandingCoHost, StandingParticipant, StandingWaiting}
)

// Matrix says, for every client message type of the wire protocol, who may send
// it to a meeting. Removed people, people of another meeting and people who have
// not authenticated may send nothing that reaches it. A message type with no
// row is refused to everyone. Tests hold the room's decisions and the running
// server to this table.
var Matrix = map[string]Rule{
	"hello":      {Action: ActionUnknown, Allowed: connected},
	"leave":      {Action: ActionUnknown, Allowed: connected},
	"admit":      {Action: ActionAdmit, Allowed: hosts},
	"deny":       {Action: ActionDeny, Allowed: hosts},
	"admit_all":  {Action: ActionAdmitAll, Allowed: hosts},
	"lock":       {Action: ActionLock, Allowed: hosts},
	"remove":     {Action: ActionRemove, Allowed: hosts},
	"send_back":  {Action: ActionSendBack, Allowed: hosts},
	"mute":       {Action: ActionMute, Allowed: hosts},
	"end":        {Action: ActionEnd, Allowed: []Standing{StandingHost}},
	"cohost":     {Action: ActionCoHost, Allowed: []Standing{StandingHost}},
	"suspend":    {Action: ActionSuspend, Allowed: []Standing{StandingHost}},
	"rules":      {Action: ActionRules, Allowed: []Standing{StandingHost}},
	"stop_share": {Action: ActionStopShare, Allowed: hosts},
	"ask_unmute": {Action: ActionAskUnmute, Allowed: hosts},
	"share":      {Action: ActionShare, Allowed: inRoom},
	"unmute":     {Action: ActionUnmute, Allowed: inRoom},
	"rename":     {Action: ActionRename, Allowed: inRoom},

	"chat_send":   {Action: ActionChat, Allowed: inRoom},
	"chat_delete": {Action: ActionModerateChat, Allowed: hosts},
	"chat_clear":  {Action: ActionModerateChat, Allowed: hosts},
	"chat_block":  {Action: ActionChatBlock, Allowed: hosts},
	"react":       {Action: ActionReact, Allowed: inRoom},
	"hand":        {Action: ActionHand, Allowed: inRoom},
	"lower_hand":  {Action: ActionLowerHand, Allowed: hosts},
	"media":       {Action: ActionMedia, Allowed: inRoom},
	"publish":     {Action: ActionMedia, Allowed: inRoom},
	"subscribed":  {Action: ActionMedia, Allowed: inRoom},
	"candidate":   {Action: ActionMedia, Allowed: inRoom},

	"accept_contract": {Action: ActionAcceptContract, Allowed: []Standing{StandingWaiting}},
	"concern":         {Action: ActionConcern, Allowed: hosts},
}
