package ukdata

// Help is the text of "portal convert-uk --help": every assumption the conversion
// makes, so that whoever publishes its output can say what the figures are.
const Help = `usage: portal convert-uk --in values.csv --out DIR [--criteria refusal-criteria.csv]
                          [--release-id ID] [--from YYYY-MM-DD] [--to YYYY-MM-DD]

Converts the United Kingdom's published strategic export licensing data, as compiled
by CAAT (github.com/caatdata/uk-arms-export-data: values.csv and refusal-criteria.csv,
Crown data under the Open Government Licence v3.0), into a release folder of the
portal (release.json, licence_decisions.csv, official_figures.csv with its header
only), then prints what it read, wrote and left out. It was written against the
files of commit f8e49da (licences of 2008-01-02 to 2015-03-31), the last version
of values.csv that could be read; later versions are untested.

  --in        values.csv: one row per licence group and rating
  --criteria  refusal-criteria.csv (default: the file of that name beside --in)
  --out       the release folder to write
  --release-id  default uk-dual-use-<first year>-<last year>
  --from, --to  the period, both days included; default: 1 January of the first
              year in the data to its last day

Assumptions:
  - Member State. The United Kingdom was a Member State until 31 January 2020: every
    decision is written with member_state GB. A period past that day is refused
    (give --to 2020-01-31 or earlier); nothing after it is converted.
  - What a row is. A row gives, for one licence group (one or more licences of the
    same date, destination and outcome), one rating, how many of the group's
    licences carry it (count) and their value in GBP (empty when refused). The group
    is taken to hold as many licences as its most counted dual-use rating; licence i
    carries every rating counted at least i times, and a rating's value is shared
    evenly between the licences carrying it. Counts and values per rating are exact;
    which ratings share a licence in such a group is not known.
  - Licence type. The file holds standard individual export licences (SIELs), the
    only licences the UK publishes values for: INDIVIDUAL, or INTRA_EU_TRANSFER when
    the destination was a Member State on the decision date.
  - Decision ids. uk-<licence group>-<licence in the group>. CAAT renumbers its
    groups between versions of the files: an id is stable within one version only,
    which release.json names by the file's SHA-256.
  - Exporters. The UK does not publish exporters. Each decision gets its own
    pseudonym, uk-licence-<group>-<licence>: disclosure rules that count exporters
    see every decision as a separate exporter, so they protect nothing here (the UK
    publishes these licences one by one already).
  - End users: UNKNOWN for every decision; the source does not give them.
  - Ratings. Only dual-use ratings are kept: Annex I codes, written dotted in lower
    case (5A002a1 becomes 5A002.a.1), and the end-use controls: "End Use" (described
    by the source as "May be intended for WMD purposes") becomes catch_all WMD and
    "MEND" catch_all MILITARY_END_USE, each with an empty control entry. Rated items
    are catch_all NONE (a licence with an end-use item is under the catch-all as a
    whole; WMD if both). Military-list (ML), UK national (PL), sanctions and torture
    regulation ratings (IRN, RUS, HR AIII, ...) are left out and counted by kind; a
    licence with no dual-use rating left is not a decision of this release.
  - Values. GBP converted to EUR at the ECB's annual average reference rate for the
    year of the decision (pounds per euro: 2008 0.79628, 2009 0.89094, 2010 0.85784,
    2011 0.86788, 2012 0.81087, 2013 0.84926, 2014 0.80612, 2015 0.72584, 2016
    0.81948, 2017 0.87667, 2018 0.88471, 2019 0.87777, 2020 0.88970), rounded to the
    cent. A refused licence has no value: value_eur is empty (unknown), never 0. A
    value the source gives as 0 is written 0.00.
  - Refusals. Criteria 1 to 8 of the UK's Consolidated Criteria are the eight
    criteria of Common Position 2008/944/CFSP: CRITERION_1 to CRITERION_8. A refused
    licence under an end-use control also gets WMD or MILITARY_END_USE. A refusal
    with no ground at all is left out and counted.
  - Destinations. The source's country names map to ISO codes through a table (XK
    for Kosovo; AN for the Netherlands Antilles until 9 October 2010). Left out and
    counted: licences to the United Kingdom itself (including its continental shelf),
    and to names that are not one country (Channel Islands, "Continental Shelf",
    French Overseas Territory, the Netherlands Antilles after 9 October 2010). A name
    not in the table stops the conversion with the list of such names.

Nothing is written when the input has a problem; the error lists the problems.
`
