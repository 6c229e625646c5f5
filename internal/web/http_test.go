package web_test

import (
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/dualuse-transparency/portal/internal/demodata"
	"github.com/dualuse-transparency/portal/internal/testdb"
)

func TestRoutes(t *testing.T) {
	d := testdb.New(t)
	empty := httptest.NewRecorder()
	newHandler(t, d).ServeHTTP(empty, httptest.NewRequest("GET", "/readyz", nil))
	if empty.Code != 503 || !strings.Contains(empty.Body.String(), "no release") {
		t.Errorf("readyz before any release: %d %q, want 503 saying no release is loaded", empty.Code, empty.Body.String())
	}
	testdb.ImportDemo(t, d, demodata.Options{Seed: 1, Decisions: 200})
	h := newHandler(t, d)
	schema, err := os.ReadFile("../../schema.graphql")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		method     string
		path       string
		header     map[string]string
		wantStatus int
		wantBody   string
		wantHeader map[string]string
	}{
		{name: "GraphiQL", method: "GET", path: "/", wantStatus: 200, wantBody: "graphiql"},
		{name: "schema", method: "GET", path: "/schema.graphql", wantStatus: 200, wantBody: string(schema)},
		{name: "health", method: "GET", path: "/healthz", wantStatus: 200, wantBody: "ok"},
		{name: "ready", method: "GET", path: "/readyz", wantStatus: 200, wantBody: "ready"},
		{name: "GraphQL over GET", method: "GET", path: "/graphql?query=%7BcontrolCategories%7Bcode%7D%7D", wantStatus: 200, wantBody: `"controlCategories":[{"code":0}`},
		{name: "unknown path", method: "GET", path: "/nothing", wantStatus: 404},
		{
			name: "CORS preflight", method: "OPTIONS", path: "/graphql",
			header:     map[string]string{"Origin": "https://example.org", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"},
			wantStatus: 204,
			wantHeader: map[string]string{"Access-Control-Allow-Origin": "*", "Access-Control-Max-Age": "86400"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, tt.path, nil)
			for k, v := range tt.header {
				req.Header.Set(k, v)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != tt.wantStatus || !strings.Contains(strings.ToLower(rec.Body.String()), strings.ToLower(tt.wantBody)) {
				t.Errorf("%s %s = %d %.200q; want %d containing %.200q", tt.method, tt.path, rec.Code, rec.Body.String(), tt.wantStatus, tt.wantBody)
			}
			for k, v := range tt.wantHeader {
				if got := rec.Header().Get(k); got != v {
					t.Errorf("header %s = %q, want %q", k, got, v)
				}
			}
		})
	}
}
