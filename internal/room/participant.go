package room

import (
	"time"

	"safemeet/internal/meeting"
	"safemeet/internal/sfu"
	"safemeet/internal/store"
)

// Identity is who a session has proved to be, before the room places them.
type Identity struct {
	// Key is unique per person and meeting: "invitation:<id>" or "staff:<id>".
	Key        string
	Name       string
	RoleLabel  string
	Role       meeting.Role
	Invitation meeting.InvitationID // set for invitees
	Staff      meeting.StaffID      // set for staff
	AgeGroup   meeting.AgeGroup     // invitees: adult, or under 16 (invited through a parent or carer)
	Consent    meeting.ConsentRecord
}

// Actor is the audit log's name for this identity.
func (id Identity) Actor() string { return id.Key }

// participant is one person's place in the room. It outlives a session while
// the person is within the reconnect grace period.
type participant struct {
	id        meeting.ParticipantID
	identity  Identity
	role      meeting.Role
	admission meeting.Admission
	since     time.Time // when they arrived in their current admission state

	session    meeting.SessionID // "" while disconnected
	sink       Sink              // nil while disconnected
	peer       *sfu.Peer         // set while admitted and connected
	graceTimer stopper           // set while disconnected within grace
	epoch      int               // bumped on every attach, so stale timers do nothing

	audio, video bool
	// audioBlocked and videoBlocked: a host stopped this media; the SFU drops it.
	audioBlocked, videoBlocked bool
	// audioHeld and videoHeld: the participant may not lift the block
	// themselves (a host said so, or the rules allow unmuting only when asked).
	audioHeld, videoHeld bool
	// askedAudio and askedVideo: a host asked them to unmute; they may.
	askedAudio, askedVideo bool
	// sharing: the SFU forwards their screen share.
	sharing bool
	// displayName is the name they chose, where the rules allow it ("" = the invitation's).
	displayName string
	// chatBlocked: a host stopped them posting (or suspended the meeting).
	chatBlocked bool
	// contractAccepted: they accepted the participation contract (see Room.needsContract).
	contractAccepted bool
	// admittedBy is the name of who first admitted them; outcome is how their
	// stay ended ("left", "removed by …"), set when it ends.
	admittedBy, outcome string
	// saved is their stay as last written to the store (see persist.go);
	// unsaved: it has not been written yet.
	saved   store.Stay
	unsaved bool
	// away: restored after a restart and not back yet.
	away bool
	// firstAdmitted is when they were first let into this room (for the
	// "from join" chat history).
	firstAdmitted time.Time
}

// flags returns p's block, hold and ask flags for kind (audio or video).
func (p *participant) flags(kind sfu.Kind) (blocked, held, asked *bool) {
	if kind == sfu.KindVideo {
		return &p.videoBlocked, &p.videoHeld, &p.askedVideo
	}
	return &p.audioBlocked, &p.audioHeld, &p.askedAudio
}

// name is the name shown for p in the room.
func (p *participant) name() string {
	if p.displayName != "" {
		return p.displayName
	}
	return p.identity.Name
}

// stopper is the part of *time.Timer the room uses.
type stopper interface{ Stop() bool }

func (p *participant) connected() bool { return p.sink != nil }

func (p *participant) admitted() bool { return p.admission == meeting.AdmissionAdmitted }

func (p *participant) subject() string { return "participant:" + string(p.id) }

func (p *participant) send(msg any) {
	if p.sink != nil {
		p.sink.Send(msg)
	}
}
