package policy

import (
	"testing"

	"safemeet/internal/meeting"
)

// TestMatrixAgreesWithDecide checks every row against Decide for the standings
// that have a place in the room, with a target the action may apply to.
func TestMatrixAgreesWithDecide(t *testing.T) {
	parties := map[Standing]Party{
		StandingHost:        {Role: meeting.RoleHost, Admission: meeting.AdmissionAdmitted},
		StandingCoHost:      {Role: meeting.RoleCoHost, Admission: meeting.AdmissionAdmitted},
		StandingParticipant: {Role: meeting.RoleParticipant, Admission: meeting.AdmissionAdmitted},
		StandingWaiting:     {Role: meeting.RoleParticipant, Admission: meeting.AdmissionWaiting},
	}
	targets := map[Action]Party{
		ActionAdmit:    {Role: meeting.RoleParticipant, Admission: meeting.AdmissionWaiting},
		ActionDeny:     {Role: meeting.RoleParticipant, Admission: meeting.AdmissionWaiting},
		ActionRemove:   {Role: meeting.RoleParticipant, Admission: meeting.AdmissionAdmitted},
		ActionSendBack: {Role: meeting.RoleParticipant, Admission: meeting.AdmissionAdmitted},
		ActionMute:     {Role: meeting.RoleParticipant, Admission: meeting.AdmissionAdmitted},
		ActionCoHost:   {Role: meeting.RoleParticipant, Admission: meeting.AdmissionAdmitted},

		ActionStopShare: {Role: meeting.RoleParticipant, Admission: meeting.AdmissionAdmitted},
		ActionAskUnmute: {Role: meeting.RoleParticipant, Admission: meeting.AdmissionAdmitted},
		ActionChatBlock: {Role: meeting.RoleParticipant, Admission: meeting.AdmissionAdmitted},
		ActionLowerHand: {Role: meeting.RoleParticipant, Admission: meeting.AdmissionAdmitted},
	}
	for typ, rule := range Matrix {
		if rule.Action == ActionUnknown {
			continue // hello and leave: decided by authentication, not by Decide
		}
		for standing, party := range parties {
			// The matrix says who may ever send a message; rules can only
			// narrow it, so it is checked against the loosest rules.
			st := State{Rules: loosest}
			if target, ok := targets[rule.Action]; ok {
				st.Target = &target
			}
			got := Decide(party, rule.Action, st).Allowed
			if want := rule.Allows(standing); got != want {
				t.Errorf("%s from %s: Decide allows %v, matrix says %v", typ, standing, got, want)
			}
		}
	}
}

func TestMatrixNamesOnlyKnownStandings(t *testing.T) {
	known := map[Standing]bool{}
	for _, s := range Standings {
		known[s] = true
	}
	for typ, rule := range Matrix {
		for _, s := range rule.Allowed {
			if !known[s] {
				t.Errorf("%s allows unknown standing %q", typ, s)
			}
		}
		if rule.Allows(StandingRemoved) || rule.Allows(StandingOtherMeeting) || rule.Allows(StandingUnauthenticated) {
			t.Errorf("%s lets someone outside the meeting through", typ)
		}
	}
}
