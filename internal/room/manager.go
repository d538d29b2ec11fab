package room

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"safemeet/internal/errcode"
	"safemeet/internal/meeting"
	"safemeet/internal/policy"
)

// Manager starts rooms on demand and finds running ones. A room stops itself
// when its meeting ends or nobody is left in it.
type Manager struct {
	deps Deps

	mu     sync.Mutex
	rooms  map[meeting.ID]*Room
	closed bool // after Shutdown no room starts
}

// NewManager returns a Manager whose rooms use deps.
func NewManager(deps Deps) *Manager {
	return &Manager{deps: deps, rooms: map[meeting.ID]*Room{}}
}

// Running returns the meeting's room if it is running.
func (m *Manager) Running(id meeting.ID) (*Room, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.rooms[id]
	if !ok || r.over.Load() {
		return nil, false
	}
	return r, true
}

// Join places a session in the meeting's room, starting the room if needed.
func (m *Manager) Join(ctx context.Context, mt meeting.Meeting, id Identity, session meeting.SessionID, sink Sink) (*Room, Joined, error) {
	// A room can stop between being found and being joined; then start a new one.
	for range 3 {
		r, err := m.room(ctx, mt)
		if err != nil {
			return nil, Joined{}, err
		}
		j, err := r.Join(ctx, id, session, sink)
		if errors.Is(err, errClosed) {
			continue
		}
		return r, j, err
	}
	return nil, Joined{}, errClosed
}

// room returns the meeting's live room, or starts one under the rules of the
// meeting's profile (read from the store only then, outside the lock).
func (m *Manager) room(ctx context.Context, mt meeting.Meeting) (*Room, error) {
	m.mu.Lock()
	closed, r := m.closed, m.liveLocked(mt.ID)
	m.mu.Unlock()
	if closed {
		return nil, errcode.New(errcode.ServerShuttingDown)
	}
	if r != nil {
		return r, nil
	}
	pctx, cancel := context.WithTimeout(ctx, storeTimeout)
	profile, err := m.deps.Store.Profile(pctx, mt.Profile)
	cancel()
	if err != nil {
		// A meeting whose rules cannot be read does not run.
		return nil, errcode.Wrap(errcode.Internal, err)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return nil, errcode.New(errcode.ServerShuttingDown)
	}
	if r := m.liveLocked(mt.ID); r != nil {
		return r, nil // another session started it meanwhile
	}
	r = newRoom(mt, profile, m.deps, func() { m.remove(mt.ID, r) })
	m.rooms[mt.ID] = r
	return r, nil
}

// liveLocked returns the meeting's room unless it has stopped. The caller holds mu.
func (m *Manager) liveLocked(id meeting.ID) *Room {
	r, ok := m.rooms[id]
	if !ok {
		return nil
	}
	select {
	case <-r.done:
		return nil
	default:
		return r
	}
}

func (m *Manager) remove(id meeting.ID, r *Room) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.rooms[id] == r {
		delete(m.rooms, id)
	}
}

// Shutdown closes every running room's sessions (the server is stopping) and
// starts no room after it.
func (m *Manager) Shutdown() {
	m.mu.Lock()
	m.closed = true
	rooms := make([]*Room, 0, len(m.rooms))
	for _, r := range m.rooms {
		rooms = append(rooms, r)
	}
	m.mu.Unlock()
	for _, r := range rooms {
		r.Shutdown()
	}
}

// ProfileChanged tells every running meeting of profile id that an admin has
// changed its rules. Stricter rules apply at once; looser ones wait for the
// next meeting, so an edit never loosens a meeting in progress.
func (m *Manager) ProfileChanged(id meeting.ProfileID, rules policy.Rules) {
	m.mu.Lock()
	var affected []*Room
	for _, r := range m.rooms {
		if r.meeting.Profile == id {
			affected = append(affected, r)
		}
	}
	m.mu.Unlock()
	for _, r := range affected {
		r.post(func() { r.tightenFloor(rules) })
	}
}

// StaffDisabled takes a staff member whose account was just disabled (code
// errcode.AccountDisabled) or who no longer holds the host role
// (errcode.HostRequired) out of every running meeting: they lose host rights
// at once. It returns when every room has done so.
func (m *Manager) StaffDisabled(ctx context.Context, id meeting.StaffID, code errcode.Code) {
	m.mu.Lock()
	rooms := make([]*Room, 0, len(m.rooms))
	for _, r := range m.rooms {
		rooms = append(rooms, r)
	}
	m.mu.Unlock()
	// Not the request's context: taking rights away must finish even if the
	// admin's request goes away meanwhile.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	for _, r := range rooms {
		if err := r.do(ctx, func() { r.staffDisabled(id, code) }); err != nil && !errors.Is(err, errClosed) {
			m.deps.Logger.Error("take disabled staff out of a room", "meeting_id", string(r.meeting.ID), "err", err)
		}
	}
}

// Restore puts back every room that was running when the server last
// stopped or was killed (see restore), and returns how many. Call it before
// accepting any connection, so nobody reaches a meeting before its lock,
// removals and waiting room are back. A meeting that ended meanwhile has its
// room closed instead.
func (m *Manager) Restore(ctx context.Context) (int, error) {
	states, err := m.deps.Store.OpenRoomStates(ctx)
	if err != nil {
		return 0, fmt.Errorf("room: restore: %w", err)
	}
	n := 0
	for _, st := range states {
		mt, err := m.deps.Store.Meeting(ctx, st.Meeting)
		if err != nil {
			return n, fmt.Errorf("room: restore meeting %s: %w", st.Meeting, err)
		}
		if mt.Ended() {
			st.ClosedAt = mt.EndedAt
			if err := m.deps.Store.SaveRoomState(ctx, st); err != nil {
				return n, fmt.Errorf("room: restore meeting %s: %w", st.Meeting, err)
			}
			continue
		}
		profile, err := m.deps.Store.Profile(ctx, mt.Profile)
		if err != nil {
			return n, fmt.Errorf("room: restore meeting %s: profile: %w", st.Meeting, err)
		}
		stays, err := m.deps.Store.Stays(ctx, mt.ID)
		if err != nil {
			return n, fmt.Errorf("room: restore meeting %s: %w", st.Meeting, err)
		}
		m.mu.Lock()
		var r *Room
		r, err = restore(mt, profile, m.deps, st, stays, func() { m.remove(mt.ID, r) })
		if err == nil {
			m.rooms[mt.ID] = r
		}
		m.mu.Unlock()
		if err != nil {
			return n, fmt.Errorf("room: restore meeting %s: %w", st.Meeting, err)
		}
		n++
	}
	return n, nil
}
