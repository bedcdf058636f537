package main

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// progressDelay is how long a scan runs before the progress line appears: quick scans,
// the usual case, never flash it.
var progressDelay = time.Second

// progress shows that a long scan is alive: after a second, a line on stderr with the
// elapsed time, rewritten in place and erased when the scan ends. It is only used when
// stderr is a terminal, so logs and pipes never see it.
type progress struct {
	stopOnce sync.Once
	done     chan struct{}
	finished chan struct{}
}

// startProgress starts the progress line on w when tty is true; otherwise it does nothing.
func startProgress(w io.Writer, tty bool, what string) *progress {
	p := &progress{done: make(chan struct{}), finished: make(chan struct{})}
	if !tty {
		close(p.finished)
		return p
	}
	go func() {
		defer close(p.finished)
		start := time.Now()
		delay := time.NewTimer(progressDelay)
		defer delay.Stop()
		select {
		case <-p.done:
			return
		case <-delay.C:
		}
		tick := time.NewTicker(250 * time.Millisecond)
		defer tick.Stop()
		for {
			fmt.Fprintf(w, "\r\x1b[Kiacscan: scanning %s… %.0fs", what, time.Since(start).Seconds())
			select {
			case <-p.done:
				fmt.Fprint(w, "\r\x1b[K")
				return
			case <-tick.C:
			}
		}
	}()
	return p
}

// stop erases the progress line, if any, and returns once it is gone, so that nothing
// written afterwards shares its line.
func (p *progress) stop() {
	p.stopOnce.Do(func() { close(p.done) })
	<-p.finished
}
