package sqlite

import (
	"context"

	"safemeet/internal/meeting"
	"safemeet/internal/store"
)

// RecordChat keeps one chat message with its meeting's record.
func (d *DB) RecordChat(ctx context.Context, c store.ChatRecord) error {
	const q = `INSERT INTO chat_messages (meeting_id, sender, sender_name, audience, recipient, recipient_name, text, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`
	return d.exec(ctx, "record chat", q, string(c.Meeting), c.Sender, c.SenderName, c.Audience, c.Recipient, c.RecipientName, c.Text, encTime(c.At))
}

// ChatRecords returns a meeting's chat messages in the order they were posted.
func (d *DB) ChatRecords(ctx context.Context, id meeting.ID) ([]store.ChatRecord, error) {
	const q = `SELECT meeting_id, sender, sender_name, audience, recipient, recipient_name, text, at
		FROM chat_messages WHERE meeting_id = $1 ORDER BY seq`
	return queryAll(ctx, d, "chat records", func(r rowScanner) (store.ChatRecord, error) {
		var (
			c  store.ChatRecord
			at string
			td timeDecoder
		)
		if err := r.Scan(&c.Meeting, &c.Sender, &c.SenderName, &c.Audience, &c.Recipient, &c.RecipientName, &c.Text, &at); err != nil {
			return store.ChatRecord{}, err
		}
		c.At = td.time(at)
		return c, td.err
	}, q, string(id))
}
