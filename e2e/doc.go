// Package e2e holds safemeet's end-to-end tests: they build the real binary, start
// it on a loopback port with a temporary data folder, and drive two headless
// Chromium browsers (fake camera and microphone) through the browser client.
//
// Run with:
//
//	go test ./e2e -run TestE2E -v
//
// The tests need Debian's chromium at /usr/bin/chromium (apt-get install chromium).
// Without it they skip, except in CI (CI set), where they fail.
package e2e
