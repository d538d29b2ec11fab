package storetest

import (
	"context"
	"slices"
	"testing"
	"time"

	"safemeet/internal/errcode"
	"safemeet/internal/meeting"
	"safemeet/internal/store"
)

func testChat(t *testing.T, open Opener) {
	s := open(t)
	ctx := context.Background()
	host := addStaff(t, s, "host@example.org")
	m := addMeeting(t, s, host.ID, t0)
	other := addMeeting(t, s, host.ID, t0)
	recs := []store.ChatRecord{
		{Meeting: m.ID, Sender: "staff:" + string(host.ID), SenderName: "Ms Host", Audience: "everyone", Text: "Welcome\nall", At: t0},
		{Meeting: m.ID, Sender: "invitation:a", SenderName: "Ann", Audience: "direct", Recipient: "invitation:b", RecipientName: "Ben", Text: "<b>hi</b>", At: t0.Add(time.Second)},
	}
	for _, r := range recs {
		must(t, "RecordChat", s.RecordChat(ctx, r))
	}
	must(t, "RecordChat (other meeting)", s.RecordChat(ctx, store.ChatRecord{Meeting: other.ID, Sender: "invitation:c", SenderName: "Cal", Audience: "hosts", Text: "x", At: t0}))
	got, err := s.ChatRecords(ctx, m.ID)
	must(t, "ChatRecords", err)
	if !slices.Equal(got, recs) {
		t.Errorf("ChatRecords = %+v, want %+v", got, recs)
	}
	err = s.RecordChat(ctx, store.ChatRecord{Meeting: meeting.NewID(), Sender: "x", SenderName: "X", Audience: "everyone", Text: "x", At: t0})
	wantCode(t, "RecordChat for an unknown meeting", err, errcode.NotFound)
}
