package web_test

import (
	"fmt"
	"regexp"
	"strconv"
	"testing"

	"github.com/dualuse-transparency/portal/internal/testdb"
	"github.com/dualuse-transparency/portal/internal/web"
)

// The response cache holds at most its bytes, and leaves out an answer over a
// sixteenth of them.
func TestResponseCacheBoundedInBytes(t *testing.T) {
	const budget = 256 << 10
	srv := httpServer(t, testdb.New(t), web.Options{Cache: web.CacheOptions{MaxBytes: budget}})
	sizes := 0
	for i := range 60 { // distinct answers of about 10 KB
		r := mustFetch(t, "GET", srv.URL+gqlGet(fmt.Sprintf(`{ controlEntries(first: %d) { nodes { code description source } } }`, 30+i)), "")
		if r.status != 200 || len(r.errors()) != 0 {
			t.Fatalf("%d: %d %.300s", i, r.status, r.body)
		}
		sizes += len(r.body)
	}
	bytes, entries := cacheUsage(t, srv.URL)
	if sizes < 2*budget || bytes > budget || bytes < budget/2 || entries >= 60 || entries < 5 {
		t.Errorf("after %d bytes of answers the cache holds %d bytes in %d answers; want at most %d bytes, more than half of it used", sizes, bytes, entries, budget)
	}

	big := gqlGet(`{ controlEntries(first: 500) { nodes { code description source validFrom } } }`)
	r := mustFetch(t, "GET", srv.URL+big, "")
	if len(r.body) <= budget/16 {
		t.Fatalf("the big answer has %d bytes, want over %d", len(r.body), budget/16)
	}
	if after, _ := cacheUsage(t, srv.URL); after > bytes {
		t.Errorf("an answer of %d bytes, over a sixteenth of the cache, was kept: %d bytes now, %d before", len(r.body), after, bytes)
	}
}

var cacheGauge = regexp.MustCompile(`(?m)^portal_response_cache_(bytes|entries) (\S+)$`)

func cacheUsage(t *testing.T, base string) (int64, int) {
	t.Helper()
	r := mustFetch(t, "GET", base+"/metrics", "")
	var bytes int64
	var entries int
	for _, m := range cacheGauge.FindAllStringSubmatch(r.body, -1) {
		v, _ := strconv.ParseFloat(m[2], 64)
		if m[1] == "bytes" {
			bytes = int64(v)
		} else {
			entries = int(v)
		}
	}
	return bytes, entries
}
