package main

import (
	"slices"
	"strconv"
	"strings"
	"testing"
)

// rows makes a table's rows from lines "value,value,...=count" in the order of dims;
// a count of "?" is withheld.
func rows(dims []string, lines ...string) crossTable {
	t := crossTable{dims: dims}
	for _, l := range lines {
		vals, count, _ := strings.Cut(l, "=")
		r := cellRow{vals: map[string]string{}, known: count != "?"}
		for i, v := range strings.Split(vals, ",") {
			r.vals[dims[i]] = v
		}
		if n, err := strconv.Atoi(count); err == nil {
			r.count = float64(n)
		}
		t.rows = append(t.rows, r)
	}
	return t
}

func TestLink(t *testing.T) {
	abc, cd, de := []string{"A", "B", "C"}, []string{"C", "D"}, []string{"D", "E"}
	tests := []struct {
		name   string
		tables []crossTable
		dims   []string
		want   []string // the complete records, as "A=..,B=.." sorted
	}{
		{
			name:   "one table of every dimension: its single rows",
			tables: []crossTable{rows(abc, "a,b,c=1", "a,b,d=4", "x,y,z=?")},
			dims:   abc,
			want:   []string{"A=a,B=b,C=c"},
		},
		{
			name:   "two tables joined on a unique shared value",
			tables: []crossTable{rows(abc, "a,b,c1=1", "a,b,c2=1"), rows(cd, "c1,d1=1", "c2,d2=1")},
			dims:   []string{"A", "B", "C", "D"},
			want:   []string{"A=a,B=b,C=c1,D=d1", "A=a,B=b,C=c2,D=d2"},
		},
		{
			name:   "not joined when the shared value has two rows on one side",
			tables: []crossTable{rows(abc, "a,b,c1=1", "a,b,c2=1"), rows(cd, "c1,d1=1", "c1,d3=1", "c2,d2=1")},
			dims:   []string{"A", "B", "C", "D"},
			want:   []string{"A=a,B=b,C=c2,D=d2"},
		},
		{
			name:   "not joined when a row is no single decision",
			tables: []crossTable{rows(abc, "a,b,c1=1", "a,b,c2=1"), rows(cd, "c1,d1=5", "c2,d2=1")},
			dims:   []string{"A", "B", "C", "D"},
			want:   []string{"A=a,B=b,C=c2,D=d2"},
		},
		{
			name: "a chain: a value learnt from one table links the next",
			tables: []crossTable{rows(abc, "a,b,c1=1", "a,b,c2=1"), rows(cd, "c1,d1=1", "c2,d2=1"),
				rows(de, "d1,e1=1", "d2,e2=1")},
			dims: []string{"A", "B", "C", "D", "E"},
			want: []string{"A=a,B=b,C=c1,D=d1,E=e1", "A=a,B=b,C=c2,D=d2,E=e2"},
		},
		{name: "no table", dims: abc},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, vals := range complete(link(tt.tables), tt.dims) {
				var parts []string
				for _, d := range tt.dims {
					parts = append(parts, d+"="+vals[d])
				}
				got = append(got, strings.Join(parts, ","))
			}
			slices.Sort(got)
			if !slices.Equal(got, tt.want) {
				t.Fatalf("link: %v, want %v", got, tt.want)
			}
		})
	}
}

func TestSubsets(t *testing.T) {
	tests := []struct {
		name string
		size int
		want int
	}{
		{name: "all six", size: 6, want: 1},
		{name: "five of six", size: 5, want: 6},
		{name: "three of six", size: 3, want: 20},
		{name: "none", size: 0, want: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := subsets(fineDims, tt.size)
			if len(got) != tt.want {
				t.Fatalf("subsets of size %d: %d, want %d", tt.size, len(got), tt.want)
			}
			for _, s := range got {
				if len(s) != tt.size || !slices.IsSortedFunc(s, func(a, b string) int {
					return slices.Index(fineDims, a) - slices.Index(fineDims, b)
				}) {
					t.Fatalf("subset %v: wrong size or order", s)
				}
			}
		})
	}
}
