package release

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"runtime"

	"golang.org/x/sync/errgroup"
)

// Reading licence_decisions.csv in parts. A million decisions take seconds to parse
// and check on one core, while the rest of the machine waits. Where every line of the
// file has an even number of double quotes, every record lies on one line: a quoted
// field that opens on a line closes on it (after its opening quote the line has an odd
// number left, which "" escapes cannot all pair), and a malformed record is an error
// of its own line. Such a file is cut at line ends into as many parts as there are
// cores, each part is parsed and checked on its own, and the rows are then linked into
// decisions in file order, on one core, as in a file read in one piece. The release,
// its problems and its warnings are the same either way (TestReadInParts, and
// FuzzReadDecisions reads every input both ways).

var (
	// readParts is how many parts a large file is read in.
	readParts = runtime.GOMAXPROCS(0)
	// partsMinBytes is the size under which a file is read in one piece: cutting a small
	// file saves nothing.
	partsMinBytes int64 = 8 << 20
)

// partsOf is the number of parts a decisions file of this shape is read in.
func partsOf(shape fileShape) int {
	if shape.multiline || shape.size < partsMinBytes {
		return 1
	}
	return readParts
}

// part is one stretch of the file, starting at a line's start.
type part struct {
	start, end int64
	lines      int // the file's lines before the part
	newlines   int // in the part
	records    int // read from the part, as eachRow counts them
	rows       int // of them, those of the header's width and of UTF-8 text
	reader     *decisionReader
	probs      problems
	warnings   warnings
}

// readInParts reads the file in about parts parts, then links the rows; it returns the
// number of records after the header, as readCSV.
func (r *decisionReader) readInParts(path string, shape fileShape, parts int) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	ps, err := cutParts(f, shape.size, parts)
	if err != nil {
		return 0, err
	}
	// The lines before each part number its rows in the whole file.
	var g errgroup.Group
	for _, p := range ps {
		g.Go(func() error {
			var err error
			p.newlines, err = countNewlines(io.NewSectionReader(f, p.start, p.end-p.start))
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return 0, err
	}
	for i := 1; i < len(ps); i++ {
		ps[i].lines = ps[i-1].lines + ps[i-1].newlines
	}

	// The header, on the first part's reader; a wrong one stops the file, as in readCSV.
	header := decisionHeader()
	first := csvReader(skipBOM(io.NewSectionReader(f, 0, ps[0].end)))
	if ok, err := checkHeader(first, decisionsFile, header, r.probs); !ok || err != nil {
		return 0, err
	}

	// Each part's rows go to the slots of its lines: a row takes one line at least, so
	// the parts never overlap (the last line may lack its newline: one slot more).
	// A file that changed since the checksum's pass could overrun them: it is refused.
	rows, bad := make([]Decision, shape.lines+1), make([]colSet, shape.lines+1)
	for i, p := range ps {
		p.reader = newDecisionReader(r.rules, &p.probs, &p.warnings)
		in, limit := first, len(rows)
		if i > 0 {
			in = csvReader(bufio.NewReaderSize(io.NewSectionReader(f, p.start, p.end-p.start), 1<<16))
		}
		if i < len(ps)-1 {
			limit = min(limit, ps[i+1].lines)
		}
		g.Go(func() error {
			changed := false
			var err error
			p.records, err = eachRow(in, p.lines, decisionsFile, header, &p.probs, func(line int, rec []string) {
				slot := p.lines + p.rows
				if changed = changed || slot >= limit; changed {
					return
				}
				rows[slot], bad[slot] = p.reader.parseRow(line, rec)
				p.rows++
			})
			if err == nil && changed {
				err = errChanged
			}
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return 0, err
	}

	// In file order: the parts' rows side by side, their problems and warnings, then
	// the rules across the rows of each decision.
	n, records := 0, 0
	for _, p := range ps {
		copy(rows[n:], rows[p.lines:p.lines+p.rows])
		copy(bad[n:], bad[p.lines:p.lines+p.rows])
		n, records = n+p.rows, records+p.records
		r.probs.list = append(r.probs.list, p.probs.list...)
		r.warnings.merge(&p.warnings)
	}
	clear(rows[n:]) // the rows' old slots
	r.rows, r.bad = rows[:n], bad[:n]
	for i := range n {
		r.link(int32(i))
	}
	return records, nil
}

var errChanged = errors.New(decisionsFile + " changed while it was read")

// cutParts cuts the file into about parts parts, each ending just after a newline
// (the last at the end of the file).
func cutParts(f *os.File, size int64, parts int) ([]*part, error) {
	var ps []*part
	start := int64(0)
	for k := 1; k < parts; k++ {
		guess := size * int64(k) / int64(parts)
		if guess <= start {
			continue
		}
		// The first newline at guess-1 or after: a part starting at guess when the byte
		// before it ends a line.
		end, err := nextLineStart(io.NewSectionReader(f, guess-1, size-guess+1))
		if err != nil {
			return nil, err
		}
		if end < 0 {
			break
		}
		end += guess - 1
		ps = append(ps, &part{start: start, end: end})
		start = end
	}
	return append(ps, &part{start: start, end: size}), nil
}

// nextLineStart is the offset in r just after its first newline; -1 if it has none.
func nextLineStart(r io.Reader) (int64, error) {
	buf := make([]byte, 64<<10)
	var off int64
	for {
		n, err := r.Read(buf)
		if i := bytes.IndexByte(buf[:n], '\n'); i >= 0 {
			return off + int64(i) + 1, nil
		}
		off += int64(n)
		if err == io.EOF {
			return -1, nil
		}
		if err != nil {
			return 0, err
		}
	}
}

func countNewlines(r io.Reader) (int, error) {
	buf := make([]byte, 256<<10)
	count := 0
	for {
		n, err := r.Read(buf)
		count += bytes.Count(buf[:n], []byte{'\n'})
		if err == io.EOF {
			return count, nil
		}
		if err != nil {
			return count, err
		}
	}
}

// csvReader is a CSV reader as readCSV sets it up.
func csvReader(in io.Reader) *csv.Reader {
	r := csv.NewReader(in)
	r.FieldsPerRecord = -1 // the width is checked by eachRow, to report it and go on
	r.ReuseRecord = true
	return r
}
