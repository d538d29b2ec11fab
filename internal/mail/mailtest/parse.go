package mailtest

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	netmail "net/mail"
	"strings"
	"testing"
)

// Part is one leaf of a received message's MIME tree, its body decoded.
type Part struct {
	ContentType string            // media type, lower case, e.g. "text/calendar"
	Params      map[string]string // Content-Type parameters, e.g. "method", "charset"
	Disposition string            // "attachment", "inline" or ""
	Filename    string            // the Content-Disposition filename, decoded
	// Within lists the enclosing multipart media types, outermost first.
	Within []string
	Body   []byte // after Content-Transfer-Encoding decoding
}

// Header returns the message's header; use its Get and AddressList, and
// mime.WordDecoder for encoded subjects.
func (r Received) Header(t testing.TB) netmail.Header {
	t.Helper()
	m, err := netmail.ReadMessage(bytes.NewReader(r.Data))
	if err != nil {
		t.Fatalf("mailtest: reading message: %v", err)
	}
	return m.Header
}

// Parts returns the leaves of the message's MIME tree in order.
func (r Received) Parts(t testing.TB) []Part {
	t.Helper()
	m, err := netmail.ReadMessage(bytes.NewReader(r.Data))
	if err != nil {
		t.Fatalf("mailtest: reading message: %v", err)
	}
	var parts []Part
	if err := walk(m.Header.Get, m.Body, nil, &parts); err != nil {
		t.Fatalf("mailtest: parsing MIME: %v", err)
	}
	return parts
}

// Text returns the decoded text/plain body that is not an attachment, with
// CRLF turned into "\n" so it compares with Go strings.
func (r Received) Text(t testing.TB) string {
	t.Helper()
	for _, p := range r.Parts(t) {
		if p.ContentType == "text/plain" && p.Disposition != "attachment" {
			return strings.ReplaceAll(string(p.Body), "\r\n", "\n")
		}
	}
	t.Fatalf("mailtest: message has no text/plain body")
	return ""
}

// Calendar returns the decoded inline text/calendar part or, failing that,
// the .ics attachment; nil if there is neither. Line endings are as sent.
func (r Received) Calendar(t testing.TB) []byte {
	t.Helper()
	parts := r.Parts(t)
	for _, p := range parts {
		if p.ContentType == "text/calendar" && p.Disposition != "attachment" {
			return p.Body
		}
	}
	for _, p := range parts {
		if p.ContentType == "text/calendar" || p.ContentType == "application/ics" ||
			strings.HasSuffix(strings.ToLower(p.Filename), ".ics") {
			return p.Body
		}
	}
	return nil
}

// walk appends the leaves under one entity (header get, body) to parts.
func walk(get func(string) string, body io.Reader, within []string, parts *[]Part) error {
	ct := get("Content-Type")
	if ct == "" {
		ct = "text/plain; charset=us-ascii"
	}
	mediaType, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return fmt.Errorf("content type %q: %w", ct, err)
	}
	if strings.HasPrefix(mediaType, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		inner := append(within[:len(within):len(within)], mediaType)
		for {
			// NextRawPart: NextPart would decode quoted-printable itself
			// and hide the Content-Transfer-Encoding header.
			p, err := mr.NextRawPart()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
			if err := walk(p.Header.Get, p, inner, parts); err != nil {
				return err
			}
		}
	}
	part := Part{ContentType: mediaType, Params: params, Within: within}
	if cd := get("Content-Disposition"); cd != "" {
		disp, dparams, err := mime.ParseMediaType(cd)
		if err != nil {
			return fmt.Errorf("content disposition %q: %w", cd, err)
		}
		part.Disposition = disp
		part.Filename, err = new(mime.WordDecoder).DecodeHeader(dparams["filename"])
		if err != nil {
			return err
		}
	}
	switch strings.ToLower(get("Content-Transfer-Encoding")) {
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, body)
	}
	if part.Body, err = io.ReadAll(body); err != nil {
		return fmt.Errorf("%s body: %w", mediaType, err)
	}
	*parts = append(*parts, part)
	return nil
}
