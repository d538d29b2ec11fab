package e2e

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"os/exec"
	"testing"
	"time"
)

// staffPassword is every extra staff account's password in these tests.
const staffPassword = "a long enough password"

// signInStaff adds a staff account with the given role flags ("--admin",
// "--approver", …) through the binary's own admin command, on the running
// server's data folder, and returns an HTTP client signed in as them.
func (srv *server) signInStaff(t *testing.T, email string, roleFlags ...string) *http.Client {
	t.Helper()
	args := append([]string{"admin", "add-staff", "--data", srv.data, "--email", email, "--name", "Staff " + email, "--password", staffPassword}, roleFlags...)
	if out, err := exec.Command(srv.bin, args...).CombinedOutput(); err != nil {
		t.Fatalf("safemeet admin add-staff: %v\n%s", err, out)
	}
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	srv.call(t, c, "POST", "/api/login", map[string]string{"email": email, "password": staffPassword}, nil)
	return c
}

// call makes a same-origin JSON request that must succeed; out receives the answer.
func (srv *server) call(t *testing.T, c *http.Client, method, path string, body, out any) {
	t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, srv.URL+path, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", srv.URL)
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 != 2 {
		t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, data)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			t.Fatalf("%s %s: decoding %s: %v", method, path, data, err)
		}
	}
}

// approve has a designated safeguarding lead (an approver who hosts
// nothing) approve the meeting.
func (srv *server) approve(t *testing.T, meetingID string) {
	t.Helper()
	dsl := srv.signInStaff(t, "dsl@school.example", "--approver", "--host=false")
	var seen struct {
		Meeting struct {
			Fingerprint string `json:"approval_fingerprint"`
		}
	}
	srv.call(t, dsl, "GET", "/api/meetings/"+meetingID, nil, &seen)
	srv.call(t, dsl, "POST", "/api/meetings/"+meetingID+"/approve", map[string]string{"note": "Agreed.", "fingerprint": seen.Meeting.Fingerprint}, nil)
}
