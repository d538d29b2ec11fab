package storetest

import (
	"context"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"safemeet/internal/audit"
	"safemeet/internal/errcode"
)

// entry returns a valid audit entry whose details carry i.
func entry(i int) audit.Entry {
	return audit.Entry{
		At: t0.Add(time.Duration(i) * time.Millisecond), Actor: "staff:s1", Action: "participant.admit",
		Subject: "participant:p1", Outcome: audit.Allowed, Meeting: "m1",
		Details: map[string]string{"i": fmt.Sprint(i)},
	}
}

// allEntries reads the whole log in pages of 7.
func allEntries(t *testing.T, s interface {
	AuditEntries(context.Context, int64, int) ([]audit.Entry, error)
}) []audit.Entry {
	t.Helper()
	var out []audit.Entry
	for {
		page, err := s.AuditEntries(context.Background(), int64(len(out)), 7)
		must(t, "AuditEntries", err)
		if len(page) == 0 {
			return out
		}
		out = append(out, page...)
	}
}

func testAudit(t *testing.T, open Opener) {
	ctx := context.Background()
	t.Run("appended entries are numbered and chained from the first and read back exactly", func(t *testing.T) {
		s := open(t)
		in := []audit.Entry{
			entry(1),
			{At: t0, Actor: "anonymous", Action: "staff.signin", Outcome: audit.Refused},
			{At: t0.In(time.FixedZone("BST", 3600)), Actor: "system", Action: "x.y", Subject: `quote " back \ slash`,
				Outcome: audit.Allowed, Details: map[string]string{"name": "Zoë <b>&amp;</b>\n", "": "empty key"}},
		}
		for _, e := range in {
			must(t, "Append", s.Append(ctx, e))
		}
		got := allEntries(t, s)
		if len(got) != len(in) {
			t.Fatalf("read %d entries, want %d", len(got), len(in))
		}
		prev := ""
		for i, want := range in {
			want.Seq, want.At, want.PrevHash = int64(i+1), want.At.UTC(), prev
			want.Hash = audit.ChainHash(prev, want)
			if !reflect.DeepEqual(got[i], want) {
				t.Errorf("entry %d = %+v, want %+v", i+1, got[i], want)
			}
			prev = want.Hash
		}
		if bad, ok := audit.Verify(got); !ok {
			t.Errorf("Verify: chain breaks at %d", bad)
		}
	})
	t.Run("entries after a sequence number come in order, at most limit", func(t *testing.T) {
		s := open(t)
		for i := range 5 {
			must(t, "Append", s.Append(ctx, entry(i)))
		}
		got, err := s.AuditEntries(ctx, 2, 2)
		must(t, "AuditEntries", err)
		var seqs []int64
		for _, e := range got {
			seqs = append(seqs, e.Seq)
		}
		if want := []int64{3, 4}; !reflect.DeepEqual(seqs, want) {
			t.Errorf("AuditEntries(2, 2) seqs = %v, want %v", seqs, want)
		}
		_, err = s.AuditEntries(ctx, 0, 0)
		wantCode(t, "AuditEntries(limit 0)", err, errcode.Invalid)
	})
	t.Run("a meeting's entries come in order, only its own, at most limit", func(t *testing.T) {
		s := open(t)
		for i := range 6 {
			e := entry(i)
			e.Meeting = []string{"m1", "m2", ""}[i%3]
			must(t, "Append", s.Append(ctx, e))
		}
		seqs := func(meetingID string, limit int) []int64 {
			t.Helper()
			got, err := s.AuditEntriesForMeeting(ctx, meetingID, limit)
			must(t, "AuditEntriesForMeeting", err)
			out := []int64{}
			for _, e := range got {
				if e.Meeting != meetingID {
					t.Errorf("entry %d belongs to meeting %q, want %q", e.Seq, e.Meeting, meetingID)
				}
				out = append(out, e.Seq)
			}
			return out
		}
		for _, tt := range []struct {
			meeting string
			limit   int
			want    []int64
		}{
			{"m1", 10, []int64{1, 4}},
			{"m2", 10, []int64{2, 5}},
			{"m1", 1, []int64{1}},
			{"m3", 10, []int64{}},
		} {
			if got := seqs(tt.meeting, tt.limit); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("AuditEntriesForMeeting(%q, %d) seqs = %v, want %v", tt.meeting, tt.limit, got, tt.want)
			}
		}
		_, err := s.AuditEntriesForMeeting(ctx, "m1", 0)
		wantCode(t, "AuditEntriesForMeeting(limit 0)", err, errcode.Invalid)
		_, err = s.AuditEntriesForMeeting(ctx, "", 10)
		wantCode(t, "AuditEntriesForMeeting(no meeting)", err, errcode.Invalid)
	})
	t.Run("an entry that could not be verified after storage is refused and not stored", func(t *testing.T) {
		s := open(t)
		bad := entry(1)
		bad.Details = map[string]string{"name": "bad \xff byte"}
		if err := s.Append(ctx, bad); err == nil {
			t.Errorf("Append of invalid UTF-8 succeeded, want an error")
		}
		if got := allEntries(t, s); len(got) != 0 {
			t.Errorf("log holds %d entries, want 0", len(got))
		}
	})
	t.Run("appends from many goroutines at once keep the chain intact", func(t *testing.T) {
		s := open(t)
		const writers, each = 20, 20
		var wg sync.WaitGroup
		for w := range writers {
			wg.Go(func() {
				for i := range each {
					if err := s.Append(ctx, entry(w*each+i)); err != nil {
						t.Errorf("Append: %v", err)
						return
					}
				}
			})
		}
		wg.Wait()
		got := allEntries(t, s)
		if len(got) != writers*each {
			t.Errorf("read %d entries, want %d", len(got), writers*each)
		}
		if bad, ok := audit.Verify(got); !ok {
			t.Errorf("Verify: chain breaks at %d", bad)
		}
	})
}
