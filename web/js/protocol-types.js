// The message shapes of the signalling protocol (internal/signalling,
// docs/protocol.md), as JSDoc types only: nothing here runs, and no page loads
// this file. Import a type with import('./protocol-types.js').Name.

/** @typedef {'host' | 'co-host' | 'participant'} Role */
/** @typedef {'waiting' | 'admitted' | 'denied' | 'removed'} AdmissionState */
/** @typedef {'publish' | 'subscribe'} Target */

/**
 * @typedef {Object} HelloInit Who this session is: a guest's invitation token, or
 * (for staff, identified by their login cookie) the meeting's ID.
 * @property {string} [invite]
 * @property {string} [meeting]
 */

/**
 * @typedef {Object} WelcomeContract The participation contract an invitee agrees
 * to in the waiting room before a host can let them in.
 * @property {string} text Plain text: never to be parsed as HTML.
 * @property {string} hash Sent back with accept_contract.
 * @property {boolean} accepted Whether this invitation has agreed to this text.
 */

/**
 * @typedef {Object} WelcomeMessage
 * @property {'welcome'} type
 * @property {number} version
 * @property {string} session
 * @property {string} participant
 * @property {string} name
 * @property {string} roleLabel
 * @property {Role} role
 * @property {AdmissionState} admission
 * @property {string} meeting The meeting's title.
 * @property {WelcomeContract} [contract] For invitees, when the meeting's profile has one.
 */

/**
 * @typedef {Object} AdmissionMessage
 * @property {'admission'} type
 * @property {AdmissionState} admission
 * @property {string} [code]
 * @property {string} [message]
 * @property {boolean} [muted] On admission: start with microphone and camera off
 *   (the profile's muted-on-entry); the client turns them off and says so with media{}.
 */

/**
 * @typedef {Object} Person An admitted participant as others see them.
 * @property {string} id
 * @property {string} name
 * @property {string} roleLabel
 * @property {Role} role
 * @property {boolean} audio
 * @property {boolean} video
 * @property {boolean} [audioBlocked] A host has stopped this person's microphone.
 * @property {boolean} [videoBlocked] A host has stopped this person's camera.
 * @property {boolean} [audioHeld] The person cannot lift the microphone block
 *   themselves; only when a host asks.
 * @property {boolean} [videoHeld] The same, for the camera.
 * @property {boolean} [screen] The server is forwarding this person's screen share.
 * @property {string} [invitedName] The invitation's name, when the person renamed
 *   themselves (sent to hosts and co-hosts only).
 */

/** @typedef {{ type: 'roster', participants: Person[] }} RosterMessage */
/** @typedef {{ type: 'participant', participant: Person }} ParticipantMessage */
/** @typedef {{ type: 'gone', participant: string }} GoneMessage */

/**
 * @typedef {Object} WaitingPerson
 * @property {string} id
 * @property {string} name
 * @property {string} roleLabel
 * @property {string} since RFC 3339.
 * @property {boolean} [contractAccepted] Whether they have agreed to the participation contract.
 * @property {'adult' | 'under16'} [ageGroup]
 * @property {{ by: string, at: string }} [consent] Under 16: who gave consent, and when.
 */

/** @typedef {{ type: 'waiting', participants: WaitingPerson[] }} WaitingMessage */
/** @typedef {{ type: 'contract', accepted: boolean }} ContractMessage The answer to accept_contract. */
/** @typedef {{ type: 'offer', sdp: string }} OfferMessage */
/** @typedef {{ type: 'answer', sdp: string }} AnswerMessage */
/** @typedef {{ type: 'candidate', target: Target, candidate: RTCIceCandidateInit }} CandidateMessage */
/** @typedef {{ type: 'notice', code: string, message: string, participant?: string }} NoticeMessage */
/** @typedef {{ type: 'ended', code: string, message: string }} EndedMessage */
/** @typedef {{ type: 'error', code: string, message: string, ref?: string }} ErrorMessage */
/** @typedef {'audio' | 'video'} MediaKind */
/** @typedef {'everyone' | 'hosts' | 'host'} ScreenShareRule Who may share a screen, loosest first. */
/** @typedef {'allowed' | 'muted' | 'off_until_allowed'} MediaOnEntryRule Loosest first. */
/** @typedef {'yes' | 'when_asked'} SelfUnmuteRule Loosest first. */
/** @typedef {'renamable' | 'fixed'} DisplayNamesRule Loosest first. */
/** @typedef {'observed' | 'off'} DirectMessagesRule Loosest first. */
/** @typedef {'clickable' | 'text'} ChatLinksRule Loosest first. */
/** @typedef {'since_start' | 'from_join'} ChatHistoryRule Loosest first. */

