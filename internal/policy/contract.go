package policy

// DefaultContract is the participation contract the shipped "Children and
// families" and "Adults — external" profiles start with (migration 0004 of
// the SQLite store holds the same text; the store tests check they agree).
// It follows the housekeeping rules youth workers agree with young people:
// where to sit, microphone and camera, no recording, what to share, and what
// happens when the rules are broken.
const DefaultContract = `Before you join, please read these rules and agree to them. They keep everyone in the meeting safe.

1. Join from a shared room at home if you can, not a bedroom. Sit so that your camera shows you against a plain wall or background, and dress as you would for meeting in person.
2. Keep your microphone off unless you are speaking. Turn your camera on when the host asks you to.
3. Do not record, screenshot or photograph the meeting, on this device or on any other. If the meeting is recorded, the host will tell everyone first.
4. Do not share anyone's personal details (address, phone number, school, social media) by voice, chat or screen.
5. Only say, write or show things that are right for everyone present. Do not share links, pictures or files unless the host asks for them.
6. Tell the host if anyone else is in the room with you.
7. If anything in the meeting worries you, tell the host (raise your hand or write to the hosts in the chat), or tell an adult you trust.
8. If these rules are broken, the host may mute you, return you to the waiting room or remove you from the meeting, and may tell the organisation's safeguarding lead what happened.`
