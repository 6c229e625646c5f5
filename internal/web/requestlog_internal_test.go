package web

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// Every line about a request carries its id: the request's own line and any line logged
// while answering it.
func TestRequestLogCarriesTheID(t *testing.T) {
	var out bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&out, nil))
	h := withRequestLog(logger, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		loggerFrom(r.Context(), nil).Warn("inside")
		w.WriteHeader(http.StatusTeapot)
	}))
	r := httptest.NewRequest("GET", "/x", nil)
	r.Header.Set("X-Request-Id", "abc")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], `"msg":"inside","requestId":"abc"`) ||
		!strings.Contains(lines[1], `"msg":"request","requestId":"abc","method":"GET","path":"/x","status":418`) {
		t.Errorf("log:\n%s\nwant the inner line and the request's, both with requestId abc", out.String())
	}
	if rec.Header().Get("X-Request-Id") != "abc" {
		t.Errorf("X-Request-Id %q, want abc", rec.Header().Get("X-Request-Id"))
	}
}
