package web

import (
	"context"
	"math"
	"sync"
	"time"
)

// gate holds expensive operations to a few at a time, so that a burst of them cannot
// take every database connection and every core while cheap requests wait behind
// them. Those over the number wait their turn briefly, then are refused.
type gate struct{ slots chan struct{} }

// gates are the process's gates, one for each setting of the limits: every handler
// built with the same limits shares one, since they share the machine.
var gates sync.Map // gateKey → *gate

type gateKey struct {
	size int
}

func gateFor(l Limits) *gate {
	key := gateKey{size: l.MaxExpensive}
	if g, ok := gates.Load(key); ok {
		return g.(*gate)
	}
	g, _ := gates.LoadOrStore(key, &gate{slots: make(chan struct{}, l.MaxExpensive)})
	return g.(*gate)
}

// enter waits up to wait for a slot (less if ctx ends first); ok tells whether it got
// one, and release gives it back.
func (g *gate) enter(ctx context.Context, wait time.Duration) (release func(), ok bool) {
	select {
	case g.slots <- struct{}{}:
		return g.leave, true
	default:
	}
	timer := time.NewTimer(wait)
	defer timer.Stop()
	select {
	case g.slots <- struct{}{}:
		return g.leave, true
	case <-timer.C:
	case <-ctx.Done():
	}
	return nil, false
}

func (g *gate) leave() { <-g.slots }

// retryAfter is the Retry-After of a refusal after waiting wait: whole seconds, at least 1.
func retryAfter(wait time.Duration) int { return max(1, int(math.Ceil(wait.Seconds()))) }

// busySignal carries a refusal by the gate from the operation to the HTTP answer,
// which conformance then sends as 503 with Retry-After (the GraphQL transports answer
// 200 to every operation they executed).
type busySignal struct {
	mu         sync.Mutex
	retryAfter int // seconds; 0 while the operation was not refused
}

type busyKey struct{}

func withBusySignal(ctx context.Context) (context.Context, *busySignal) {
	b := &busySignal{}
	return context.WithValue(ctx, busyKey{}, b), b
}

// markBusy records that the request's operation was refused for want of a slot.
func markBusy(ctx context.Context, seconds int) {
	if b, ok := ctx.Value(busyKey{}).(*busySignal); ok {
		b.mu.Lock()
		b.retryAfter = seconds
		b.mu.Unlock()
	}
}

// refused is the Retry-After of a refused request, 0 when it was not refused.
func (b *busySignal) refused() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.retryAfter
}
