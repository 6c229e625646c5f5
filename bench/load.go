package main

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"
)

// loadPhase sends the same request again and again for o.duration with wrk, at the
// highest rate o.workers connections allow (each sends its next request when its answer
// is in), o.runs times one after the other, then checks the answers; the run of median
// rate is the phase's figures (medianRun). encoding is the Accept-Encoding sent: "identity" or
// "gzip".
//
// The load generator shares the machine's two cores with the server (DESIGN section 7),
// so what it spends per request is taken from the server. wrk, written in C on epoll,
// spends the least: on a 2-core machine it let the same server answer 20 to 60 % more
// requests per second than a Go client reading through the standard library, and 40 to
// 100 % more than vegeta, used before (README, Dependencies). Its script
// (wrkScript) sets the request and prints the figures; it reads no body, since handing
// every 300 kB answer to Lua cost more than the server's answer.
//
// The answers are checked three ways instead: the first answer, sent before the phase,
// is checked in full and is the one every later answer must equal byte for byte; wrk
// counts every answer that is not a 2xx and every read error (a cut answer breaks its
// framing); and the server's own counters (/metrics) must show every request of the
// phase as a 200 from the cache of answers. After the phase, verifySamples more answers
// are read and compared with the first, byte for byte.
func loadPhase(ctx context.Context, o options, base string, q querySpec, encoding string) (loadResult, error) {
	u, err := url.Parse(base + "/graphql")
	if err != nil {
		return loadResult{}, err
	}
	body := requestBody(q.operation(q.id, ""), q.id)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(body))
	if err != nil {
		return loadResult{}, err
	}
	setGraphQLHeaders(req.Header)
	req.Header.Set("Accept-Encoding", encoding)
	var wire bytes.Buffer
	if err := req.Write(&wire); err != nil {
		return loadResult{}, err
	}
	request := wire.Bytes()

	conn, err := dialLoad(ctx, u.Host)
	if err != nil {
		return loadResult{}, err
	}
	defer conn.close()
	base0, err := serverCounts(ctx, base)
	if err != nil {
		return loadResult{}, err
	}
	want, err := conn.firstAnswer(request)
	if err != nil {
		return loadResult{}, err
	}
	// The server counts an answer after sending it: wait until the first one shows, so
	// that it is not taken for one of the phase's.
	before, err := settledCounts(ctx, base, func(t serverTally) bool { return t.ok > base0.ok })
	if err != nil {
		return loadResult{}, err
	}
	// check holds a run of the portal against its counters: every request of the run
	// answered with a 200 from the cache of answers.
	check := func(w wrkFigures) error {
		after, err := settledCounts(ctx, base, nil)
		if err != nil {
			return err
		}
		// wrk leaves the requests in flight when the phase ends uncounted: the server may
		// have answered up to one per connection more.
		answered, hits, others := after.ok-before.ok, after.hits-before.hits, after.other-before.other
		if others != 0 || answered < w.Requests || answered > w.Requests+uint64(o.workers) || hits != answered {
			return fmt.Errorf("wrk counted %d answers; the server %d answers of 200 (%d from its cache) and %d others",
				w.Requests, answered, hits, others)
		}
		before = after
		return nil
	}
	runs, err := repeatWrk(ctx, o, u.String(), body, req.Header, check)
	if err != nil {
		return loadResult{}, err
	}
	w := medianRun(runs)
	l := loadResult{encoding: encoding, requests: w.Requests, rate: w.rate(), runs: rates(runs), median: w.median(), p99: w.p99(),
		bytes: float64(len(want.wire)), decoded: len(want.decoded), compressed: want.encoding == "gzip"}
	if len(l.misses()) > 0 {
		if l.bare, err = bareLoad(ctx, o, u.String(), body, req.Header, want, check); err != nil {
			return l, fmt.Errorf("the bare server: %w", err)
		}
	}
	for i := range verifySamples {
		if err := conn.exchange(request, want); err != nil {
			return loadResult{}, fmt.Errorf("answer %d after the phase: %w", i+1, err)
		}
	}
	return l, nil
}

