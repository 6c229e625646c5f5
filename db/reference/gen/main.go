// Command gen writes db/reference/control_entries.csv from a machine-readable copy of
// Annex I to Regulation (EU) 2021/821 and the list of cyber-surveillance entries, and
// the code list the db tests check the table against (db/testdata).
//
// It is run by hand when a new consolidation of the Annex is taken in, never by
// go generate: its Annex input is not part of this repository. db/reference/README.md
// says where the input comes from and what the validity rule below rests on.
//
//	go run ./db/reference/gen -annex PATH/annex-i-2025-11.csv \
//	    -cyber db/testdata/cyber-surveillance-entries.csv \
//	    -out db/reference/control_entries.csv -codes db/testdata/annex-i-2025-11-codes.csv
package main

import (
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"unicode/utf8"
)

// regimeStart is the day Council Regulation (EC) No 1334/2000 applied, the first day of
// the Community list every later list continues. A code with no later introduction
// known from a primary source is taken as valid from then, and says so.
const regimeStart = "2000-09-28"

// The source and basis texts repeat on every row, so they stay short; README.md in
// db/reference gives the full provenance they stand for.
const (
	regimeBasis  = "regime start: Regulation (EC) No 1334/2000 applied 2000-09-28; not verified per code"
	notUsedBasis = "; \"Not used\" on 2025-11-15, since when not known"
	annexSource  = "Annex I to Regulation (EU) 2021/821, consolidated text 02021R0821-20251115"
	cyberSource  = "Annex I to Regulation (EU) 2021/821, consolidated text 02021R0821-20251115 (short description)"
)

// introduction is an amending act that added entries to Annex I after the regime start:
// the entries it added (each with its sub-items), the day it entered into force, and
// what is and is not verified about it.
type introduction struct {
	codes []string
	all5  bool // every entry numbered x5xx, the EU-wide controls of 2025
	from  string
	basis string
}

var introductions = []introduction{
	{
		codes: []string{"4A005", "4D004", "4E001.c", "5A001.j"},
		from:  "2014-12-31",
		basis: "added by Delegated Regulation (EU) No 1382/2014 (32014R1382), in force 2014-12-31",
	},
	{
		codes: []string{"5A003", "5A004"},
		from:  "2016-11-16",
		basis: "added by Delegated Regulation (EU) 2016/1969 (32016R1969); in-force date not verified",
	},
	{
		codes: []string{"5A004.b", "5D001.e"},
		from:  "2020-12-15",
		basis: "attributed to Delegated Regulation (EU) 2020/1749 (32020R1749); attribution and date not verified",
	},
	{
		codes: []string{"2D352"},
		from:  "2023-01-12",
		basis: "added by Delegated Regulation (EU) 2023/66 (32023R0066), in force 2023-01-12",
	},
	{
		codes: []string{"3D006"},
		from:  "2023-01-12",
		basis: "attributed to Delegated Regulation (EU) 2023/66 (32023R0066), in force 2023-01-12; attribution not verified",
	},
	{
		all5:  true,
		from:  "2025-11-15",
		basis: "added by Delegated Regulation (EU) 2025/2003 (32025R2003), in force 2025-11-15; attributed by subject and x5xx numbering",
	},
}

// covers reports whether the introduction added code, and under which entry.
func (in introduction) covers(code string) (entry string, ok bool) {
	if in.all5 {
		return code[:5], code[2] == '5'
	}
	for _, c := range in.codes {
		if code == c || strings.HasPrefix(code, c+".") {
			return c, true
		}
	}
	return "", false
}

// validFrom is the first day of code and why: the latest introduction that covers it
// (a sub-item is no older than its entry), else the regime start.
func validFrom(code string) (from, basis string) {
	from, basis = regimeStart, regimeBasis
	for _, in := range introductions {
		entry, ok := in.covers(code)
		if !ok || in.from <= from {
			continue
		}
		from, basis = in.from, in.basis
		if entry != code {
			basis = fmt.Sprintf("as its entry %s: %s", entry, in.basis)
		}
	}
	return from, basis
}

var codeFormat = regexp.MustCompile(`^[0-9][A-E][0-9]{3}(\.[a-z0-9]+)*$`)

type annexRow struct{ code, parent, title string }

