// Package ukdata converts the United Kingdom's published strategic export licensing
// data into a release of the portal: the UK was a Member State until 31 January 2020,
// so its dual-use licences of 2008 to 2020 are decisions of a Member State. It is pure:
// it reads the source files and writes the release folder, nothing else.
//
// # The source
//
// The UK's Strategic Export Controls database (Department for Business, Innovation and
// Skills) as compiled by Campaign Against Arms Trade in github.com/caatdata/uk-arms-export-data,
// Crown data under the Open Government Licence v3.0. Two of its files are read:
//
//   - values.csv, "Values in GBP, and rating codes of goods approved for export to
//     specific countries" (its README), columns licence_group, date, rating, count,
//     value, country, refused. The last version that could be read is at commit
//     f8e49da05ff6e714ed8835bfc1c27e29ec49c448 (2015-07-29): 96,311 rows dated
//     2008-01-02 to 2015-03-31. Later commits list the file but its content was not
//     available; they are untested.
//   - refusal-criteria.csv, columns licence_group, criteria, description (from 2023
//     licence_cohort_id, criterion, description): the criteria each refused group was
//     refused on, numbered 1 to 8, one row per criterion, sometimes repeated.
//
// # What a row is
//
// Not one licence: one rating of one licence group. A group (CAAT also calls it a
// bundle, and from 2023 a licence cohort, numbering the licences inside it) is one or
// more licences the source lists together, with the same date, destination and
// outcome: every row of a group agrees on those three in the whole file. count is how
// many of the group's licences carry the rating and value their total value for it in
// pounds sterling, for example
//
//	100,2008-01-10,ML10,4,124318,"United States of America",0
//	100,2008-01-10,ML11,2,103452,"United States of America",0
//
// is a group of at least four licences, four with ML10 items worth £124,318 in all, two
// with ML11 items. 89,227 rows count 1, and 90% of the groups count every rating
// once. How many licences a group holds is not given: at least as many as its most
// counted rating, which is the number this package takes. A refused row (refused = 1, 1,411 rows) has no value;
// every other row has one, 0 in 2,529 rows.
//
// The file gives no licence type. Its groups are the standard individual export
// licences (SIELs): they are the only licences the UK publishes values for, every
// issued row has a value, and the group numbers the file skips (12,504 of 1 to 75,912)
// include the trade-control and transit licences listed in sources.csv, none of which
// is in values.csv.
//
// A rating is the UK's control list entry of the items: an Annex I code ("5A002",
// 31,531 rows; all five characters long in this version, but the UK also writes
// sub-items, "5A002a1"), the military list ("ML10", 59,409), a UK national entry
// ("PL5017", "PL9009", 3,965), the WMD end-use control ("End Use", 1,013: "May be
// intended for WMD purposes" in ratings.csv), the military end-use control ("MEND",
// 37), and sanctions or torture-regulation goods ("IRN", "RUS", "HR AIII", ... 356).
//
// # The conversion
//
// Each licence with a dual-use rating (an Annex I code or an end-use control) becomes a
// decision; see Help for every rule, and docs/uk-data.md for the evidence and the
// figures of the whole file.
package ukdata
