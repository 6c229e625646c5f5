package release

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// MetaJSON is release.json as written, for reading and writing it; dates stay strings
// so a bad one is reported by field instead of failing the whole decode.
type MetaJSON struct {
	ID                 string `json:"id"`
	Title              string `json:"title"`
	Description        string `json:"description"`
	PeriodStart        string `json:"periodStart"`
	PeriodEnd          string `json:"periodEnd"`
	PublishedOn        string `json:"publishedOn"`
	Publisher          string `json:"publisher"`
	Source             string `json:"source"`
	Licence            string `json:"licence"`
	MethodologyVersion string `json:"methodologyVersion"`
	Citation           string `json:"citation"`
	Synthetic          bool   `json:"synthetic"`
	URL                string `json:"url,omitempty"`
}

const defaultLicence = "CC-BY-4.0"

// IDPattern is the form of a release id; it keeps ids safe in URLs, file names, table
// names and citations.
var IDPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,63}$`)

// metaCheck validates release.json, remembering the fields already reported so a
// field with the wrong JSON type is not also reported as missing.
type metaCheck struct {
	probs    *problems
	reported map[string]bool
}

func (c *metaCheck) add(field, message string) {
	c.probs.add(metaFile, 0, field, message)
	c.reported[field] = true
}

// readMeta reads release.json; a missing file was already reported by listFiles.
func readMeta(dir string, files []string, probs *problems) (Meta, error) {
	if !slices.Contains(files, metaFile) {
		return Meta{}, nil
	}
	data, err := os.ReadFile(filepath.Join(dir, metaFile))
	if err != nil {
		return Meta{}, err
	}
	c := &metaCheck{probs: probs, reported: map[string]bool{}}
	m, ok := c.decode(data)
	if !ok {
		return Meta{}, nil
	}
	return c.validate(m), nil
}

// decode reads the JSON strictly. encoding/json keeps only the first error of a
// decode, so on failure each field is decoded again on its own to report them all.
func (c *metaCheck) decode(data []byte) (MetaJSON, bool) {
	var m MetaJSON
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	err := dec.Decode(&m)
	var syntax *json.SyntaxError
	switch {
	case err == io.EOF:
		c.add("-", "empty file, want a JSON object")
		return m, false
	case errors.As(err, &syntax) || errors.Is(err, io.ErrUnexpectedEOF):
		c.add("-", "not valid JSON: "+strings.TrimPrefix(fmt.Sprint(err), "json: "))
		return m, false
	case err != nil:
		return m, c.decodeFields(data)
	}
	if _, err := dec.Token(); err != io.EOF {
		c.add("-", "more data after the JSON object")
	}
	return m, true
}

// decodeFields reports, in name order, each field that is unknown or of the wrong type.
func (c *metaCheck) decodeFields(data []byte) bool {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(data, &fields); err != nil {
		c.add("-", "want a JSON object")
		return false
	}
	for _, name := range slices.Sorted(maps.Keys(fields)) {
		one, _ := json.Marshal(map[string]json.RawMessage{name: fields[name]})
		dec := json.NewDecoder(bytes.NewReader(one))
		dec.DisallowUnknownFields()
		if err := dec.Decode(new(MetaJSON)); err != nil {
			c.add(fieldColumn(name), fieldError(err))
		}
	}
	return true
}

var plainField = regexp.MustCompile(`^[A-Za-z0-9_.-]+$`)

// fieldColumn is a field name as a problem's column: quoted unless plain, so that a
// field named "" or with a line break in it still names it, on the problem's one line.
func fieldColumn(name string) string {
	if !plainField.MatchString(name) {
		return strconv.Quote(name)
	}
	return name
}

func fieldError(err error) string {
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) {
		return fmt.Sprintf("want a %s, got a %s", typ.Type, typ.Value)
	}
	if strings.HasPrefix(err.Error(), "json: unknown field") {
		return "unknown field"
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

// validate checks the fields and returns the metadata with defaults filled in.
func (c *metaCheck) validate(m MetaJSON) Meta {
	c.required(m)
	if m.ID != "" && !IDPattern.MatchString(m.ID) {
		c.add("id", fmt.Sprintf("%q is not a release id (lower-case letters, digits, '.', '_', '-'; at most 64)", m.ID))
	}
	meta := Meta{
		ID:                 m.ID,
		Title:              m.Title,
		Description:        m.Description,
		PeriodStart:        c.date("periodStart", m.PeriodStart),
		PeriodEnd:          c.date("periodEnd", m.PeriodEnd),
		PublishedOn:        c.date("publishedOn", m.PublishedOn),
		Publisher:          m.Publisher,
		Source:             m.Source,
		Licence:            cmp.Or(m.Licence, defaultLicence),
		MethodologyVersion: m.MethodologyVersion,
		Citation:           m.Citation,
		Synthetic:          m.Synthetic,
		URL:                m.URL,
	}
	c.period(meta)
	c.synthetic(meta)
	if m.URL != "" && !isWebURL(m.URL) {
		c.add("url", fmt.Sprintf("%q is not an http(s) URL", m.URL))
	}
	return meta
}

func (c *metaCheck) required(m MetaJSON) {
	for _, f := range []struct{ name, value string }{
		{"id", m.ID}, {"title", m.Title}, {"periodStart", m.PeriodStart}, {"periodEnd", m.PeriodEnd},
		{"publishedOn", m.PublishedOn}, {"publisher", m.Publisher}, {"source", m.Source},
		{"methodologyVersion", m.MethodologyVersion},
	} {
		if strings.TrimSpace(f.value) == "" && !c.reported[f.name] {
			c.add(f.name, "required")
		}
	}
}

// date parses a date field; a missing one was reported by required.
func (c *metaCheck) date(field, s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, err := parseDate(s)
	if err != nil {
		c.add(field, err.Error())
	}
	return t
}

func (c *metaCheck) period(m Meta) {
	if hasPeriod(m) && m.PeriodEnd.Before(m.PeriodStart) {
		c.add("periodEnd", fmt.Sprintf("%s is before periodStart %s", day(m.PeriodEnd), day(m.PeriodStart)))
	}
}

// synthetic makes sure synthetic data says so wherever it is shown or cited.
func (c *metaCheck) synthetic(m Meta) {
	if !m.Synthetic {
		return
	}
	if m.Title != "" && !hasWord(m.Title, "synthetic") {
		c.add("title", `a synthetic release must say "synthetic" in its title`)
	}
	if m.Citation != "" && !hasWord(m.Citation, "synthetic") {
		c.add("citation", `a synthetic release must say "synthetic" in its citation`)
	}
}

// CitationText is the text to cite the release by: the given citation, or one made
// from the metadata so every release can be cited the same way.
func (m Meta) CitationText() string {
	if m.Citation != "" {
		return m.Citation
	}
	s := fmt.Sprintf("%s (%d). %s [data set], release %s, published %s. %s.",
		m.Publisher, m.PublishedOn.Year(), m.Title, m.ID, day(m.PublishedOn), m.Licence)
	if m.URL != "" {
		s += " " + m.URL
	}
	return s
}
