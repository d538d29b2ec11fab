package policy

import (
	"testing"

	"safemeet/internal/errcode"
	"safemeet/internal/meeting"
)

func TestDecide(t *testing.T) {
	host := Party{Role: meeting.RoleHost, Admission: meeting.AdmissionAdmitted}
	cohost := Party{Role: meeting.RoleCoHost, Admission: meeting.AdmissionAdmitted}
	guest := Party{Role: meeting.RoleParticipant, Admission: meeting.AdmissionAdmitted}
	waitingGuest := Party{Role: meeting.RoleParticipant, Admission: meeting.AdmissionWaiting}
	deniedGuest := Party{Role: meeting.RoleParticipant, Admission: meeting.AdmissionDenied}
	unknown := Party{Admission: meeting.AdmissionAdmitted}

	tests := []struct {
		name   string
		actor  Party
		action Action
		state  State
		want   errcode.Code // "" means allowed
	}{
		{"host admits a waiting guest", host, ActionAdmit, State{Target: &waitingGuest}, ""},
		{"co-host admits a waiting guest", cohost, ActionAdmit, State{Target: &waitingGuest}, ""},
		{"host denies a waiting guest", host, ActionDeny, State{Target: &waitingGuest}, ""},
		{"guest cannot admit", guest, ActionAdmit, State{Target: &waitingGuest}, errcode.HostRequired},
		{"waiting guest cannot admit anyone", waitingGuest, ActionAdmit, State{Target: &waitingGuest}, errcode.NotAllowedNow},
		{"admitting nobody fails", host, ActionAdmit, State{}, errcode.NoSuchParticipant},
		{"admitting an admitted guest fails", host, ActionAdmit, State{Target: &guest}, errcode.NotWaiting},
		{"admitting a denied guest fails", host, ActionAdmit, State{Target: &deniedGuest}, errcode.NotWaiting},
		{"host ends the meeting", host, ActionEnd, State{}, ""},
		{"co-host cannot end the meeting", cohost, ActionEnd, State{}, errcode.HostRequired},
		{"guest cannot end the meeting", guest, ActionEnd, State{}, errcode.HostRequired},
		{"admitted guest may use media", guest, ActionMedia, State{}, ""},
		{"waiting guest may not use media", waitingGuest, ActionMedia, State{}, errcode.NotAllowedNow},
		{"waiting guest receives nothing of the room", waitingGuest, ActionReceiveRoom, State{}, errcode.NotAllowedNow},
		{"denied guest may not use media", deniedGuest, ActionMedia, State{}, errcode.NotAllowedNow},
		{"unknown role may not use media", unknown, ActionMedia, State{}, errcode.Forbidden},
		{"nothing is allowed once ended", host, ActionAdmit, State{Ended: true, Target: &waitingGuest}, errcode.MeetingEnded},
		{"unknown action is refused", host, ActionUnknown, State{}, errcode.Forbidden},
		{"co-host locks", cohost, ActionLock, State{}, ""},
		{"co-host cannot deny a waiting co-host", cohost, ActionDeny, State{Target: &Party{Role: meeting.RoleCoHost, Admission: meeting.AdmissionWaiting}}, errcode.Forbidden},
		{"host admits a waiting co-host", host, ActionAdmit, State{Target: &Party{Role: meeting.RoleCoHost, Admission: meeting.AdmissionWaiting}}, ""},
		{"guest cannot lock", guest, ActionLock, State{}, errcode.HostRequired},
		{"co-host admits all", cohost, ActionAdmitAll, State{}, ""},
		{"guest cannot admit all", guest, ActionAdmitAll, State{}, errcode.HostRequired},
		{"host removes a guest", host, ActionRemove, State{Target: &guest}, ""},
		{"host removes a waiting guest", host, ActionRemove, State{Target: &waitingGuest}, ""},
		{"co-host removes a guest", cohost, ActionRemove, State{Target: &guest}, ""},
		{"co-host cannot remove the host", cohost, ActionRemove, State{Target: &host}, errcode.Forbidden},
		{"co-host cannot remove a co-host", cohost, ActionRemove, State{Target: &cohost}, errcode.Forbidden},
		{"host removes a co-host", host, ActionRemove, State{Target: &cohost}, ""},
		{"host cannot remove themselves", host, ActionRemove, State{Target: &host}, errcode.Forbidden},
		{"guest cannot remove anyone", guest, ActionRemove, State{Target: &guest}, errcode.HostRequired},
		{"removing a denied guest fails", host, ActionRemove, State{Target: &deniedGuest}, errcode.NotAllowedNow},
		{"host sends a guest back", host, ActionSendBack, State{Target: &guest}, ""},
		{"sending back a waiting guest fails", host, ActionSendBack, State{Target: &waitingGuest}, errcode.NotAllowedNow},
		{"co-host mutes a guest", cohost, ActionMute, State{Target: &guest}, ""},
		{"co-host cannot mute the host", cohost, ActionMute, State{Target: &host}, errcode.Forbidden},
		{"guest cannot mute anyone", guest, ActionMute, State{Target: &guest}, errcode.HostRequired},
		{"co-host mutes all", cohost, ActionMuteAll, State{}, ""},
		{"guest cannot mute all", guest, ActionMuteAll, State{}, errcode.HostRequired},
		{"host makes a co-host", host, ActionCoHost, State{Target: &guest}, ""},
		{"co-host cannot make co-hosts", cohost, ActionCoHost, State{Target: &guest}, errcode.HostRequired},
		{"host suspends the meeting", host, ActionSuspend, State{}, ""},
		{"co-host cannot suspend", cohost, ActionSuspend, State{}, errcode.HostRequired},
		{"co-host needs an admitted target", host, ActionCoHost, State{Target: &waitingGuest}, errcode.NotAllowedNow},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Decide(tt.actor, tt.action, tt.state)
			if got := d.Code; got != tt.want || d.Allowed != (tt.want == "") {
				t.Errorf("Decide() = %+v, want code %q", d, tt.want)
			}
		})
	}
}

func TestActionString(t *testing.T) {
	for a, want := range map[Action]string{ActionUnknown: "unknown", ActionAdmit: "admit", ActionDeny: "deny", ActionEnd: "end", ActionMedia: "media", ActionReceiveRoom: "receive_room", ActionLock: "lock", ActionAdmitAll: "admit_all", ActionRemove: "remove", ActionSendBack: "send_back", ActionMute: "mute", ActionMuteAll: "mute_all", ActionCoHost: "cohost", ActionSuspend: "suspend"} {
		if got := a.String(); got != want {
			t.Errorf("Action(%d).String() = %q, want %q", a, got, want)
		}
	}
}