// bareLoad runs the same load against a bare Go HTTP server (net/http, one handler that
// sends the expected answer's bytes with its headers, nothing else) started in this
// process: the most any Go server can make of this machine for this answer, to tell a
// miss of the portal's from a limit of the machine. The machine's pace drifts, so the
// bare server's runs alternate with as many more runs of the portal (at portal, each
// held by check), and the two are compared over the same stretch of time; the portal's
// figures for the target stay those of its own runs before.
func bareLoad(ctx context.Context, o options, portal string, body []byte, header http.Header, want expectedAnswer, check func(wrkFigures) error) (*bareResult, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/graphql-response+json")
		if want.encoding != "" {
			w.Header().Set("Content-Encoding", want.encoding)
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(want.wire)))
		_, _ = w.Write(want.wire)
	})}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	bare := "http://" + ln.Addr().String() + "/graphql"
	var bareRuns, portalRuns []wrkFigures
	one := o
	one.runs = 1
	for range o.runs {
		p, err := repeatWrk(ctx, one, portal, body, header, check)
		if err != nil {
			return nil, fmt.Errorf("the portal, alternated with it: %w", err)
		}
		b, err := repeatWrk(ctx, one, bare, body, header, nil)
		if err != nil {
			return nil, err
		}
		portalRuns, bareRuns = append(portalRuns, p...), append(bareRuns, b...)
	}
	f, p := medianRun(bareRuns), medianRun(portalRuns)
	return &bareResult{rate: f.rate(), runs: rates(bareRuns), median: f.median(), portal: p.rate(), portalRuns: rates(portalRuns)}, nil
}

// repeatWrk runs wrk o.runs times, one after the other, and returns the runs in order.
// A run fails when wrk saw any failure (wrkFigures.failed) or check, when given,
// refuses it.
func repeatWrk(ctx context.Context, o options, target string, body []byte, header http.Header, check func(wrkFigures) error) ([]wrkFigures, error) {
	runs := make([]wrkFigures, 0, o.runs)
	for range o.runs {
		w, err := runWrk(ctx, o, target, body, header)
		if err == nil {
			err = w.failed()
		}
		if err == nil && check != nil {
			err = check(w)
		}
		if err != nil {
			return nil, err
		}
		runs = append(runs, w)
	}
	return runs, nil
}

// medianRun is the run of median rate (of an even number, the slower of the two in the
// middle). A load phase is run several times because the machine's pace drifts: on a
// 2-core virtual machine, runs of the same phase a minute apart have differed by up to
// half (BENCHMARKS.md, Notes), for the bare server as much as for the portal.
func medianRun(runs []wrkFigures) wrkFigures {
	sorted := slices.SortedFunc(slices.Values(runs), func(a, b wrkFigures) int { return cmp.Compare(a.rate(), b.rate()) })
	return sorted[(len(sorted)-1)/2]
}

// rates are the runs' rates, in the order they ran.
func rates(runs []wrkFigures) []float64 {
	r := make([]float64, len(runs))
	for i, f := range runs {
		r[i] = f.rate()
	}
	return r
}

// settledCounts reads the server's counters until ready accepts them (nil: any) and two
// reads 50 ms apart agree, for at most 2 s: the server counts an answer just after
// sending it, so a read right after the last answer may miss it.
func settledCounts(ctx context.Context, base string, ready func(serverTally) bool) (serverTally, error) {
	deadline := time.Now().Add(2 * time.Second)
	last, err := serverCounts(ctx, base)
	for err == nil && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
		var next serverTally
		if next, err = serverCounts(ctx, base); err == nil {
			if next == last && (ready == nil || ready(next)) {
				return next, nil
			}
			last = next
		}
	}
	if err != nil {
		return serverTally{}, err
	}
	return serverTally{}, errors.New("the server's counters did not settle within 2 s")
}

// verifySamples is how many answers are compared with the first, byte for byte, after a
// load phase.
const verifySamples = 100

// loadConn is a kept-alive connection of the load generator.
type loadConn struct {
	conn net.Conn
	r    *bufio.Reader
	buf  []byte // read buffer for bodies
}

