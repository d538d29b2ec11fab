// Package chat is the meeting's text chat, reactions and raised hands, as pure
// logic: cleaning a message's text, deciding who may see a message, keeping the
// room's recent history, limiting how fast one person posts, the order in which
// hands went up, and finding the links in a message.
//
// It does no I/O and starts no goroutines. The room actor calls it from its one
// goroutine, so nothing here takes a lock: a Log, Limiter or Hands must not be
// shared between goroutines.
//
// Safeguarding rules this package carries:
//   - Text stays text. Clean removes characters that hide or reorder what a
//     reader sees; it never interprets HTML. The browser shows text only with
//     text nodes.
//   - Nothing between two people is unobserved: a message to the hosts is seen by
//     every host and co-host, and a direct message (allowed only when the
//     profile's DirectMessages is "observed") is seen by every host and co-host
//     as well as the two people concerned. See CanSee.
//   - Only http:// and https:// links (and www. addresses, as https://) are ever
//     found; see Segments and Links.
package chat
