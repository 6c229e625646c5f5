// Package browsertest starts the headless Chromium the page tests drive: Debian's, with
// the network off but for the loopback, a fresh profile, and a log of what the page
// wrote to the console and every address it asked for. It serves the tests of the
// embedded pages (internal/graphiql, internal/explore), never the portal itself.
package browsertest

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Optional names the variable that lets a browser test skip where Chromium is not
// installed. Unset, a missing Chromium fails the test.
const Optional = "PORTAL_BROWSER_TESTS_OPTIONAL"

// Chromium returns the path of Chromium, or fails the test (skips it only when
// Optional is set).
func Chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv(Optional) != "" {
		t.Skipf("Chromium is not installed and %s is set", Optional)
	}
	t.Fatalf("Chromium is not installed (Debian: apt-get install chromium); set %s=1 to skip this test instead", Optional)
	return ""
}

// Browser is a started Chromium: its context, what it logged, and its own output.
type Browser struct {
	Ctx    context.Context
	Log    *Log
	Stderr *bytes.Buffer
}

// Start starts Chromium with a window of width × height for at most timeout, and stops
// it when the test ends. The network is off: every address but the loopback's goes to
// a proxy that does not exist, and no name resolves. Each page records the policy
// violations it meets in window.__violations (a DevTools script bypasses the policy).
func Start(t *testing.T, width, height int, timeout time.Duration) Browser {
	t.Helper()
	exe := Chromium(t)
	b := Browser{Log: &Log{}, Stderr: &bytes.Buffer{}}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.NoSandbox, // as root, and in containers
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-domain-reliability", true),
		chromedp.Flag("no-pings", true),
		chromedp.ProxyServer("127.0.0.1:9"),
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"),
		chromedp.WindowSize(width, height),
		chromedp.CombinedOutput(b.Stderr),
	)...)
	t.Cleanup(cancelAlloc)
	ctx, cancel := chromedp.NewContext(allocCtx, chromedp.WithListener(b.Log.listen))
	t.Cleanup(cancel)
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
		Source: `window.__violations = []; document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline')));`,
	}); err != nil {
		t.Fatalf("starting Chromium: %v\n%s", err, b.Stderr.String())
	}
	ctx, cancelTimeout := context.WithTimeout(ctx, timeout)
	t.Cleanup(cancelTimeout)
	b.Ctx = ctx
	return b
}

// Log collects what the page wrote to the console and every address it asked for.
type Log struct {
	mu       sync.Mutex
	errors   []string
	requests []string
}

func (l *Log) listen(ev any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeWarning || ev.Type == runtime.ConsoleAPICalledTypeAssert {
			var args []string
			for _, a := range ev.Args {
				if a.Value != nil {
					args = append(args, string(a.Value))
				} else {
					args = append(args, a.Description)
				}
			}
			l.errors = append(l.errors, fmt.Sprintf("console.%s: %s", ev.Type, strings.Join(args, " ")))
		}
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		text := d.Text
		if d.Exception != nil {
			text += " " + d.Exception.Description
		}
		l.errors = append(l.errors, "exception: "+text)
	case *log.EventEntryAdded:
		if ev.Entry.Level == log.EntryLevelError || ev.Entry.Level == log.EntryLevelWarning {
			l.errors = append(l.errors, fmt.Sprintf("%s %s: %s %s", ev.Entry.Source, ev.Entry.Level, ev.Entry.Text, ev.Entry.URL))
		}
	case *network.EventRequestWillBeSent:
		l.requests = append(l.requests, ev.Request.URL)
	}
}

// Snapshot returns the console errors and the addresses asked for so far.
func (l *Log) Snapshot() (errs, requests []string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.errors...), append([]string(nil), l.requests...)
}
