package room

import (
	"context"
	"crypto/subtle"
	"time"

	"safemeet/internal/audit"
	"safemeet/internal/errcode"
	"safemeet/internal/meeting"
	"safemeet/internal/policy"
	"safemeet/internal/signalling"
	"safemeet/internal/store"
)

// needsContract reports whether p must accept the participation contract
// before a host may admit them: invitees do, when the profile has one.
func (r *Room) needsContract(p *participant) bool {
	return r.contract != "" && p.identity.Invitation != ""
}

// priorAcceptance reports whether the invitation accepted this contract text
// before (in an earlier session or before a restart), so nobody is asked twice.
func (r *Room) priorAcceptance(id Identity) bool {
	ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
	defer cancel()
	ok, err := r.deps.Store.ContractAccepted(ctx, r.meeting.ID, id.Invitation, r.contractHash)
	if err != nil {
		r.log.Error("read contract acceptance", "err", err)
	}
	return ok
}

// contractOffer is the contract as an invitee's welcome carries it.
func (r *Room) contractOffer(p *participant) *signalling.ContractOffer {
	if !r.needsContract(p) {
		return nil
	}
	return &signalling.ContractOffer{Text: r.contract, Hash: r.contractHash, Accepted: p.contractAccepted}
}

// AcceptContract records that a waiting invitee accepted the contract whose
// hash they name; a hash of any other text is refused (errcode.ContractChanged),
// so an acceptance always names what was shown. The acceptance is stored and
// audited before it counts; if either fails, it does not count.
func (r *Room) AcceptContract(ctx context.Context, actor meeting.ParticipantID, hash string) error {
	return r.command(ctx, actor, policy.ActionAcceptContract, "", func(a, _ *participant) error {
		if !r.needsContract(a) || a.contractAccepted {
			a.send(signalling.Contract{Type: signalling.TypeContract, Accepted: true})
			return nil
		}
		if subtle.ConstantTimeCompare([]byte(hash), []byte(r.contractHash)) != 1 {
			return errcode.New(errcode.ContractChanged)
		}
		if err := r.record("contract.accept", a.identity.Actor(), a.subject(), audit.Allowed, map[string]string{"contract_hash": r.contractHash}); err != nil {
			return err
		}
		sctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
		defer cancel()
		acc := store.ContractAcceptance{Meeting: r.meeting.ID, Invitation: a.identity.Invitation, Name: a.identity.Name, ContractHash: r.contractHash, At: r.now()}
		if err := r.deps.Store.RecordContractAcceptance(sctx, acc); err != nil {
			r.log.Error("store contract acceptance", "err", err)
			return errcode.Wrap(errcode.Internal, err)
		}
		a.contractAccepted = true
		a.send(signalling.Contract{Type: signalling.TypeContract, Accepted: true})
		r.sendWaitingList()
		return nil
	})
}

// waitingPerson is q as the hosts' waiting list shows them.
func (r *Room) waitingPerson(q *participant) signalling.WaitingPerson {
	w := signalling.WaitingPerson{
		ID: string(q.id), Name: q.identity.Name, RoleLabel: q.identity.RoleLabel,
		Since:    q.since.Format(time.RFC3339),
		AgeGroup: string(q.identity.AgeGroup),
	}
	if r.needsContract(q) {
		accepted := q.contractAccepted
		w.ContractAccepted = &accepted
	}
	if c := q.identity.Consent; q.identity.AgeGroup == meeting.AgeUnder16 && c.State == meeting.ConsentGiven {
		w.Consent = &signalling.ConsentNote{By: c.By, At: c.At.UTC().Format(time.RFC3339)}
	}
	return w
}
