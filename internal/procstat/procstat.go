// Package procstat reads what the portal needs of a Linux process's /proc/PID/stat
// (proc(5)): its state and its parent. The private PostgreSQL server's supervisor
// asks whether the postmaster is alive, and the tests find a process's children.
package procstat

import (
	"errors"
	"os"
	"strconv"
	"strings"
)

// Stat is what the portal reads of /proc/PID/stat.
type Stat struct {
	State  byte // R, S, D, Z (zombie), X (dead), ...
	Parent int
}

// Gone reports a process that has ended: a zombie, or dead.
func (s Stat) Gone() bool { return s.State == 'Z' || s.State == 'X' }

// Read reads /proc/PID/stat. The error wraps fs.ErrNotExist when the process does not
// exist, or when there is no /proc (as on macOS).
func Read(pid int) (Stat, error) {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return Stat{}, err
	}
	return Parse(data)
}

var errFormat = errors.New("procstat: not the format of /proc/PID/stat")

// Parse reads the contents of a /proc/PID/stat file: "pid (comm) state ppid ...".
// comm, the executable's name, may hold spaces and parentheses, so the fields are
// those after the last ')'.
func Parse(data []byte) (Stat, error) {
	i := strings.LastIndexByte(string(data), ')')
	if i < 0 {
		return Stat{}, errFormat
	}
	fields := strings.Fields(string(data[i+1:]))
	if len(fields) < 2 || len(fields[0]) != 1 {
		return Stat{}, errFormat
	}
	parent, err := strconv.Atoi(fields[1])
	if err != nil {
		return Stat{}, errFormat
	}
	return Stat{State: fields[0][0], Parent: parent}, nil
}

// Children are the processes whose parent is pid; none without /proc.
func Children(pid int) []int {
	entries, _ := os.ReadDir("/proc")
	var out []int
	for _, e := range entries {
		n, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if s, err := Read(n); err == nil && s.Parent == pid {
			out = append(out, n)
		}
	}
	return out
}
