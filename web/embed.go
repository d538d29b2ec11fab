// Package web is the browser client: plain ES modules, CSS and HTML pages,
// embedded into the binary.
package web

import "embed"

// Files holds the client's pages, scripts and styles.
//
//go:embed *.html favicon.svg css js
var Files embed.FS
