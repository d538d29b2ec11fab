package meeting

// Role is a participant's role in a room, asserted by the server.
type Role int

// Roles. The zero value is RoleUnknown, which is allowed nothing.
const (
	RoleUnknown Role = iota
	RoleHost
	RoleCoHost
	RoleParticipant
)

func (r Role) String() string {
	switch r {
	case RoleHost:
		return "host"
	case RoleCoHost:
		return "co-host"
	case RoleParticipant:
		return "participant"
	default:
		return "unknown"
	}
}

// IsHost reports whether r may run the meeting (host or co-host).
func (r Role) IsHost() bool { return r == RoleHost || r == RoleCoHost }

// Admission is where a participant stands with respect to the room.
type Admission int

// Admission states: waiting → admitted | denied; admitted → removed.
// The zero value is AdmissionUnknown, which is allowed nothing.
const (
	AdmissionUnknown Admission = iota
	AdmissionWaiting
	AdmissionAdmitted
	AdmissionDenied
	AdmissionRemoved
)

func (a Admission) String() string {
	switch a {
	case AdmissionWaiting:
		return "waiting"
	case AdmissionAdmitted:
		return "admitted"
	case AdmissionDenied:
		return "denied"
	case AdmissionRemoved:
		return "removed"
	default:
		return "unknown"
	}
}
