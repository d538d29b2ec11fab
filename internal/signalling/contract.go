package signalling

// Participation contract and safeguarding concern messages.
const (
	// TypeConcern (host or co-host → server): flag a safeguarding concern.
	TypeConcern = "concern"
	// TypeAcceptContract (client → server): a waiting invitee accepts the contract.
	TypeAcceptContract = "accept_contract"
	// TypeContract (server → client): the contract stands accepted.
	TypeContract = "contract"
)

// ContractOffer is the participation contract, in an invitee's welcome.
type ContractOffer struct {
	Text     string `json:"text"`
	Hash     string `json:"hash"` // policy.ContractHash(Text): what an acceptance names
	Accepted bool   `json:"accepted"`
}

// AcceptContract accepts the contract whose hash the welcome gave.
type AcceptContract struct {
	Type string `json:"type"`
	Hash string `json:"hash"`
}

// Contract tells an invitee their acceptance is recorded.
type Contract struct {
	Type     string `json:"type"`
	Accepted bool   `json:"accepted"`
}

// ConsentNote tells the hosts that a parent or carer consented to a child's
// participation, by whom and when.
type ConsentNote struct {
	By string `json:"by"`
	At string `json:"at"` // RFC 3339
}

// Concern flags a safeguarding concern about a participant (by ID) or, with
// Participant empty, about the meeting as a whole. Note says what happened.
type Concern struct {
	Type        string `json:"type"`
	Participant string `json:"participant,omitempty"`
	Note        string `json:"note"`
}
