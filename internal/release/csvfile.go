package release

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"
)

// readCSV checks the header of the CSV file name in dir and hands each row of the
// right width to row, with its line number. Rows that cannot be read or have the
// wrong number of fields become problems and reading goes on, so one bad row does not
// hide the next. It returns how many rows follow the header; a wrong header is a
// problem and stops the file, since no column can then be trusted.
func readCSV(dir, name string, header []string, probs *problems, row func(line int, rec []string)) (int, error) {
	f, err := os.Open(filepath.Join(dir, name))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	r := csvReader(skipBOM(f))
	if ok, err := checkHeader(r, name, header, probs); !ok || err != nil {
		return 0, err
	}
	return eachRow(r, 0, name, header, probs, row)
}

// skipBOM drops the byte order mark spreadsheet programs put before UTF-8 CSV files.
func skipBOM(f io.Reader) io.Reader {
	b := bufio.NewReaderSize(f, 1<<16)
	if bom, _ := b.Peek(3); bytes.Equal(bom, []byte("\ufeff")) {
		_, _ = b.Discard(3)
	}
	return b
}

func checkHeader(r *csv.Reader, name string, header []string, probs *problems) (bool, error) {
	rec, err := r.Read()
	var pe *csv.ParseError
	switch {
	case err == io.EOF:
		probs.addf(name, 1, "-", "empty file, want the header %q", strings.Join(header, ","))
		return false, nil
	case errors.As(err, &pe):
		probs.add(name, 1, "-", "unreadable CSV: "+pe.Err.Error())
		return false, nil
	case err != nil:
		return false, err
	case !slices.Equal(rec, header):
		probs.addf(name, 1, "-", "header is %q, want %q", strings.Join(rec, ","), strings.Join(header, ","))
		return false, nil
	}
	return true, nil
}

// eachRow hands each row of the header's width and of UTF-8 text to row; any other row
// is a problem. Text in another encoding (a spreadsheet's Latin-1, say) would be
// refused by the database at the COPY, with no line to point at. base is the number
// of lines of the file before r's first: lines are numbered in the whole file.
func eachRow(r *csv.Reader, base int, name string, header []string, probs *problems, row func(int, []string)) (int, error) {
	width := len(header)
	for n := 0; ; n++ {
		rec, err := r.Read()
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			if err := rowError(err, base, name, probs); err != nil {
				return n, err
			}
			continue
		}
		line, _ := r.FieldPos(0)
		line += base
		if len(rec) != width {
			probs.addf(name, line, "-", "%d fields, want %d", len(rec), width)
			continue
		}
		if i := slices.IndexFunc(rec, func(f string) bool { return !utf8.ValidString(f) }); i >= 0 {
			probs.add(name, line, header[i], "not UTF-8 text: save the file as UTF-8")
			continue
		}
		row(line, rec)
	}
}

// rowError turns a CSV syntax error into a problem of its line; any other error is
// the file failing to read and is returned.
func rowError(err error, base int, name string, probs *problems) error {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return fmt.Errorf("reading %s: %w", name, err)
	}
	probs.add(name, base+pe.StartLine, "-", "unreadable CSV: "+pe.Err.Error())
	return nil
}
