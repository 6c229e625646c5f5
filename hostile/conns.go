package main

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"sync/atomic"
	"time"
)

// connections: item 4. A third of the connections idle after one answer (keep-alive),
// a third send their headers a byte at a time, a third a body a byte at a time; the
// server must close them all within --conn-wait. The server is given timeouts that fit
// in that wait (idle a third of it, reading a request a quarter), so the item checks
// that the configured timeouts are enforced, at any length of run.
func (s *suite) connections(ctx context.Context, r *result) error {
	timeouts := []string{
		"HTTP_READ_HEADER_TIMEOUT=" + min(5*time.Second, s.o.connWait/4).String(),
		"HTTP_READ_TIMEOUT=" + (s.o.connWait / 4).String(),
		"HTTP_IDLE_TIMEOUT=" + (s.o.connWait / 3).String(),
	}
	r.notef("server timeouts: %v", timeouts)
	return s.withServer(ctx, "connections", func(srv *server) error {
		kinds := []string{"idle after an answer", "slow headers", "slow body"}
		var open [3]atomic.Int64
		opened := [3]int{}
		addr := fmt.Sprintf("127.0.0.1:%d", srv.Port)
		cctx, cancel := context.WithCancel(ctx)
		defer cancel()
		for i := range s.o.conns {
			k := i % 3
			c, err := net.DialTimeout("tcp", addr, 5*time.Second)
			if err != nil {
				r.notef("connection %d refused: %v", i, err)
				continue
			}
			opened[k]++
			open[k].Add(1)
			go holdConn(cctx, c, k, &open[k])
		}
		started := time.Now()
		left := func() int64 { return open[0].Load() + open[1].Load() + open[2].Load() }
		for time.Since(started) < s.o.connWait && left() > 0 {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(time.Second):
			}
		}
		waited := time.Since(started).Round(time.Second)
		total := opened[0] + opened[1] + opened[2]
		for k, name := range kinds {
			r.notef("%s: %d opened, %d still open after %s", name, opened[k], open[k].Load(), waited)
		}
		r.add(fmt.Sprintf("%d slow or idle connections: all closed by the server within %s", s.o.conns, s.o.connWait),
			total > 0 && left() == 0, "%d of %d still open after %s", left(), total, waited)
		return nil
	}, timeouts...)
}

// holdConn plays one slow or idle client until the server closes the connection.
func holdConn(ctx context.Context, c net.Conn, kind int, open *atomic.Int64) {
	defer open.Add(-1)
	defer c.Close()
	go func() { <-ctx.Done(); c.Close() }()
	rd := bufio.NewReader(c)
	switch kind {
	case 0:
		if _, err := c.Write([]byte("GET /healthz HTTP/1.1\r\nHost: hostile\r\n\r\n")); err != nil {
			return
		}
		resp, err := http.ReadResponse(rd, nil)
		if err != nil {
			return
		}
		resp.Body.Close()
	case 1, 2:
		var msg []byte
		if kind == 1 {
			msg = []byte("GET /healthz HTTP/1.1\r\nHost: hostile\r\nX-Slow: " + string(make([]byte, 0)))
		} else {
			head := "POST /graphql HTTP/1.1\r\nHost: hostile\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n"
			if _, err := c.Write([]byte(head)); err != nil {
				return
			}
		}
		go func() {
			for i := 0; ; i++ {
				b := []byte("a")
				if i < len(msg) {
					b = msg[i : i+1]
				}
				if _, err := c.Write(b); err != nil {
					return
				}
				select {
				case <-ctx.Done():
					return
				case <-time.After(2 * time.Second):
				}
			}
		}()
	}
	buf := make([]byte, 4096)
	for {
		if _, err := rd.Read(buf); err != nil {
			return // closed by the server (or by us at the end)
		}
	}
}

// stalledBody opens a POST whose body never arrives.
func stalledBody(ctx context.Context, port int) (net.Conn, error) {
	var d net.Dialer
	c, err := d.DialContext(ctx, "tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		return nil, err
	}
	_, err = c.Write([]byte("POST /graphql HTTP/1.1\r\nHost: hostile\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{\"query\":"))
	return c, err
}