/**
 * @typedef {Object} Rules The meeting's safeguarding rules now (policy.Rules).
 * @property {number} auto_lock_minutes 0 means never; fewer minutes is stricter.
 * @property {ScreenShareRule} screen_share
 * @property {MediaOnEntryRule} media_on_entry
 * @property {SelfUnmuteRule} self_unmute
 * @property {DisplayNamesRule} display_names
 * @property {boolean} chime Enter/exit chime and visible notice; on is stricter.
 * @property {number} max_participants Fewer is stricter.
 * @property {DirectMessagesRule} direct_messages
 * @property {ChatLinksRule} chat_links
 * @property {ChatHistoryRule} chat_history
 */

/**
 * @typedef {Object} RoomStateMessage Meeting-wide state, for admitted participants.
 * @property {'room'} type
 * @property {boolean} locked
 * @property {Rules} [rules] The rules in force (always sent by current servers).
 */

/**
 * @typedef {Object} UnmuteRequestMessage A host asks us to turn our microphone or
 * camera back on; we choose.
 * @property {'unmute_request'} type
 * @property {MediaKind} kind
 * @property {string} by The asking host's name.
 */

/** @typedef {'everyone' | 'hosts' | 'direct'} ChatAudience */
/** @typedef {{ start: number, end: number, href: string }} ChatLink UTF-16 offsets into the text. */
/** @typedef {'applause' | 'thumbs_up' | 'heart' | 'laugh' | 'surprise'} Reaction */

/**
 * @typedef {Object} ChatEntry One chat message as the server sends it.
 * @property {number} id
 * @property {string} from
 * @property {string} from_name
 * @property {Role} [from_role] The sender's role when they sent it.
 * @property {ChatAudience} to
 * @property {string} [to_participant] Direct messages: the recipient.
 * @property {string} [to_name]
 * @property {string} text Plain text: never to be parsed as HTML.
 * @property {ChatLink[]} [links] Only where the rules say chat_links: clickable.
 * @property {string} at RFC 3339.
 */

/** @typedef {{ type: 'chat', message: ChatEntry }} ChatMessage */
/**
 * @typedef {{ type: 'chat_history', messages: ChatEntry[], blocked?: string[] }} ChatHistoryMessage
 * blocked: the participants stopped from posting (sent to hosts and co-hosts, and
 * to a stopped participant about themselves).
 */
/** @typedef {{ type: 'chat_deleted', message: number }} ChatDeletedMessage */
/** @typedef {{ type: 'chat_cleared' }} ChatClearedMessage */
/** @typedef {{ type: 'chat_blocked', participant: string, blocked: boolean }} ChatBlockedMessage */
/** @typedef {{ type: 'reaction', participant: string, reaction: string }} ReactionMessage */
/** @typedef {{ type: 'hands', queue: string[] }} HandsMessage Raised hands, first raised first. */

/**
 * @typedef {'connecting' | 'open' | 'reconnecting' | 'closed'} ConnectionState
 */

/**
 * @typedef {Object} StateEvent
 * @property {ConnectionState} state
 * @property {number} [attempt] Reconnection attempt number, when reconnecting.
 * @property {number} [delayMs] Delay before that attempt.
 * @property {boolean} [final] When closed: true if the session is over for good.
 * @property {string} [code] When closed for good: the error code that ended it, if any.
 */

/**
 * @typedef {Object} ServerEvents The events a Connection emits.
 * @property {WelcomeMessage} welcome
 * @property {AdmissionMessage} admission
 * @property {RosterMessage} roster
 * @property {ParticipantMessage} participant
 * @property {GoneMessage} gone
 * @property {WaitingMessage} waiting
 * @property {OfferMessage} offer
 * @property {AnswerMessage} answer
 * @property {CandidateMessage} candidate
 * @property {NoticeMessage} notice
 * @property {EndedMessage} ended
 * @property {ErrorMessage} error
 * @property {RoomStateMessage} room
 * @property {UnmuteRequestMessage} unmute_request
 * @property {ChatMessage} chat
 * @property {ChatHistoryMessage} chat_history
 * @property {ChatDeletedMessage} chat_deleted
 * @property {ChatClearedMessage} chat_cleared
 * @property {ChatBlockedMessage} chat_blocked
 * @property {ReactionMessage} reaction
 * @property {HandsMessage} hands
 * @property {ContractMessage} contract
 * @property {StateEvent} state
 */

/** @typedef {Exclude<keyof ServerEvents, 'state'>} ServerMessageType */

export {};
