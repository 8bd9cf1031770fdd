package scraper

import (
	"context"
	"errors"
	"math/rand/v2"
	"sync"
	"time"
)

// hostState is the politeness scheduler of one host:port for one run.
// Colly's LimitRule cannot do this job: it limits per rule rather than per
// host, sleeps after the response while holding its slot, and never delays
// by a robots.txt Crawl-delay.
//
// A request to the host first takes the host's only slot (so at most one
// request is in flight), then waits until the host's next allowed start;
// releasing the slot sets the next allowed start to the moment the answer
// came plus the spacing (max(delay, Crawl-delay)) plus upward jitter, or
// later when a back-off or Retry-After pauses the host. Counting from the
// answer rather than from our own start makes the start-to-start gap the
// server sees at least the spacing, whatever the latency. The first
// request to a host is not delayed.
type hostState struct {
	key  string        // host:port
	slot chan struct{} // capacity 1: the request in flight
	gate HostGate      // shared with other processes (Options.HostGate); nil: none

	mu       sync.Mutex
	spacing  time.Duration // start-to-start spacing
	next     time.Time     // earliest start of the next request
	failures int           // failed attempts in a row
	ended    error         // non-nil: no more requests this run (wraps ErrHostSkipped)
}

func newHostState(key string, spacing time.Duration) *hostState {
	return &hostState{key: key, slot: make(chan struct{}, 1), spacing: spacing}
}

// acquire takes the host's slot and waits for its next allowed start; the
// caller must then call release.
func (h *hostState) acquire(ctx context.Context) error {
	select {
	case h.slot <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	for {
		h.mu.Lock()
		ended, next := h.ended, h.next
		h.mu.Unlock()
		if ended != nil {
			<-h.slot
			return ended
		}
		wait := time.Until(next)
		if wait <= 0 {
			if h.gate != nil {
				if err := h.gate.Acquire(ctx, h.key); err != nil {
					if errors.Is(err, ErrHostSkipped) {
						h.mu.Lock()
						if h.ended == nil {
							h.ended = err // ended by another process: not told back
						}
						h.mu.Unlock()
					}
					<-h.slot
					return err
				}
			}
			return nil
		}
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			<-h.slot
			return ctx.Err()
		}
	}
}

// release frees the slot; answered is when the request's answer (or its
// failure) came. The next request may start no earlier than answered +
// spacing + jitter, and no earlier than pause from now (back-off,
// Retry-After).
func (h *hostState) release(answered time.Time, pause time.Duration, jitter float64) {
	h.mu.Lock()
	sp := h.spacing
	if jitter > 0 && sp > 0 {
		sp += time.Duration(rand.Int64N(int64(float64(sp)*jitter) + 1))
	}
	next := answered.Add(sp)
	if pause > 0 {
		if p := time.Now().Add(pause); p.After(next) {
			next = p
		}
	}
	if next.After(h.next) {
		h.next = next
	}
	h.mu.Unlock()
	if h.gate != nil {
		h.gate.Release(h.key, sp, pause)
	}
	<-h.slot
}

// unused frees the slot taken by acquire when no request was made: the
// next start stays where it was, here and across processes.
func (h *hostState) unused() {
	if h.gate != nil {
		h.gate.Release(h.key, 0, 0)
	}
	<-h.slot
}

// setSpacing raises the host's spacing (a Crawl-delay larger than the
// configured delay).
func (h *hostState) setSpacing(d time.Duration) {
	h.mu.Lock()
	if d > h.spacing {
		h.spacing = d
	}
	h.mu.Unlock()
}

// currentSpacing returns the host's start-to-start spacing, jitter aside.
func (h *hostState) currentSpacing() time.Duration {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.spacing
}

// end stops the host for the rest of the run, in every process sharing
// the host gate. The first reason sticks.
func (h *hostState) end(err error) {
	h.mu.Lock()
	first := h.ended == nil
	if first {
		h.ended = err
	}
	h.mu.Unlock()
	if first && h.gate != nil {
		h.gate.End(h.key, err)
	}
}

// endedErr returns why the host was ended, or nil.
func (h *hostState) endedErr() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.ended
}

// failed records a failed attempt and reports whether the host has now
// failed max times in a row, here or, with a shared host gate, in all the
// processes of the crawl together.
func (h *hostState) failed(limit int) bool {
	h.mu.Lock()
	h.failures++
	n := h.failures
	h.mu.Unlock()
	if h.gate != nil {
		n = max(n, h.gate.Failed(h.key, true))
	}
	return n >= limit
}

// succeeded resets the count of failures in a row (the shared one too).
func (h *hostState) succeeded() {
	h.mu.Lock()
	h.failures = 0
	h.mu.Unlock()
	if h.gate != nil {
		h.gate.Failed(h.key, false)
	}
}
