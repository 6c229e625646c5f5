package web

import (
	"fmt"
	"math"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
	"golang.org/x/time/rate"
)

// RateLimit is the per-client request rate: a token bucket per client address.
type RateLimit struct {
	PerSecond float64 // 0: no limit
	Burst     int
}

// clientLimiters keeps a token bucket per client, for the most recent clients only,
// so a scan from many addresses cannot grow memory without bound.
type clientLimiters struct {
	limit RateLimit
	mu    sync.Mutex
	byIP  *lru.Cache[string, *rate.Limiter]
}

const trackedClients = 100_000

// rateLimited answers 429 with Retry-After to a client over its rate. It runs after
// requestKey, so a 304 Not Modified costs the client nothing.
func rateLimited(limit RateLimit, m *metrics, next http.Handler) http.Handler {
	if limit.PerSecond <= 0 {
		return next
	}
	byIP, _ := lru.New[string, *rate.Limiter](trackedClients)
	limiters := &clientLimiters{limit: limit, byIP: byIP}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if wait := limiters.wait(clientAddress(r)); wait > 0 {
			m.rateLimited.Inc()
			w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
			writeStatus(w, http.StatusTooManyRequests, "RATE_LIMITED",
				fmt.Sprintf("too many requests from this address: at most %g a second (bursts of %d); retry after %s", limit.PerSecond, limit.Burst, wait.Round(time.Second)))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// wait takes a token for the client, or says how long until one is there.
func (c *clientLimiters) wait(ip string) time.Duration {
	c.mu.Lock()
	l, ok := c.byIP.Get(ip)
	if !ok {
		l = rate.NewLimiter(rate.Limit(c.limit.PerSecond), c.limit.Burst)
		c.byIP.Add(ip, l)
	}
	c.mu.Unlock()
	res := l.Reserve()
	if delay := res.Delay(); delay > 0 {
		res.Cancel()
		return max(delay, time.Second)
	}
	return 0
}

// clientAddress is the client's IP address. Behind a load balancer every request
// comes from the balancer: rate limiting then belongs to the balancer or the CDN.
func clientAddress(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
