package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"safemeet/internal/audit"
	"safemeet/internal/config"
)

// exitCode is returned by a command that has already printed what it found,
// to set the program's exit status without another message.
type exitCode int

func (c exitCode) Error() string { return "exit status " + strconv.Itoa(int(c)) }

// Exit statuses of `safemeet audit verify` other than 0 (intact).
const (
	auditBroken    = exitCode(1)
	auditUnchecked = exitCode(2) // no database, unreadable, or bad usage
)

// auditPageSize is how many entries verify reads at a time.
const auditPageSize = 10000

const auditUsage = `usage:
  safemeet audit verify [--data DIR] [--expect SEQ:HASH]
      check that the audit log's hash chain is intact (see: safemeet audit verify -h)
`

const auditVerifyUsage = `usage: safemeet audit verify [--data DIR] [--expect SEQ:HASH]

Checks the audit log in the data folder from its first entry to its last by
recomputing its hash chain: every entry must be present, in order and
unedited. It prints the number of entries and the last entry's hash, or the
first entry at which the chain breaks and what was found there: an entry
edited, an entry missing or out of order, or an entry that does not follow the
one before it (that one was edited and its hash recomputed).

  --data DIR         the data folder (default $SAFEMEET_DATA, else safemeet-data)
  --expect SEQ:HASH  also check that entry SEQ still has HASH, as printed by an
                     earlier run ("N entries, last hash HASH" gives N:HASH)

What the chain cannot show: entries removed from the end, or the log rewritten
from some entry onwards with every later hash recomputed, still form an intact
chain. So keep each run's count and last hash where this server cannot write
(another system, or on paper), and give them to a later run with --expect: a
log that has since lost that entry, or has a different hash for it, is then
reported as broken.

Exit status: 0 intact, 1 broken, 2 not checked (no database, an unreadable
log, or bad usage).
`

// runAudit runs `safemeet audit SUBCOMMAND`.
func runAudit(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, auditUsage)
		return auditUnchecked
	}
	switch args[0] {
	case "verify":
		return runAuditVerify(ctx, args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, auditUsage)
		return nil
	default:
		fmt.Fprintf(stderr, "safemeet: unknown audit subcommand %q\n%s", args[0], auditUsage)
		return auditUnchecked
	}
}

// runAuditVerify runs `safemeet audit verify`: it prints the verdict on
// stdout and returns auditBroken or auditUnchecked unless the log is intact.
func runAuditVerify(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("audit verify", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // usage is printed below, to the right stream
	dataDir := fs.String("data", envOrDefault("SAFEMEET_DATA", config.Default().DataDir), "data folder ($SAFEMEET_DATA)")
	expectFlag := fs.String("expect", "", "SEQ:HASH an earlier run printed")
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, auditVerifyUsage)
		return nil
	}
	if err == nil && fs.NArg() > 0 {
		err = fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	var expect *keptHash
	if err == nil && *expectFlag != "" {
		expect, err = parseKeptHash(*expectFlag)
	}
	if err != nil {
		fmt.Fprintf(stderr, "safemeet: %v\n%s", err, auditVerifyUsage)
		return auditUnchecked
	}

	// openStore would create a missing database, and an empty log is intact.
	path := filepath.Join(*dataDir, "safemeet.db") // as openStore names it
	if _, err := os.Stat(path); err != nil {
		fmt.Fprintf(stderr, "safemeet: no safemeet database to check in %s: %v\n", *dataDir, err)
		return auditUnchecked
	}
	db, err := openStore(*dataDir)
	if err != nil {
		fmt.Fprintf(stderr, "safemeet: cannot open the database in %s: %s\n", *dataDir, describe(err))
		return auditUnchecked
	}
	defer db.Close()

	v, err := verifyAuditLog(ctx, db, auditPageSize, expect)
	if err != nil {
		fmt.Fprintf(stderr, "safemeet: could not read the audit log (%d entries verified before the failure): %s\n", v.intact, describe(err))
		return auditUnchecked
	}
	if v.bad != 0 {
		fmt.Fprintf(stdout, "Audit log BROKEN at entry %d: %s\n", v.bad, v.reason)
		return auditBroken
	}
	switch v.intact {
	case 0:
		fmt.Fprintln(stdout, "Audit log intact: 0 entries.")
	case 1:
		fmt.Fprintf(stdout, "Audit log intact: 1 entry, last hash %s.\n", v.lastHash)
	default:
		fmt.Fprintf(stdout, "Audit log intact: %d entries, last hash %s.\n", v.intact, v.lastHash)
	}
	return nil
}

