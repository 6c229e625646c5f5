package ukdata

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/dualuse-transparency/portal/internal/release"
)

// TestWholeSource converts a whole values.csv of the source, given by hand:
//
//	git --git-dir=DIR show f8e49da:values.csv > values.csv
//	git --git-dir=DIR show f8e49da:refusal-criteria.csv > refusal-criteria.csv
//	UKDATA_VALUES=$PWD/values.csv go test -run TestWholeSource -v ./internal/ukdata/
//
// and checks that the importer accepts the release; the report and the importer's
// warnings are logged.
func TestWholeSource(t *testing.T) {
	values := os.Getenv("UKDATA_VALUES")
	if values == "" {
		t.Skip("UKDATA_VALUES is not set: the whole source is not part of the repository")
	}
	dir := filepath.Join(t.TempDir(), "release")
	rep, err := Convert(Options{Values: values, Out: dir, PublishedOn: publishedOn})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("\n%s", rep)
	rel, err := release.Read(dir, loadReference(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(rel.Decisions) != rep.Rows {
		t.Errorf("the importer read %d rows, the report says %d", len(rel.Decisions), rep.Rows)
	}
	for _, w := range rel.Warnings {
		t.Logf("importer warning: %v", w)
	}
}
