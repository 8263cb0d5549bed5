// Package progress draws a progress bar for long CLI work: a redrawn bar on
// a terminal, and a line every few seconds when output goes to a log.
package progress

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
)

// Bar reports done/total for one piece of work. It is safe for concurrent use.
type Bar struct {
	mu    sync.Mutex
	w     io.Writer
	label string
	total int
	done  int
	tty   bool
	start time.Time
	last  time.Time
}

// New returns a bar writing to w (os.Stderr when nil). total may be 0 when unknown.
func New(w io.Writer, label string, total int) *Bar {
	if w == nil {
		w = os.Stderr
	}
	tty := false
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			tty = true
		}
	}
	return &Bar{w: w, label: label, total: total, tty: tty, start: time.Now()}
}

// Set records progress and redraws when due.
func (b *Bar) Set(done int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.done = done
	now := time.Now()
	every := 5 * time.Second
	if b.tty {
		every = 100 * time.Millisecond
	}
	if now.Sub(b.last) < every && done != b.total {
		return
	}
	b.last = now
	b.draw(now)
}

// Add advances by n.
func (b *Bar) Add(n int) {
	b.mu.Lock()
	d := b.done + n
	b.mu.Unlock()
	b.Set(d)
}

func (b *Bar) draw(now time.Time) {
	// A rate over the first instants says nothing (one item in a
	// microsecond reads as millions a second): it is shown after 100 ms.
	rate := ""
	if el := now.Sub(b.start); el >= 100*time.Millisecond {
		rate = fmt.Sprintf(" %.1f/s", float64(b.done)/el.Seconds())
	}
	if b.total > 0 {
		width := 30
		filled := b.done * width / b.total
		if filled > width {
			filled = width
		}
		line := fmt.Sprintf("%s [%s%s] %d/%d%s", b.label, strings.Repeat("#", filled), strings.Repeat(" ", width-filled), b.done, b.total, rate)
		b.emit(line)
		return
	}
	b.emit(fmt.Sprintf("%s %d done%s", b.label, b.done, rate))
}

func (b *Bar) emit(line string) {
	if b.tty {
		fmt.Fprintf(b.w, "\r\033[K%s", line)
		return
	}
	fmt.Fprintln(b.w, line)
}

// Finish draws the final state and ends the line.
func (b *Bar) Finish() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.draw(time.Now())
	if b.tty {
		fmt.Fprintln(b.w)
	}
}