func main() {
	annex := flag.String("annex", "", "the machine-readable Annex I (annex-i-2025-11.csv)")
	cyber := flag.String("cyber", "db/testdata/cyber-surveillance-entries.csv", "the cyber-surveillance entries with their short descriptions")
	out := flag.String("out", "db/reference/control_entries.csv", "the control entries file to write")
	codes := flag.String("codes", "db/testdata/annex-i-2025-11-codes.csv", "the code list for the tests to write")
	flag.Parse()
	if err := run(*annex, *cyber, *out, *codes); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(annexPath, cyberPath, outPath, codesPath string) error {
	if annexPath == "" {
		return errors.New("-annex is required")
	}
	rows, err := readAnnex(annexPath)
	if err != nil {
		return err
	}
	short, err := readCyber(cyberPath)
	if err != nil {
		return err
	}
	if err := check(rows, short); err != nil {
		return err
	}
	if err := writeFile(outPath, func(w *csv.Writer) error { return writeEntries(w, rows, short) }); err != nil {
		return err
	}
	return writeFile(codesPath, func(w *csv.Writer) error { return writeCodes(w, rows) })
}

// readAnnex reads the rows of the Annex file, in its order.
func readAnnex(path string) ([]annexRow, error) {
	records, err := readCSV(path, "code", "parent_code", "title")
	if err != nil {
		return nil, err
	}
	rows := make([]annexRow, len(records))
	for i, r := range records {
		rows[i] = annexRow{code: r[0], parent: r[1], title: r[2]}
	}
	return rows, nil
}

// readCyber reads the short description of each cyber-surveillance entry, by code.
func readCyber(path string) (map[string]string, error) {
	records, err := readCSV(path, "code", "short_description")
	if err != nil {
		return nil, err
	}
	short := make(map[string]string, len(records))
	for _, r := range records {
		short[r[0]] = r[1]
	}
	return short, nil
}

// readCSV returns the named columns of every record of the file, in that order.
func readCSV(path string, columns ...string) ([][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	index := make([]int, len(columns))
	for i, c := range columns {
		index[i] = -1
		for j, h := range header {
			if h == c {
				index[i] = j
			}
		}
		if index[i] < 0 {
			return nil, fmt.Errorf("%s: no column %q", path, c)
		}
	}
	var out [][]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		row := make([]string, len(index))
		for i, j := range index {
			row[i] = rec[j]
		}
		out = append(out, row)
	}
}

// check refuses an input the database would refuse, or a cyber-surveillance entry the
// Annex does not have.
func check(rows []annexRow, short map[string]string) error {
	seen := make(map[string]bool, len(rows))
	var errs []error
	for _, r := range rows {
		switch {
		case !codeFormat.MatchString(r.code):
			errs = append(errs, fmt.Errorf("code %q: not in the Annex I notation", r.code))
		case seen[r.code]:
			errs = append(errs, fmt.Errorf("code %s: twice", r.code))
		case r.title == "" || utf8.RuneCountInString(r.title) > 300:
			errs = append(errs, fmt.Errorf("code %s: title empty or longer than 300 characters", r.code))
		}
		seen[r.code] = true
	}
	for _, r := range rows {
		if r.parent != "" && (!seen[r.parent] || !strings.HasPrefix(r.code, r.parent+".")) {
			errs = append(errs, fmt.Errorf("code %s: parent %s is not a listed ancestor", r.code, r.parent))
		}
	}
	for code := range short {
		if !seen[code] {
			errs = append(errs, fmt.Errorf("cyber-surveillance entry %s is not in the Annex", code))
		}
	}
	return errors.Join(errs...)
}

func writeEntries(w *csv.Writer, rows []annexRow, short map[string]string) error {
	if err := w.Write([]string{"code", "parent_code", "description", "cyber_surveillance", "valid_from", "valid_to", "source", "valid_from_basis"}); err != nil {
		return err
	}
	for _, r := range rows {
		from, basis := validFrom(r.code)
		if strings.HasPrefix(strings.ToLower(r.title), "not used") {
			basis += notUsedBasis
		}
		description, cyber, source := r.title, "false", annexSource
		if s, ok := short[r.code]; ok {
			description, cyber, source = s, "true", cyberSource
		}
		if err := w.Write([]string{r.code, r.parent, description, cyber, from, "", source, basis}); err != nil {
			return err
		}
	}
	return nil
}

func writeCodes(w *csv.Writer, rows []annexRow) error {
	if err := w.Write([]string{"code", "parent_code"}); err != nil {
		return err
	}
	for _, r := range rows {
		if err := w.Write([]string{r.code, r.parent}); err != nil {
			return err
		}
	}
	return nil
}

// writeFile writes the file whole or, on any error, leaves the old one in place.
func writeFile(path string, write func(*csv.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".gen-*.csv")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	w := csv.NewWriter(tmp)
	if err := write(w); err != nil {
		tmp.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	w.Flush()
	if err := errors.Join(w.Error(), tmp.Close()); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return os.Rename(tmp.Name(), path)
}
