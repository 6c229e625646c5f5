package i18n

// messageCatalog holds the notes and explanations the portal writes, keyed by their
// English format. Placeholders keep their order; where German or French needs another
// order they name their argument ("%[2]s"). A translator reads and edits this file;
// TestMessageVerbs checks every translation uses the same verbs on the same arguments.
// Where each format is used: the comment above each group.
var messageCatalog = []Message{
	// internal/disclosure/protector.go: notes of protected measures.
	{"withheld: fewer than %d decisions or %d exporters in this cell, or one exporter makes up more than %s %% of it",
		"zurückgehalten: weniger als %d Entscheidungen oder %d Ausführer in dieser Zelle, oder ein Ausführer macht mehr als %s %% davon aus",
		"non publié : moins de %d décisions ou de %d exportateurs dans cette cellule, ou un exportateur en représente plus de %s %%"},
	{"withheld: fewer than %d (perturbed count)",
		"zurückgehalten: weniger als %d (verrauschte Zahl)",
		"non publié : moins de %d (nombre perturbé)"},
	{"sum of protected parts; parts below %d are left out",
		"Summe geschützter Teile; Teile unter %d sind nicht enthalten",
		"somme de parties protégées ; les parties inférieures à %d sont omises"},
	{"not applicable: no decision in this cell has a known value",
		"entfällt: keine Entscheidung in dieser Zelle hat einen bekannten Wert",
		"sans objet : aucune décision de cette cellule n'a de valeur connue"},
	{"sum of the known values only: %s decisions in this cell (perturbed count) have no value, in whole or in part",
		"nur Summe der bekannten Werte: %s Entscheidungen in dieser Zelle (verrauschte Zahl) haben ganz oder teilweise keinen Wert",
		"somme des seules valeurs connues : %s décisions de cette cellule (nombre perturbé) n'ont pas de valeur, en tout ou en partie"},
	{"fewer than %d", "weniger als %d", "moins de %d"},
	{"computed from perturbed counts", "aus verrauschten Zahlen berechnet", "calculé à partir de nombres perturbés"},
	{"not applicable: the denominator is 0", "entfällt: der Nenner ist 0", "sans objet : le dénominateur est 0"},
	{"withheld because the numerator is withheld", "zurückgehalten, weil der Zähler zurückgehalten ist", "non publié, car le numérateur n'est pas publié"},
	{"withheld because the denominator is withheld", "zurückgehalten, weil der Nenner zurückgehalten ist", "non publié, car le dénominateur n'est pas publié"},
	{"not applicable: an input has no figure", "entfällt: eine Ausgangszahl fehlt", "sans objet : un des chiffres de départ manque"},
	{"difference of two protected figures", "Differenz zweier geschützter Zahlen", "différence de deux chiffres protégés"},
	{"withheld because a figure it is computed from is withheld",
		"zurückgehalten, weil eine Zahl, aus der sie berechnet wird, zurückgehalten ist",
		"non publié, car un chiffre à partir duquel il est calculé n'est pas publié"},

	// db/annual_report.go, db/denials.go, db/statistics.go: notes of measures.
	{"exact difference of two official figures", "exakte Differenz zweier amtlicher Zahlen", "différence exacte de deux chiffres officiels"},
	{"no figure for %d to compare with", "keine Zahl für %d zum Vergleich", "aucun chiffre de %d pour comparer"},
	{"no previous period in this release to compare with", "keine Vorperiode in dieser Ausgabe zum Vergleich", "aucune période précédente dans cette version pour comparer"},
	{"not computed for this view", "für diese Ansicht nicht berechnet", "non calculé pour cette vue"},

	// db/statistics_table.go: notes of a statistics table.
	{"A decision counts once in each row it falls in: a decision on several control entries (or categories, or grounds) is in several rows, so the rows can add up to more than the total.",
		"Eine Entscheidung zählt einmal in jeder Zeile, in die sie fällt: Eine Entscheidung über mehrere Nummern der Kontrollliste (oder Kategorien oder Gründe) steht in mehreren Zeilen, sodass die Zeilen zusammen mehr als die Gesamtzahl ergeben können.",
		"Une décision compte une fois dans chaque ligne où elle figure : une décision portant sur plusieurs rubriques de la liste de contrôle (ou catégories, ou motifs) figure dans plusieurs lignes, de sorte que la somme des lignes peut dépasser le total."},
	{"Rows with a published count of applications below 3 are not listed; their decisions are in the total.",
		"Zeilen mit einer veröffentlichten Zahl von Anträgen unter 3 werden nicht aufgeführt; ihre Entscheidungen sind in der Gesamtzahl enthalten.",
		"Les lignes dont le nombre publié de demandes est inférieur à 3 ne sont pas listées ; leurs décisions sont comprises dans le total."},

	// db/denials.go: the note of a denials table.
	{"Destinations (or regions) with a published count of denials below 3 are not listed, nor grounds cited by a published count below 3.",
		"Bestimmungsländer (oder Regionen) mit einer veröffentlichten Zahl von Ablehnungen unter 3 werden nicht aufgeführt, ebenso wenig Gründe mit einer veröffentlichten Zahl unter 3.",
		"Les destinations (ou régions) dont le nombre publié de refus est inférieur à 3 ne sont pas listées, ni les motifs invoqués par un nombre publié inférieur à 3."},

	// db/annual_report.go: an empty answer explains itself (a year outside the release).
	{"release %s has no decisions in %d: it covers %s to %s",
		"Ausgabe %s enthält keine Entscheidungen aus %d: sie umfasst %s bis %s",
		"la version %s ne contient aucune décision en %d : elle couvre la période du %s au %s"},

	// db/annual_report.go: labels and scope of the computed headline figures.
	{"Licence applications (decisions of any outcome)", "Genehmigungsanträge (Entscheidungen mit beliebigem Ergebnis)", "Demandes d'autorisation (décisions quelle qu'en soit l'issue)"},
	{"Licences issued", "Erteilte Genehmigungen", "Autorisations octroyées"},
	{"Licences denied", "Verweigerte Genehmigungen", "Autorisations refusées"},
	{"Value applied for", "Beantragter Wert", "Valeur demandée"},
	{"Value of licences issued", "Wert der erteilten Genehmigungen", "Valeur des autorisations octroyées"},
	{"decisions in this release", "Entscheidungen in dieser Ausgabe", "décisions de cette version"},

	// db/release_changes.go: descriptions of what changed between two releases.
	{"published", "veröffentlicht", "publié"},
	{"revised from %v to %v %s", "geändert von %v auf %v %s", "révisé de %v à %v %s"},
	{"revised: %s", "geändert: %s", "révisé : %s"},
	{"removed on %s: %s", "am %s gestrichen: %s", "retiré le %s : %s"},
	{"amended on %s: %s", "am %s geändert: %s", "modifié le %s : %s"},
	{"withdrawn", "zurückgezogen", "retiré"},
	{"new item, listed on %s", "neuer Eintrag, gelistet am %s", "nouvel élément, inscrit le %s"},
	{"the item's record was revised", "der Datensatz des Gutes wurde überarbeitet", "la fiche du bien a été révisée"},

	// db/surveillance.go CatchAllNotification.Explanation: the tally, then the outcome.
	{"withdrawn by the notifying state on %s", "am %s vom notifizierenden Staat zurückgezogen", "retirée par l'État notifiant le %s"},
	{"%s; not yet published when this release was", "%s; bei Veröffentlichung dieser Ausgabe noch nicht veröffentlicht", "%s ; pas encore publié lors de la publication de cette version"},
	{"%s when this release was published; the deadline (%s) passed after that, so a later release will tell the outcome",
		"%s bei Veröffentlichung dieser Ausgabe; die Frist (%s) lief danach ab, das Ergebnis nennt eine spätere Ausgabe",
		"%s lors de la publication de cette version ; le délai (%s) a expiré ensuite, une version ultérieure en donnera l'issue"},
	{"%s so far; the review period ends on %s", "%s bisher; der Prüfzeitraum endet am %s", "%s à ce jour ; la période d'examen prend fin le %s"},
	{"%s so far; objections are possible until %s", "%s bisher; Einwände sind bis zum %s möglich", "%s à ce jour ; des objections sont possibles jusqu'au %s"},
	{"%s; the item is to be listed", "%s; das Gut wird gelistet", "%s ; le bien doit être inscrit sur la liste"},
	{"%s; the item was listed on %s", "%s; das Gut wurde am %s gelistet", "%s ; le bien a été inscrit sur la liste le %s"},
	{"%s; the review period ended on %s and nothing was published",
		"%s; der Prüfzeitraum endete am %s, und es wurde nichts veröffentlicht",
		"%s ; la période d'examen a pris fin le %s et rien n'a été publié"},
	{"%s; the item was not listed", "%s; das Gut wurde nicht gelistet", "%s ; le bien n'a pas été inscrit sur la liste"},

	// internal/qmv/qmv.go Tally.Explanation and Rule.
	{"%d of %d states objected (%s %s %d %%), representing %s of their population (%s %d %%)",
		"%d von %d Staaten erhoben Einwände (%s %s %d %%), die %s ihrer Bevölkerung vertreten (%s %d %%)",
		"%d des %d États ont formulé une objection (%s %s %d %%), représentant %s de leur population (%s %d %%)"},
	{", but the %d that did not object are fewer than the %d members a blocking minority needs: a qualified majority is deemed attained",
		", aber die %d Staaten ohne Einwand sind weniger als die %d Mitglieder, die eine Sperrminorität braucht: die qualifizierte Mehrheit gilt als erreicht",
		", mais les %d qui n'ont pas formulé d'objection sont moins nombreux que les %d membres qu'exige une minorité de blocage : la majorité qualifiée est réputée acquise"},
	{": a qualified majority objected", ": eine qualifizierte Mehrheit erhob Einwände", " : une majorité qualifiée a formulé une objection"},
	{": no qualified majority", ": keine qualifizierte Mehrheit", " : pas de majorité qualifiée"},
	{" (Article 238(3)(a) TFEU; %s)", " (Artikel 238 Absatz 3 Buchstabe a AEUV; %s)", " (article 238, paragraphe 3, point a), du TFUE ; %s)"},
	{" (Article 238(3)(a) TFEU; %s; %s)", " (Artikel 238 Absatz 3 Buchstabe a AEUV; %s; %s)", " (article 238, paragraphe 3, point a), du TFUE ; %s ; %s)"},
	{"qualified majority of the other Member States by Article 238(3)(a) TFEU, blocking-minority clause included",
		"qualifizierte Mehrheit der anderen Mitgliedstaaten nach Artikel 238 Absatz 3 Buchstabe a AEUV, einschließlich der Sperrminoritätsklausel",
		"majorité qualifiée des autres États membres selon l'article 238, paragraphe 3, point a), du TFUE, clause de minorité de blocage comprise"},

	// internal/qmv/figures.go: whose population figures a tally used, and why not the year's.
	{"%s, so the figures for %d are used", "%s, daher werden die Zahlen für %d verwendet", "%s ; les chiffres de %d sont donc utilisés"},
	{", the figures for %d lack %s", ", den Zahlen für %d fehlt %s", ", il manque %[2]s dans les chiffres de %[1]d"},
	{"there are no population figures before %d", "es gibt keine Bevölkerungszahlen vor %d", "il n'y a pas de chiffres de population avant %d"},
	{"there are no population figures after %d", "es gibt keine Bevölkerungszahlen nach %d", "il n'y a pas de chiffres de population après %d"},
	{"there are no population figures for %d", "es gibt keine Bevölkerungszahlen für %d", "il n'y a pas de chiffres de population pour %d"},
	{"the figures for %d lack %s", "den Zahlen für %d fehlt %s", "il manque %[2]s dans les chiffres de %[1]d"},
	{"Eurostat population on 1 January %d", "Eurostat-Bevölkerung am 1. Januar %d", "population Eurostat au 1er janvier %d"},
	{"the Council's own figures for %d", "die eigenen Zahlen des Rates für %d", "les chiffres propres du Conseil pour %d"},
	{"the Council's own figures for %d for %s", "die eigenen Zahlen des Rates für %d für %s", "les chiffres propres du Conseil pour %d pour %s"},

	// internal/agreement/agreement.go Tally.Explanation and Rule.
	{"%d of the %d other Member States agreed that the requirement should apply to essentially identical transactions",
		"%d der %d anderen Mitgliedstaaten stimmten zu, dass die Genehmigungspflicht für im Wesentlichen identische Vorgänge gelten sollte",
		"%d des %d autres États membres ont convenu que l'exigence devrait s'appliquer à des opérations essentiellement identiques"},
	{": all Member States agree, so the Commission publishes the item",
		": alle Mitgliedstaaten stimmen zu, daher veröffentlicht die Kommission das Gut",
		" : tous les États membres sont d'accord, la Commission publie donc le bien"},
	{"; not yet %s: publication needs every Member State",
		"; noch nicht %s: die Veröffentlichung erfordert die Zustimmung aller Mitgliedstaaten",
		" ; pas encore %s : la publication exige l'accord de tous les États membres"},
	{": publication needs every Member State",
		": die Veröffentlichung erfordert die Zustimmung aller Mitgliedstaaten",
		" : la publication exige l'accord de tous les États membres"},
	{" (Article 5 of Regulation (EU) 2021/821)", " (Artikel 5 der Verordnung (EU) 2021/821)", " (article 5 du règlement (UE) 2021/821)"},
	{"publication when all Member States agree, by Article 5 of Regulation (EU) 2021/821",
		"Veröffentlichung, wenn alle Mitgliedstaaten zustimmen, nach Artikel 5 der Verordnung (EU) 2021/821",
		"publication lorsque tous les États membres sont d'accord, selon l'article 5 du règlement (UE) 2021/821"},

	// internal/i18n Join: two notes of one figure.
	{"%s; %s", "%s; %s", "%s ; %s"},

	// graph: a name or description the portal ships in English only.
	{"no official translation of this name is shipped: it is given in English",
		"keine amtliche Übersetzung dieses Namens vorhanden: er wird auf Englisch angegeben",
		"aucune traduction officielle de ce nom n'est fournie : il est donné en anglais"},
	{"the wording of Annex I is given in English: no official translation is shipped",
		"der Wortlaut von Anhang I wird auf Englisch angegeben: keine amtliche Übersetzung vorhanden",
		"le libellé de l'annexe I est donné en anglais : aucune traduction officielle n'est fournie"},

	// db/statistics_table.go, db/denials.go: an empty table explains itself (a period outside the release).
	{"release %s has no decisions from %s to %s: it covers %s to %s",
		"Ausgabe %s enthält keine Entscheidungen vom %s bis %s: sie umfasst %s bis %s",
		"la version %s ne contient aucune décision du %s au %s : elle couvre la période du %s au %s"},
	{"no decision in release %s matches the filter",
		"keine Entscheidung der Ausgabe %s entspricht dem Filter",
		"aucune décision de la version %s ne correspond au filtre"},
}