// auditReader reads the audit log in order (store.Store does).
type auditReader interface {
	AuditEntries(ctx context.Context, after int64, limit int) ([]audit.Entry, error)
}

// keptHash is an entry's hash kept from an earlier run.
type keptHash struct {
	seq  int64
	hash string
}

var hexSHA256 = regexp.MustCompile(`^[0-9a-f]{64}$`)

// parseKeptHash parses SEQ:HASH.
func parseKeptHash(s string) (*keptHash, error) {
	seqText, hash, ok := strings.Cut(s, ":")
	seq, err := strconv.ParseInt(seqText, 10, 64)
	if !ok || err != nil || seq < 1 || !hexSHA256.MatchString(hash) {
		return nil, fmt.Errorf("--expect %q: want SEQ:HASH, an entry number and its 64-digit hex hash", s)
	}
	return &keptHash{seq: seq, hash: hash}, nil
}

// auditVerdict is what verifyAuditLog found.
type auditVerdict struct {
	intact   int64  // entries found in place, from the first
	lastHash string // hash of the last of them
	bad      int64  // sequence number where the log breaks; 0 if intact
	reason   string // what was found there
}

// verifyAuditLog walks the whole audit log, pageSize entries at a time,
// checking its hash chain and, if expect is set, that entry's hash. On a read
// error the verdict says how far the log was checked.
func verifyAuditLog(ctx context.Context, r auditReader, pageSize int, expect *keptHash) (auditVerdict, error) {
	var v audit.Verifier
	verdict := func() auditVerdict {
		return auditVerdict{intact: v.Len(), lastHash: v.LastHash(), bad: v.Bad(), reason: breakReason(&v)}
	}
	for {
		page, err := r.AuditEntries(ctx, v.Len(), pageSize)
		if err != nil {
			return verdict(), err
		}
		for _, e := range page {
			if !v.Add(e) {
				return verdict(), nil
			}
			if expect != nil && e.Seq == expect.seq && e.Hash != expect.hash {
				return auditVerdict{intact: e.Seq - 1, bad: e.Seq, reason: fmt.Sprintf(
					"its hash differs from the copy kept (%s), so the log was rewritten at or before this entry", expect.hash)}, nil
			}
		}
		if len(page) < pageSize {
			break
		}
	}
	if expect != nil && v.Len() < expect.seq {
		return auditVerdict{intact: v.Len(), bad: v.Len() + 1, reason: fmt.Sprintf(
			"entry missing (the log ends at entry %d, but the copy kept names entry %d), so entries were removed from the end",
			v.Len(), expect.seq)}, nil
	}
	return verdict(), nil
}

// breakReason says what the Verifier found where the chain broke.
func breakReason(v *audit.Verifier) string {
	switch v.Break() {
	case audit.BreakSequence:
		return fmt.Sprintf("entry missing or out of order (expected sequence %d, found %d)", v.Bad(), v.Found())
	case audit.BreakHash:
		return "entry edited (its hash does not match its contents)"
	case audit.BreakLink:
		if v.Bad() == 1 {
			return "entry forged (the first entry names a previous hash)"
		}
		return "does not follow the entry before it (previous hash differs)"
	case audit.BreakHashAndLink:
		return "entry edited or moved here (its hash does not match its contents, and its previous hash differs)"
	default:
		return ""
	}
}
