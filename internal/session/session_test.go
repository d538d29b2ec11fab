package session

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"safemeet/internal/audit"
	"safemeet/internal/errcode"
	"safemeet/internal/meeting"
	"safemeet/internal/policy"
	"safemeet/internal/room"
	"safemeet/internal/sfu"
	"safemeet/internal/signalling"
	"safemeet/internal/store"
)

type nopStore struct{}

func (nopStore) Append(context.Context, audit.Entry) error               { return nil }
func (nopStore) EndMeeting(context.Context, meeting.ID, time.Time) error { return nil }
func (nopStore) RecordChat(context.Context, store.ChatRecord) error      { return nil }
func (nopStore) Profile(_ context.Context, id meeting.ProfileID) (policy.Profile, error) {
	return policy.Profile{ID: id, Rules: policy.Rules{ScreenShare: policy.ShareHostOnly, MediaOnEntry: policy.EntryAllowed, SelfUnmute: policy.UnmuteFree, DisplayNames: policy.NamesFixed, MaxParticipants: 1000, DirectMessages: policy.DirectOff, ChatLinks: policy.LinksText, ChatHistory: policy.HistoryFromJoin}}, nil
}
func (nopStore) RevokeInvitation(context.Context, meeting.ID, meeting.InvitationID, time.Time) error {
	return nil
}
func (nopStore) RestoreInvitation(context.Context, meeting.ID, meeting.InvitationID) error {
	return nil
}

type nopSink struct{}

func (nopSink) Send(any)                {}
func (nopSink) SetPeer(*sfu.Peer)       {}
func (nopSink) SubscribeOffer(string)   {}
func (nopSink) PeerFailed(error)        {}
func (nopSink) Close(errcode.Code, any) {}

var testMeeting = meeting.Meeting{ID: "m1", HostID: "s1", Title: "Review"}

// serveHost runs sessions whose hello always identifies the meeting's host.
func serveHost(t *testing.T, rooms *room.Manager) string {
	t.Helper()
	deps := Deps{
		Rooms:  rooms,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Identify: func(context.Context, *signalling.Hello) (meeting.Meeting, room.Identity, error) {
			return testMeeting, room.Identity{Key: "staff:s1", Name: "Host", RoleLabel: "Host", Role: meeting.RoleHost, Staff: "s1"}, nil
		},
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		Serve(r.Context(), deps, c)
	}))
	t.Cleanup(srv.Close)
	return "ws" + strings.TrimPrefix(srv.URL, "http")
}

func TestSession_SlowReaderIsDroppedAlone(t *testing.T) {
	rooms := room.NewManager(room.Deps{Store: nopStore{}, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: time.Now, Grace: time.Minute})
	defer rooms.Shutdown()
	url := serveHost(t, rooms)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(ctx, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseNow()
	c.SetReadLimit(-1)
	if err := c.Write(ctx, websocket.MessageText, []byte(`{"type":"hello","version":1,"meeting":"m1"}`)); err != nil {
		t.Fatal(err)
	}
	// The host stops reading while 600 guests arrive; each arrival sends the host
	// the whole waiting list, which grows until the host's queue overflows.
	time.Sleep(200 * time.Millisecond)
	long := strings.Repeat("x", 90)
	for i := range 600 {
		id := room.Identity{Key: fmt.Sprint("invitation:", i), Name: fmt.Sprint("Guest ", i), RoleLabel: long, Role: meeting.RoleParticipant, Invitation: meeting.InvitationID(fmt.Sprint(i))}
		if _, _, err := rooms.Join(ctx, testMeeting, id, meeting.NewSessionID(), nopSink{}); err != nil {
			t.Fatalf("guest %d: %v", i, err)
		}
	}
	// Reading now drains what was sent before the drop, then the close.
	for {
		_, _, err := c.Read(ctx)
		if err == nil {
			continue
		}
		var ce websocket.CloseError
		if !asCloseError(err, &ce) || ce.Reason != string(errcode.SlowConsumer) {
			t.Fatalf("connection ended with %v, want a close with reason %q", err, errcode.SlowConsumer)
		}
		break
	}
	// The room carries on for everyone else.
	if _, j, err := rooms.Join(ctx, testMeeting, room.Identity{Key: "invitation:late", Name: "Late", RoleLabel: "carer", Role: meeting.RoleParticipant, Invitation: "late"}, meeting.NewSessionID(), nopSink{}); err != nil || j.Admission != meeting.AdmissionWaiting {
		t.Fatalf("joining after the drop: %+v, %v; want a waiting place", j, err)
	}
}

func asCloseError(err error, ce *websocket.CloseError) bool { return errors.As(err, ce) }

func (nopStore) Invitation(_ context.Context, m meeting.ID, id meeting.InvitationID) (meeting.Invitation, error) {
	return meeting.Invitation{ID: id, MeetingID: m}, nil
}

func (nopStore) RecordContractAcceptance(context.Context, store.ContractAcceptance) error { return nil }
func (nopStore) ContractAccepted(context.Context, meeting.ID, meeting.InvitationID, string) (bool, error) {
	return false, nil
}

func (nopStore) StaffByID(_ context.Context, id meeting.StaffID) (store.Staff, error) {
	return store.Staff{ID: id, Roles: store.Roles{Host: true}}, nil
}

func (nopStore) SaveStay(context.Context, store.Stay) error                { return nil }
func (nopStore) Stays(context.Context, meeting.ID) ([]store.Stay, error)   { return nil, nil }
func (nopStore) SaveRoomState(context.Context, store.RoomState) error      { return nil }
func (nopStore) OpenRoomStates(context.Context) ([]store.RoomState, error) { return nil, nil }
func (nopStore) Meeting(_ context.Context, id meeting.ID) (meeting.Meeting, error) {
	return meeting.Meeting{ID: id}, nil
}

func (nopStore) RecordConcern(context.Context, store.Concern) error { return nil }
