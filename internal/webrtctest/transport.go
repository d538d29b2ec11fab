package webrtctest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/coder/websocket"

	"safemeet/internal/signalling"
)

// writeTimeout bounds one WebSocket write.
const writeTimeout = 10 * time.Second

// ServerError is an error message the server sent instead of welcome (or an
// ended message, whose code it carries the same way).
type ServerError struct {
	Type    string // "error" or "ended"
	Code    string // the stable error code, e.g. "invitation_invalid"
	Message string // the sentence for people
}

// Error implements error.
func (e *ServerError) Error() string {
	return fmt.Sprintf("webrtctest: server sent %s %s: %s", e.Type, e.Code, e.Message)
}

// HandshakeError is a refused WebSocket handshake, e.g. for a bad Origin.
type HandshakeError struct {
	StatusCode int   // the HTTP status, 0 if there was no response
	Err        error // the WebSocket library's error
}

// Error implements error.
func (e *HandshakeError) Error() string {
	return fmt.Sprintf("webrtctest: WebSocket handshake refused (HTTP %d): %v", e.StatusCode, e.Err)
}

// Unwrap returns the underlying error.
func (e *HandshakeError) Unwrap() error { return e.Err }

// dialWebSocket opens the WebSocket at BaseURL + "/ws" with Origin = BaseURL.
func dialWebSocket(ctx context.Context, o Options) (*websocket.Conn, error) {
	base, err := url.Parse(o.BaseURL)
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return nil, fmt.Errorf("webrtctest: base URL %q: want http(s)://host[:port]", o.BaseURL)
	}
	header := http.Header{}
	header.Set("Origin", base.Scheme+"://"+base.Host)
	for k, vs := range o.Header {
		header[k] = append([]string(nil), vs...)
	}
	wsURL := base.Scheme + "://" + base.Host + "/ws"
	conn, resp, err := websocket.Dial(ctx, wsURL, &websocket.DialOptions{HTTPClient: o.HTTPClient, HTTPHeader: header})
	if err != nil {
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		return nil, &HandshakeError{StatusCode: status, Err: err}
	}
	// The protocol caps messages in both directions (session descriptions
	// at MaxDescriptionSize); a bigger one from the server ends the
	// connection.
	conn.SetReadLimit(signalling.MaxDescriptionSize)
	return conn, nil
}

// greet sends hello and reads the server's first message.
func greet(ctx context.Context, conn *websocket.Conn, hello signalling.Hello) (signalling.Welcome, error) {
	var welcome signalling.Welcome
	data, err := json.Marshal(hello)
	if err != nil {
		return welcome, err
	}
	if err := conn.Write(ctx, websocket.MessageText, data); err != nil {
		return welcome, fmt.Errorf("webrtctest: send hello: %w", err)
	}
	_, data, err = conn.Read(ctx)
	if err != nil {
		return welcome, fmt.Errorf("webrtctest: waiting for welcome: %w", err)
	}
	typ, err := messageType(data)
	if err != nil {
		return welcome, err
	}
	switch typ {
	case signalling.TypeWelcome:
		if err := decodeStrict(data, &welcome); err != nil {
			return welcome, err
		}
		return welcome, nil
	case signalling.TypeError, signalling.TypeEnded:
		var e struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		}
		if err := json.Unmarshal(data, &e); err != nil {
			return welcome, fmt.Errorf("webrtctest: malformed %s: %w", typ, err)
		}
		return welcome, &ServerError{Type: typ, Code: e.Code, Message: e.Message}
	default:
		return welcome, fmt.Errorf("webrtctest: server sent %q before welcome", typ)
	}
}

// messageType reads a message's "type".
func messageType(data []byte) (string, error) {
	var head struct {
		Type string `json:"type"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return "", fmt.Errorf("webrtctest: malformed message: %w", err)
	}
	return head.Type, nil
}

// decodeStrict decodes a server message, refusing fields the protocol lacks.
func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("webrtctest: malformed message: %w", err)
	}
	return nil
}

// readLoop reads the WebSocket and dispatches each message by type, until
// the connection ends.
func (p *Participant) readLoop() {
	defer p.wg.Done()
	defer close(p.done) // after cancel, so Send fails once Done is closed
	defer p.cancel()
	for {
		_, data, err := p.conn.Read(p.ctx)
		if err != nil {
			p.mu.Lock()
			p.connErr = err
			p.mu.Unlock()
			p.log.Debug("connection ended", "err", err)
			return
		}
		p.dispatch(data)
	}
}

// writeLoop writes queued messages in order.
func (p *Participant) writeLoop() {
	defer p.wg.Done()
	for {
		select {
		case <-p.ctx.Done():
			return
		case data := <-p.out:
			ctx, cancel := context.WithTimeout(p.ctx, writeTimeout)
			err := p.conn.Write(ctx, websocket.MessageText, data)
			cancel()
			if err != nil {
				if !errors.Is(err, context.Canceled) {
					p.log.Debug("write failed", "err", err)
				}
				return
			}
		}
	}
}

// Send queues any message for the server, in order. It is for messages this
// package has no helper for, and for sending malformed ones on purpose.
func (p *Participant) Send(msg any) error {
	data, err := json.Marshal(msg)
	if err != nil {
		return fmt.Errorf("webrtctest: encode message: %w", err)
	}
	return p.SendRaw(data)
}

// SendRaw queues bytes for the server as one text message, as they are: for
// input no well-behaved client sends (e.g. invalid UTF-8).
func (p *Participant) SendRaw(data []byte) error {
	if p.ctx.Err() != nil {
		return ErrClosed
	}
	select {
	case p.out <- data:
		return nil
	case <-p.ctx.Done():
		return ErrClosed
	}
}

// Admit asks the server to admit a waiting participant (hosts).
func (p *Participant) Admit(id string) error {
	return p.Send(signalling.Admit{Type: signalling.TypeAdmit, Participant: id})
}

// Deny asks the server to refuse a waiting participant (hosts).
func (p *Participant) Deny(id string) error {
	return p.Send(signalling.Deny{Type: signalling.TypeDeny, Participant: id})
}

// End asks the server to end the meeting for everyone (hosts).
func (p *Participant) End() error {
	return p.Send(signalling.End{Type: signalling.TypeEnd})
}

// Leave tells the server the participant is leaving.
func (p *Participant) Leave() error {
	return p.Send(signalling.Leave{Type: signalling.TypeLeave})
}

// SetMedia reports the participant's microphone and camera state. The
// synthetic media keeps flowing whatever it says, as a misbehaving client's
// would: muting is for the server to enforce.
func (p *Participant) SetMedia(audio, video bool) error {
	return p.Send(signalling.Media{Type: signalling.TypeMedia, Audio: audio, Video: video})
}
