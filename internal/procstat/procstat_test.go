package procstat

import (
	"os"
	"os/exec"
	"runtime"
	"slices"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		name, data string
		want       Stat
		bad        bool
	}{
		{"a sleeping process", "4242 (postgres) S 4200 4242 4242 0 -1 4194560", Stat{'S', 4200}, false},
		{"comm with a space and parentheses", "77 (my (odd) cmd) R 1 77 77 0", Stat{'R', 1}, false},
		{"a zombie", "99 (portal) Z 98 99 99", Stat{'Z', 98}, false},
		{"no closing parenthesis", "99 portal Z 98", Stat{}, true},
		{"no parent", "99 (portal) Z", Stat{}, true},
		{"a state of two letters", "99 (portal) ZZ 98", Stat{}, true},
		{"a parent that is not a number", "99 (portal) S x", Stat{}, true},
		{"empty", "", Stat{}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Parse([]byte(tc.data))
			if (err != nil) != tc.bad || got != tc.want {
				t.Errorf("Parse(%q) = %+v, %v; want %+v, error %t", tc.data, got, err, tc.want, tc.bad)
			}
		})
	}
	if !(Stat{State: 'Z'}).Gone() || !(Stat{State: 'X'}).Gone() || (Stat{State: 'S'}).Gone() {
		t.Error("Gone: want true for Z and X only")
	}
}

// A real child process: found among this process's children while it runs, then a
// zombie until it is waited for.
func TestChildrenAndState(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("/proc is Linux's")
	}
	cmd := exec.Command("sleep", "30")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pid := cmd.Process.Pid
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	if kids := Children(os.Getpid()); !slices.Contains(kids, pid) {
		t.Fatalf("Children(%d) = %v, want it to hold %d", os.Getpid(), kids, pid)
	}
	s, err := Read(pid)
	if err != nil || s.Parent != os.Getpid() || s.Gone() {
		t.Fatalf("Read(%d) = %+v, %v; want a live child of %d", pid, s, err, os.Getpid())
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	for range 200 { // the kernel makes it a zombie shortly after the signal
		if s, err = Read(pid); err == nil && s.Gone() {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Errorf("Read(%d) after kill = %+v, %v; want a zombie until waited for", pid, s, err)
}
