package web_test

import (
	"fmt"
	"strings"
)

// aliasedTables is a query of n statistics tables under distinct aliases, each grouped
// by groupBy, with a page of first rows selecting fields.
func aliasedTables(n int, groupBy string, first int, fields string) string {
	var b strings.Builder
	b.WriteString("{")
	for i := range n {
		fmt.Fprintf(&b, " t%d: licenceStatistics(groupBy: [%s], first: %d) { rows { %s } }", i, groupBy, first, fields)
	}
	b.WriteString(" }")
	return b.String()
}
