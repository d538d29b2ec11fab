package room

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"safemeet/internal/audit"
	"safemeet/internal/errcode"
	"safemeet/internal/meeting"
	"safemeet/internal/policy"
	"safemeet/internal/signalling"
)

func lockedStates(s *sink) int {
	return s.count(func(m any) bool { st, ok := m.(signalling.RoomState); return ok && st.Locked })
}

// TestAutoLock_LocksAtScheduledStartPlusProfileMinutes runs the room's own
// timer in a synctest bubble: nobody new reaches the waiting room once the
// profile's minutes after the scheduled start have passed, everyone in the
// room is told, and the lock is audited as the room's own decision.
func TestAutoLock_LocksAtScheduledStartPlusProfileMinutes(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rules := looseRules
		rules.AutoLockMinutes = 5
		log := &memLog{rules: &rules}
		m := newTestManager(log)
		defer m.Shutdown()
		mt := testMeeting
		mt.StartsAt = time.Now().Add(10 * time.Minute) // the host opens the room early

		hs := &sink{}
		if _, _, err := m.Join(context.Background(), mt, hostIdentity(), meeting.NewSessionID(), hs); err != nil {
			t.Fatal(err)
		}
		time.Sleep(10*time.Minute + 5*time.Minute - time.Second)
		synctest.Wait()
		if _, j, err := m.Join(context.Background(), mt, guestIdentity("a"), meeting.NewSessionID(), &sink{}); err != nil || j.Admission != meeting.AdmissionWaiting {
			t.Fatalf("a guest a second before the auto-lock: %+v, %v; want waiting", j, err)
		}
		if n := lockedStates(hs); n != 0 {
			t.Fatalf("host was told the meeting is locked %d times before the auto-lock time", n)
		}

		time.Sleep(2 * time.Second)
		synctest.Wait()
		if _, _, err := m.Join(context.Background(), mt, guestIdentity("b"), meeting.NewSessionID(), &sink{}); errcode.Of(err) != errcode.MeetingLocked {
			t.Fatalf("a guest after the auto-lock: %v, want %s", err, errcode.MeetingLocked)
		}
		if n := lockedStates(hs); n != 1 {
			t.Errorf("host was told of the lock %d times, want 1", n)
		}
		if !log.has("meeting.lock", autoLockActor, audit.Allowed) {
			t.Errorf("no audited auto-lock in %v", log.actions())
		}
	})
}

func TestAutoLock_RoomOpenedLateLocksMinutesAfterItOpened(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rules := looseRules
		rules.AutoLockMinutes = 5
		log := &memLog{rules: &rules}
		m := newTestManager(log)
		defer m.Shutdown()
		mt := testMeeting
		mt.StartsAt = time.Now().Add(-20 * time.Minute) // the host is late

		hs := &sink{}
		if _, _, err := m.Join(context.Background(), mt, hostIdentity(), meeting.NewSessionID(), hs); err != nil {
			t.Fatal(err)
		}
		time.Sleep(4 * time.Minute)
		synctest.Wait()
		if lockedStates(hs) != 0 {
			t.Fatal("the meeting locked before anyone could arrive")
		}
		time.Sleep(2 * time.Minute)
		synctest.Wait()
		if lockedStates(hs) != 1 {
			t.Fatal("the meeting did not lock five minutes after the room opened")
		}
	})
}

func TestProfile_HostCannotLoosenRunningMeeting_Room(t *testing.T) {
	rules := looseRules
	rules.ScreenShare = policy.ShareHosts
	log := &memLog{rules: &rules}
	m := newTestManager(log)
	defer m.Shutdown()
	hs := &sink{}
	r, h := join(t, m, hostIdentity(), hs)

	looser := rules
	looser.ScreenShare = policy.ShareEveryone
	if err := r.SetRules(context.Background(), h.Participant, looser); errcode.Of(err) != errcode.WouldLoosen {
		t.Fatalf("loosening screen sharing: %v, want %s", err, errcode.WouldLoosen)
	}
	stricter := rules
	stricter.ScreenShare = policy.ShareHostOnly
	if err := r.SetRules(context.Background(), h.Participant, stricter); err != nil {
		t.Fatalf("tightening screen sharing: %v", err)
	}
	// Back to the profile's own level is not looser than the profile.
	if err := r.SetRules(context.Background(), h.Participant, rules); err != nil {
		t.Fatalf("returning to the profile's rules: %v", err)
	}

	// An admin loosening the profile does not loosen the running meeting;
	// tightening it does, at once.
	m.ProfileChanged(testMeeting.Profile, looser)
	if err := r.SetRules(context.Background(), h.Participant, looser); errcode.Of(err) != errcode.WouldLoosen {
		t.Fatalf("after the profile was loosened, loosening the running meeting: %v, want %s", err, errcode.WouldLoosen)
	}
	m.ProfileChanged(testMeeting.Profile, stricter)
	if err := r.SetRules(context.Background(), h.Participant, rules); errcode.Of(err) != errcode.WouldLoosen {
		t.Fatalf("after the profile was tightened, the old rules: %v, want %s", err, errcode.WouldLoosen)
	}
}
