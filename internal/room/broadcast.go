package room

import (
	"time"

	"safemeet/internal/meeting"
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
			roster.Participants = append(roster.Participants, q.person())
		}
	}
	p.send(roster)
	p.send(signalling.RoomState{Type: signalling.TypeRoomState, Locked: r.locked})
	if p.role.IsHost() {
		p.send(r.waitingList())
	}
	r.broadcastAdmitted(signalling.ParticipantUpdate{Type: signalling.TypeParticipant, Participant: p.person()}, p.id)
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
	if p.peer == nil {
		return
	}
	if p.sink != nil {
		p.sink.SetPeer(nil)
	}
	p.peer.Close()
	p.peer = nil
	p.audio, p.video = false, false
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
			w.Participants = append(w.Participants, signalling.WaitingPerson{
				ID: string(q.id), Name: q.identity.Name, RoleLabel: q.identity.RoleLabel,
				Since: q.since.Format(time.RFC3339),
			})
		}
	}
	return w
}

func (r *Room) sendWaitingList() { r.tellHosts(r.waitingList()) }
