package web

import (
	"bytes"
	"net/http/httptest"
	"testing"
)

// Bodies that ask the same thing share a key, whether the key was worked out or
// remembered; bodies that differ in anything that changes the answer do not.
func TestCanonicalPostBody(t *testing.T) {
	base := `{"query":"query Q($y: Int) { annualReport(year: $y) { year } }","variables":{"y":2024,"z":"a b"},"operationName":"Q"}`
	same := []string{
		base,
		"{ \"operationName\": \"Q\",\n  \"variables\": {\"z\": \"a b\", \"y\": 2024},\n  \"query\": \"query Q($y: Int) {\\n  annualReport(year: $y) { year }\\n}\" }",
		`{"query":"# a comment\nquery Q($y: Int) { annualReport(year: $y) { year } }","variables":{"y":2024,"z":"a b"},"operationName":"Q"}`,
	}
	different := []string{
		`{"query":"query Q($y: Int) { annualReport(year: $y) { year } }","variables":{"y":2023,"z":"a b"},"operationName":"Q"}`,
		`{"query":"query Q($y: Int) { annualReport(year: $y) { year } }","variables":{"y":2024,"z":"a  b"},"operationName":"Q"}`,
		`{"query":"query R($y: Int) { annualReport(year: $y) { year } }","variables":{"y":2024,"z":"a b"},"operationName":"R"}`,
		`{"query":"query Q($y: Int) { annualReport(year: $y) { year } }","variables":{"y":2024,"z":"a b"},"operationName":"Q","extensions":{"x":1}}`,
	}
	key := func(body string) string {
		t.Helper()
		r := httptest.NewRequest("POST", "/graphql", bytes.NewBufferString(body))
		r.Header.Set("Content-Type", "application/json")
		k, err := canonicalRequest(r, 1<<20, 10_000)
		if err != nil {
			t.Fatalf("%s: %v", body, err)
		}
		return k
	}
	want := key(base)
	for round := range 2 { // the second round is answered from canonicalBodies
		for _, b := range same {
			if got := key(b); got != want {
				t.Errorf("round %d: %s: key %q, want the key of %s, %q", round, b, got, base, want)
			}
		}
		for _, b := range different {
			if got := key(b); got == want {
				t.Errorf("round %d: %s has the key of %s", round, b, base)
			}
		}
	}

	r := httptest.NewRequest("POST", "/graphql", bytes.NewBufferString(`{"query": `))
	if _, err := canonicalRequest(r, 1<<20, 10_000); err == nil {
		t.Error("a body that is not JSON has a key")
	}
}

// Two bodies under one hash are told apart, and the memo keeps within its bytes.
func TestBodyMemo(t *testing.T) {
	m := newBodyMemo(100, 1000)
	a, b := []byte(`{"query":"{ a }"}`), []byte(`{"query":"{ b }"}`)
	m.add(7, a, "digest of a")
	if d, ok := m.lookup(7, a); !ok || d != "digest of a" {
		t.Errorf("a: %q %v; want its digest", d, ok)
	}
	if d, ok := m.lookup(7, b); ok {
		t.Errorf("b under a's hash got %q; want no digest", d)
	}
	m.add(7, b, "digest of b") // b takes the hash over
	if _, ok := m.lookup(7, a); ok {
		t.Error("a is still found after b took its hash")
	}
	for i := range 50 {
		m.add(uint64(100+i), bytes.Repeat([]byte{'x'}, 100), "big")
	}
	if m.bytes > 1000 || m.lru.Len() != 10 {
		t.Errorf("%d bytes in %d entries; want at most 1000 bytes, the 10 newest", m.bytes, m.lru.Len())
	}
	if _, ok := m.lookup(149, bytes.Repeat([]byte{'x'}, 100)); !ok {
		t.Error("the newest body was dropped")
	}
	m.add(1, bytes.Repeat([]byte{'y'}, maxRememberedDocument+1), "huge")
	if _, ok := m.lookup(1, bytes.Repeat([]byte{'y'}, maxRememberedDocument+1)); ok {
		t.Error("a body over maxRememberedDocument was kept")
	}
}
