package main

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestProgressLineAppearsOnlyOnATerminalAfterTheDelayAndIsErased(t *testing.T) {
	defer func(d time.Duration) { progressDelay = d }(progressDelay)
	progressDelay = 10 * time.Millisecond

	var quiet bytes.Buffer
	p := startProgress(&quiet, false, ".")
	time.Sleep(50 * time.Millisecond)
	p.stop()
	if quiet.Len() != 0 {
		t.Errorf("progress written to a non-terminal: %q", quiet.String())
	}

	var fast bytes.Buffer
	progressDelay = time.Hour
	startProgress(&fast, true, ".").stop()
	if fast.Len() != 0 {
		t.Errorf("progress written for a scan shorter than the delay: %q", fast.String())
	}

	var tty bytes.Buffer
	progressDelay = 10 * time.Millisecond
	p = startProgress(&tty, true, "infra")
	time.Sleep(50 * time.Millisecond)
	p.stop()
	p.stop() // stopping twice is harmless
	out := tty.String()
	if !strings.Contains(out, "iacscan: scanning infra") || !strings.HasSuffix(out, "\r\x1b[K") {
		t.Errorf("progress line %q, want the scan named and the line erased at the end", out)
	}
}
