package room

import (
	"time"

	"safemeet/internal/meeting"
	"safemeet/internal/policy"
	"safemeet/internal/sfu"
	"safemeet/internal/signalling"
)

const storeTimeout = 5 * time.Second

// enterRoom brings an admitted, connected participant into the room. Order
// matters: the session gets its media peer before the participant hears they
// are in (so their first publish is accepted), and hears they are in before any
// subscribe offer can reach them.
func (r *Room) enterRoom(p *participant, announce any) {
	r.attachPeer(p)
	if announce != nil {
		p.send(announce)
	}
	roster := signalling.Roster{Type: signalling.TypeRoster, Participants: []signalling.Person{}}
	for _, id := range r.order {
		if q := r.participants[id]; q.admitted() && q.connected() {
			roster.Participants = append(roster.Participants, r.person(q, p))
		}
	}
	p.send(roster)
	p.send(r.roomState())
	if p.role.IsHost() {
		p.send(r.waitingList())
	}
	r.broadcastPerson(p, p.id)
	r.sendChatState(p)
	r.subscribeAll(p)
}

// attachPeer gives p a media peer. Waiting participants never get one, so the
// SFU has nothing to send them.
func (r *Room) attachPeer(p *participant) {
	if p.peer != nil || r.deps.Media == nil {
		return
	}
	p.peer = r.deps.Media.NewPeer(string(p.id), p.sink)
	p.peer.SetForwarding(sfu.KindAudio, !p.audioBlocked)
	p.peer.SetForwarding(sfu.KindVideo, !p.videoBlocked)
	p.peer.SetForwarding(sfu.KindScreen, p.sharing)
	p.sink.SetPeer(p.peer)
}

// subscribeAll forwards media between p and every other admitted participant.
func (r *Room) subscribeAll(p *participant) {
	if p.peer == nil {
		return
	}
	for _, id := range r.order {
		q := r.participants[id]
		if q == p || q.peer == nil {
			continue
		}
		p.peer.Subscribe(q.peer)
		q.peer.Subscribe(p.peer)
	}
}

// detachMedia closes p's peer; the SFU stops forwarding to and from it at once.
func (r *Room) detachMedia(p *participant) {
	r.leaveChat(p)
	if p.peer == nil {
		return
	}
	if p.sink != nil {
		p.sink.SetPeer(nil)
	}
	p.peer.Close()
	p.peer = nil
	p.audio, p.video = false, false
	// A screen share ends with the media it travelled on.
	p.sharing = false
}

// broadcastAll sends msg to every admitted, connected participant.
func (r *Room) broadcastAll(msg any) { r.broadcastAdmitted(msg, "") }

// broadcastAdmitted sends msg to every admitted, connected participant but skip.
func (r *Room) broadcastAdmitted(msg any, skip meeting.ParticipantID) {
	for _, id := range r.order {
		if q := r.participants[id]; id != skip && q.admitted() {
			q.send(msg)
		}
	}
}

// tellHosts sends msg to every connected host and co-host.
func (r *Room) tellHosts(msg any) {
	for _, id := range r.order {
		if q := r.participants[id]; q.admitted() && q.role.IsHost() {
			q.send(msg)
		}
	}
}

func (r *Room) waitingList() signalling.Waiting {
	w := signalling.Waiting{Type: signalling.TypeWaiting, Participants: []signalling.WaitingPerson{}}
	for _, id := range r.order {
		q := r.participants[id]
		if q.admission == meeting.AdmissionWaiting && q.connected() {
			w.Participants = append(w.Participants, r.waitingPerson(q))
		}
	}
	return w
}

func (r *Room) sendWaitingList() { r.tellHosts(r.waitingList()) }

// person is p as viewer sees them: hosts and co-hosts also see the
// invitation's name beside a chosen one, so nobody hides behind a rename.
func (r *Room) person(p, viewer *participant) signalling.Person {
	ps := signalling.Person{
		ID:        string(p.id),
		Name:      p.name(),
		RoleLabel: p.identity.RoleLabel,
		Role:      p.role.String(),
		Audio:     p.audio,
		Video:     p.video,

		AudioBlocked: p.audioBlocked,
		VideoBlocked: p.videoBlocked,
		AudioHeld:    p.audioBlocked && r.held(p, sfu.KindAudio),
		VideoHeld:    p.videoBlocked && r.held(p, sfu.KindVideo),
		Screen:       p.sharing,
	}
	if p.displayName != "" && viewer.role.IsHost() {
		ps.InvitedName = p.identity.Name
	}
	return ps
}

// held reports whether p may not lift a block of kind themselves: a host
// forbade it or the rules let participants unmute only when asked, and no
// host has asked.
func (r *Room) held(p *participant, kind sfu.Kind) bool {
	_, held, asked := p.flags(kind)
	if *asked {
		return false
	}
	return *held || (r.rules.SelfUnmute == policy.UnmuteWhenAsked && p.role == meeting.RoleParticipant)
}

// broadcastPerson tells every admitted participant but skip about p.
func (r *Room) broadcastPerson(p *participant, skip meeting.ParticipantID) {
	for _, id := range r.order {
		if q := r.participants[id]; id != skip && q.admitted() && q.connected() {
			q.send(signalling.ParticipantUpdate{Type: signalling.TypeParticipant, Participant: r.person(p, q)})
		}
	}
}

// roomState is the meeting-wide state every admitted participant sees.
func (r *Room) roomState() signalling.RoomState {
	return signalling.RoomState{Type: signalling.TypeRoomState, Locked: r.locked, Rules: r.rules}
}
