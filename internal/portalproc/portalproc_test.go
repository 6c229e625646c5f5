package portalproc

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The test binary stands in for the portal: run with PORTALPROC_CHILD set, it is a
// server (ready, or never ready, or exiting at once) instead of the tests.
func TestMain(m *testing.M) {
	switch os.Getenv("PORTALPROC_CHILD") {
	case "":
		os.Exit(m.Run())
	case "exit":
		fmt.Println("the data folder is in use")
		os.Exit(2)
	case "serve", "never-ready":
		ready := os.Getenv("PORTALPROC_CHILD") == "serve"
		http.HandleFunc("/readyz", func(w http.ResponseWriter, r *http.Request) {
			if !ready {
				http.Error(w, "not ready", http.StatusServiceUnavailable)
			}
		})
		term := make(chan os.Signal, 1)
		signal.Notify(term, syscall.SIGTERM)
		go func() { <-term; fmt.Println("stopping"); os.Exit(3) }()
		fmt.Println("listening on", os.Getenv("PORT"))
		_ = http.ListenAndServe("127.0.0.1:"+os.Getenv("PORT"), nil)
		os.Exit(1)
	}
}

func child(t *testing.T, mode string) (binary string, env []string, logPath string) {
	t.Helper()
	binary, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return binary, append(os.Environ(), "PORTALPROC_CHILD="+mode), filepath.Join(t.TempDir(), "portal.log")
}

func TestStartAndTerminate(t *testing.T) {
	binary, env, logPath := child(t, "serve")
	s, err := Start(context.Background(), binary, env, logPath)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(s.Base + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("/readyz: %d", resp.StatusCode)
	}
	code, _, exited := s.Terminate(10 * time.Second)
	if !exited || code != 3 || s.ExitCode() != 3 {
		t.Errorf("Terminate: status %d, exited %t; want 3, true (the child's exit on SIGTERM)", code, exited)
	}
	if tail := s.Tail(); !strings.Contains(tail, fmt.Sprint("listening on ", s.Port)) || !strings.Contains(tail, "stopping") {
		t.Errorf("the log's tail does not show the child's output with its port %d: %q", s.Port, tail)
	}
}

func TestStartFails(t *testing.T) {
	binary, env, logPath := child(t, "exit")
	_, err := Start(context.Background(), binary, env, logPath)
	if err == nil || !strings.Contains(err.Error(), "exited (status 2) before it was ready") || !strings.Contains(err.Error(), "the data folder is in use") {
		t.Errorf("Start of a child that exits: %v; want its status and its log", err)
	}

	binary, env, logPath = child(t, "never-ready")
	s, err := Spawn(binary, []string{"serve"}, env, logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Stop()
	if err := s.WaitReady(context.Background(), 300*time.Millisecond); err == nil || !strings.Contains(err.Error(), "not ready after 300ms") {
		t.Errorf("WaitReady on a child never ready: %v", err)
	}
}

func TestRun(t *testing.T) {
	binary, env, _ := child(t, "exit")
	work := t.TempDir()
	err := Run(context.Background(), binary, work, env, "import", "somewhere")
	if err == nil || !strings.Contains(err.Error(), "portal import somewhere: exit status 2") || !strings.Contains(err.Error(), "the data folder is in use") {
		t.Errorf("Run of a failing command: %v; want the command, its status and its log", err)
	}
	if _, err := os.Stat(filepath.Join(work, "portal-import.log")); err != nil {
		t.Errorf("no log of the command in work: %v", err)
	}
}