func dialLoad(ctx context.Context, host string) (*loadConn, error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", host)
	if err != nil {
		return nil, err
	}
	return &loadConn{conn: conn, r: bufio.NewReaderSize(conn, 64<<10), buf: make([]byte, 64<<10)}, nil
}

func (c *loadConn) close() { _ = c.conn.Close() }

// firstAnswer sends the request and reads its answer whole, then checks it in full.
func (c *loadConn) firstAnswer(request []byte) (expectedAnswer, error) {
	if _, err := c.conn.Write(request); err != nil {
		return expectedAnswer{}, err
	}
	resp, err := http.ReadResponse(c.r, nil)
	if err != nil {
		return expectedAnswer{}, err
	}
	defer resp.Body.Close()
	a := expectedAnswer{encoding: resp.Header.Get("Content-Encoding")}
	if a.wire, err = io.ReadAll(resp.Body); err != nil {
		return a, err
	}
	if a.decoded, err = decode(a.wire, a.encoding); err != nil {
		return a, err
	}
	return a, checkAnswer(resp.StatusCode, a.decoded)
}

// exchange sends the request and reads the answer through checkedBody.
func (c *loadConn) exchange(request []byte, want expectedAnswer) error {
	if _, err := c.conn.Write(request); err != nil {
		return err
	}
	resp, err := http.ReadResponse(c.r, nil)
	if err != nil {
		return err
	}
	body := newCheckedBody(resp, want)
	for {
		_, err := body.Read(c.buf)
		if err == io.EOF {
			break
		}
		if err != nil {
			resp.Body.Close()
			return err
		}
	}
	if resp.Close {
		return errors.New("the server closed the connection")
	}
	return resp.Body.Close()
}

// expectedAnswer is the first answer of a load phase, checked in full: as sent, its
// Content-Encoding, and decompressed.
type expectedAnswer struct {
	wire     []byte
	encoding string
	decoded  []byte
}

// decode undoes a Content-Encoding: none or gzip.
func decode(wire []byte, encoding string) ([]byte, error) {
	switch encoding {
	case "":
		return wire, nil
	case "gzip":
		return gunzip(wire)
	}
	return nil, fmt.Errorf("unexpected Content-Encoding %q", encoding)
}

// checkedBody reads an answer's body and checks it: a 200 with the expected
// Content-Encoding is compared, read by read, with the expected answer; any other
// answer, or one that turns out to differ, is collected whole and checked in full
// (decompressed, then checkAnswer), the way the first answer was. A failed check is a
// read error.
type checkedBody struct {
	body      io.Reader
	want      []byte
	status    int
	encoding  string
	off       int    // bytes read so far that match the expected answer
	collected []byte // the answer so far, once it differs
	inFull    bool   // the answer was checked in full
}

func newCheckedBody(resp *http.Response, want expectedAnswer) *checkedBody {
	b := &checkedBody{body: resp.Body, want: want.wire, status: resp.StatusCode, encoding: resp.Header.Get("Content-Encoding")}
	if b.status != http.StatusOK || b.encoding != want.encoding {
		b.collected = []byte{}
	}
	return b
}

func (b *checkedBody) Read(p []byte) (int, error) {
	n, err := b.body.Read(p)
	switch {
	case n == 0:
	case b.collected != nil:
		b.collected = append(b.collected, p[:n]...)
	case b.off+n <= len(b.want) && bytes.Equal(p[:n], b.want[b.off:b.off+n]):
		b.off += n
	default:
		b.collected = append(bytes.Clone(b.want[:b.off]), p[:n]...)
	}
	if err != io.EOF {
		return n, err
	}
	if b.collected == nil && b.off == len(b.want) {
		return n, io.EOF // identical to the expected answer
	}
	if b.collected == nil {
		b.collected = bytes.Clone(b.want[:b.off])
	}
	b.inFull = true
	decoded, err := decode(b.collected, b.encoding)
	if err == nil {
		err = checkAnswer(b.status, decoded)
	}
	if err != nil {
		return n, fmt.Errorf("answer of %d bytes: %w", len(b.collected), err)
	}
	return n, io.EOF
}
