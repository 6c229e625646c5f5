package web_test

import (
	"archive/zip"
	"encoding/xml"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dualuse-transparency/portal/internal/demodata"
	"github.com/dualuse-transparency/portal/internal/testdb"
	"github.com/dualuse-transparency/portal/internal/web"
)

// csvImport is how the test opens a download in LibreOffice Calc: the CSV filter's
// options as its import dialog sets them (separator comma, quote ", character set
// UTF-8, from line 1, "Format quoted field as text" ticked, which keeps 002 as 002
// while unquoted figures stay numbers). Without that box LibreOffice reads "002" as
// the number 2, as Excel does; the name column beside the code still says Africa.
const csvImport = "CSV:44,34,76,1,,0,true,false,false"

// The downloads open in LibreOffice (headless, converted to .xlsx and read back):
// accents intact, the region codes' zeros kept, one attribute per column, figures as
// numbers. Skipped only where soffice is absent and PORTAL_OFFICE_TESTS_OPTIONAL is set.
func TestDownloadsOpenInLibreOffice(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		if os.Getenv("PORTAL_OFFICE_TESTS_OPTIONAL") != "" {
			t.Skip("soffice is not installed (PORTAL_OFFICE_TESTS_OPTIONAL is set)")
		}
		t.Fatal("soffice (LibreOffice Calc) is not installed: install libreoffice-calc, or set PORTAL_OFFICE_TESTS_OPTIONAL=1 to skip")
	}
	d := testdb.New(t)
	testdb.ImportDemo(t, d, demodata.Options{Seed: 2021821})
	srv := httpServer(t, d, web.Options{})
	dir := t.TempDir()
	files := map[string]string{
		"regions.csv":   "/download/licence-statistics.csv?groupBy=DESTINATION_REGION&years=2022",
		"turkey.csv":    "/download/denials-by-destination.csv?destinations=TR",
		"turkey-de.csv": "/download/licence-statistics.csv?groupBy=DESTINATION&destinations=TR&lang=de",
		"report.csv":    "/download/annual-report/2022.csv",
		"changes.csv":   "/download/annual-report/2022-list-changes.csv?lang=fr",
	}
	want := map[string][][]string{}
	for name, path := range files {
		records, r := readCSV(t, srv.URL, path)
		want[name] = records
		if err := os.WriteFile(filepath.Join(dir, name), []byte(r.body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	args := []string{"-env:UserInstallation=file://" + filepath.Join(dir, "profile"), "--headless", "--infilter=" + csvImport, "--convert-to", "xlsx", "--outdir", filepath.Join(dir, "out")}
	for name := range files {
		args = append(args, filepath.Join(dir, name))
	}
	if out, err := exec.Command(soffice, args...).CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	sheets := map[string][][]xlsxCell{}
	for name, records := range want {
		sheet := readXLSX(t, filepath.Join(dir, "out", strings.TrimSuffix(name, ".csv")+".xlsx"))
		sheets[name] = sheet
		// One attribute per column: the same rows and columns as the CSV, text equal.
		if len(sheet) != len(records) {
			t.Errorf("%s: %d rows in Calc, %d in the CSV", name, len(sheet), len(records))
			continue
		}
		for i, rec := range records {
			for j, v := range rec {
				var got string
				if j < len(sheet[i]) {
					got = sheet[i][j].text
				}
				if got != v && !sameFloat(got, v) && !sameDate(got, v) {
					t.Errorf("%s row %d column %d (%s): Calc has %q, the CSV %q", name, i, j, records[0][j], got, v)
				}
			}
		}
	}
	// Zeros kept, as text; figures are numbers.
	var africa bool
	for _, row := range sheets["regions.csv"][1:] {
		if row[0].text == "002" {
			africa = row[0].kind == "s" && row[1].text == "Africa" && row[2].kind == "n"
		}
		if len(row[0].text) != 3 || row[0].kind != "s" {
			t.Errorf("region %q (%s): want three digits as text", row[0].text, row[0].kind)
		}
	}
	if !africa {
		t.Errorf("no row 002 Africa with text code and numeric applications: %v", sheets["regions.csv"])
	}
	if row := sheets["turkey.csv"][1]; row[0].text != "TR" || row[1].text != "Türkiye" {
		t.Errorf("Türkiye: Calc shows %q", row[:2])
	}
	if row := sheets["turkey-de.csv"][1]; row[1].text != "Türkei" || sheets["turkey-de.csv"][0][0].text != "Bestimmungsland" {
		t.Errorf("Türkei: Calc shows %q, header %q", row[:2], sheets["turkey-de.csv"][0][:2])
	}
	if h := sheets["report.csv"][0]; h[0].text != "section" || len(h) != 25 {
		t.Errorf("the report's header in Calc: %v (the byte order mark must not show)", h)
	}
	if h := sheets["changes.csv"][0]; h[0].text != "Année" {
		t.Errorf("the French header in Calc: %q", h[0].text)
	}
}

type xlsxCell struct {
	text string
	kind string // s: text, n: number, b: boolean
}

// sameDate compares a date as Calc stores it (days since 1899-12-30) with the CSV's
// YYYY-MM-DD: Calc reads the unquoted dates as dates.
func sameDate(serial, date string) bool {
	n, err1 := strconv.Atoi(serial)
	d, err2 := time.Parse(time.DateOnly, date)
	return err1 == nil && err2 == nil && time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n).Equal(d)
}

func sameFloat(a, b string) bool {
	x, err1 := strconv.ParseFloat(a, 64)
	y, err2 := strconv.ParseFloat(b, 64)
	return err1 == nil && err2 == nil && x == y
}

// readXLSX reads the first sheet of an .xlsx file: each row's cells by column, with
// the text of shared strings and the kind of value.
func readXLSX(t *testing.T, path string) [][]xlsxCell {
	t.Helper()
	z, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	read := func(name string, v any) {
		f, err := z.Open(name)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		defer f.Close()
		b, _ := io.ReadAll(f)
		if err := xml.Unmarshal(b, v); err != nil {
			t.Fatalf("%s %s: %v", path, name, err)
		}
	}
	var shared struct {
		SI []struct {
			T string `xml:"t"`
			R []struct {
				T string `xml:"t"`
			} `xml:"r"`
		} `xml:"si"`
	}
	if _, err := z.Open("xl/sharedStrings.xml"); err == nil {
		read("xl/sharedStrings.xml", &shared)
	}
	var sheet struct {
		Rows []struct {
			R int `xml:"r,attr"`
			C []struct {
				Ref string `xml:"r,attr"`
				T   string `xml:"t,attr"`
				V   string `xml:"v"`
				IS  struct {
					T string `xml:"t"`
				} `xml:"is"`
			} `xml:"c"`
		} `xml:"sheetData>row"`
	}
	read("xl/worksheets/sheet1.xml", &sheet)
	var out [][]xlsxCell
	for _, r := range sheet.Rows {
		for len(out) < r.R-1 {
			out = append(out, nil)
		}
		var row []xlsxCell
		for _, c := range r.C {
			col := 0
			for _, ch := range strings.TrimRight(c.Ref, "0123456789") {
				col = col*26 + int(ch-'A'+1)
			}
			for len(row) < col-1 {
				row = append(row, xlsxCell{})
			}
			cell := xlsxCell{text: c.V, kind: "n"}
			switch c.T {
			case "s":
				i, _ := strconv.Atoi(c.V)
				si := shared.SI[i]
				cell.text = si.T
				for _, run := range si.R {
					cell.text += run.T
				}
				cell.kind = "s"
			case "inlineStr", "str":
				cell.text, cell.kind = c.IS.T+c.V, "s"
				if c.T == "str" {
					cell.text = c.V
				}
			case "b":
				cell.kind = "b"
				cell.text = map[string]string{"1": "true", "0": "false"}[c.V]
			}
			row = append(row, cell)
		}
		out = append(out, row)
	}
	return out
}
