package release

import (
	"bufio"
	"errors"
	"os"
)

// WriteFile writes one file of a release folder through a buffered writer that fill
// fills, for the programs that make releases (the demo generator, the converters). It
// reports an error of the final flush or close too: a short file must never pass for
// a whole one.
func WriteFile(path string, fill func(*bufio.Writer) error) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	w := bufio.NewWriterSize(f, 1<<16)
	if err := fill(w); err != nil {
		return err
	}
	return w.Flush()
}
