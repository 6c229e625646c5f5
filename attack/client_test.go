package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

// fakeAPI answers each alias of a document with its arguments echoed, refuses an alias
// whose arguments say "refuse", and refuses a whole document that has an alias saying
// "invalid" (as a validation error does).
func fakeAPI(t *testing.T) *httptest.Server {
	alias := regexp.MustCompile(`(?m)^\s*(a\d+): \w+(?:\((.*)\))? \{`)
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body struct{ Query string }
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			t.Errorf("request body: %v", err)
		}
		data := map[string]any{}
		var errs []map[string]any
		for _, m := range alias.FindAllStringSubmatch(body.Query, -1) {
			switch {
			case strings.Contains(m[2], "invalid"):
				w.WriteHeader(http.StatusBadRequest)
				_ = json.NewEncoder(w).Encode(map[string]any{"errors": []map[string]any{{"message": "invalid", "extensions": map[string]string{"code": "GRAPHQL_VALIDATION_FAILED"}}}})
				return
			case strings.Contains(m[2], "refuse"):
				data[m[1]] = nil
				errs = append(errs, map[string]any{"message": "refused", "path": []string{m[1]}, "extensions": map[string]string{"code": "INVALID_INPUT"}})
			default:
				data[m[1]] = map[string]string{"args": m[2]}
			}
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"data": data, "errors": errs})
	}))
}

func TestClientRun(t *testing.T) {
	srv := fakeAPI(t)
	defer srv.Close()
	req := func(args string) request { return request{field: "licenceStatistics", args: args, body: "{ x }"} }
	tests := []struct {
		name        string
		reqs        []request
		wantRefused []bool
		wantSent    int64 // requests sent (a document refused whole is split and sent again)
	}{
		{name: "answered", reqs: []request{req("k: 1"), req("k: 2")}, wantRefused: []bool{false, false}, wantSent: 2},
		{name: "one refused among others", reqs: []request{req("k: 3"), req("k: refuse"), req("k: 4")}, wantRefused: []bool{false, true, false}, wantSent: 3},
		{name: "an invalid one found by splitting", reqs: []request{req("k: 5"), req("k: invalid"), req("k: 6"), req("k: 7")},
			wantRefused: []bool{false, true, false, false}, wantSent: 4},
		{name: "asked again: from memory", reqs: []request{req("k: 1"), req("k: refuse")}, wantRefused: []bool{false, true}, wantSent: 0},
		{name: "the same twice in one call", reqs: []request{req("k: 8"), req("k: 8")}, wantRefused: []bool{false, false}, wantSent: 1},
		{name: "no arguments", reqs: []request{{field: "releases", body: "{ id }"}}, wantRefused: []bool{false}, wantSent: 1},
	}
	api := newClient(srv.URL, 2)
	api.batch = 3
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cnt := &counter{}
			answers, err := api.run(context.Background(), cnt, tt.reqs)
			if err != nil {
				t.Fatal(err)
			}
			for i, a := range answers {
				if (a.refusal != nil) != tt.wantRefused[i] {
					t.Fatalf("answer %d: %+v, refused: want %v", i, a, tt.wantRefused[i])
				}
				if a.refusal == nil && !strings.Contains(string(a.data), strings.TrimSpace(tt.reqs[i].args)) {
					t.Fatalf("answer %d is not its request's: %s", i, a.data)
				}
			}
			if got := cnt.sent.Load(); got != tt.wantSent {
				t.Fatalf("sent %d, want %d", got, tt.wantSent)
			}
		})
	}
}

func TestIsLoopback(t *testing.T) {
	tests := []struct {
		name string
		url  string
		want bool
	}{
		{name: "localhost", url: "http://localhost:8080", want: true},
		{name: "IPv4 loopback", url: "http://127.0.0.1:8080/", want: true},
		{name: "IPv6 loopback", url: "http://[::1]:8080", want: true},
		{name: "a name elsewhere", url: "http://example.org", want: false},
		{name: "a private address", url: "http://10.0.0.1:8080", want: false},
		{name: "no scheme", url: "localhost:8080", want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := isLoopback(tt.url); got != tt.want {
				t.Fatalf("isLoopback(%q) = %v, want %v", tt.url, got, tt.want)
			}
		})
	}
}
