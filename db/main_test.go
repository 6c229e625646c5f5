package db_test

import (
	"os"
	"testing"

	"github.com/dualuse-transparency/portal/internal/testdb"
)

func TestMain(m *testing.M) { os.Exit(testdb.Main(m)) }
