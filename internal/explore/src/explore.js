// The explore page: a world map, a time series and the EU-wide list of
// cyber-surveillance items, each with the table behind it and its download.
//
// It is also a worked example of the portal's public API from a browser. Everything
// it shows comes from two kinds of plain GET request that any program can make:
//
//   GET /graphql?query=…&variables=…       a GraphQL query (see graphql() below)
//   GET /download/licence-statistics.csv?…  the same table as CSV (see downloadURL())
//
// The query string of this page holds the view (see readState() and writeState()), so
// a link to the page shows exactly what its author saw.
//
// Charts are drawn with Observable Plot (https://observablehq.com/plot/), which is
// built on D3; the country shapes are Natural Earth's (public domain), from the
// world-atlas package, read with topojson-client.
import * as Plot from '@observablehq/plot';
import { feature } from 'topojson-client';

import './explore.css';

// ---------------------------------------------------------------------------------
// Every text the page shows, in one object per language: English, German and French.
// The names of countries, regions and Member States, the labels of the API's enum
// values and the notes of figures come from the API itself, in the page's language
// (every query passes $lang). The wording follows the portal's own terms
// (internal/i18n/catalog_labels.go): Ausgabe / version for a release, Güter für
// digitale Überwachung / biens de cybersurveillance, zurückgehalten / non publié.
// ---------------------------------------------------------------------------------

const STRINGS = {
  en: {
    title: 'Explore dual-use export licensing in the EU',
    skip: 'Skip to the figures',
    loading: 'Loading…',
    colon: ': ',
    language: 'Language',
    release: 'Release',
    synthetic: 'Synthetic demonstration data: these are not real licence decisions.',
    cite: 'Cite as',
    permalink: 'release page',
    view: 'What to show',
    measure: 'Figure',
    measures: {
      denials: 'Denials',
      applications: 'Applications',
      denialRate: 'Denial rate',
      issued: 'Licences issued',
    },
    year: 'Year',
    memberState: 'Member State',
    allMemberStates: 'All Member States',
    items: 'Items',
    itemsAll: 'All items',
    itemsCyber: 'Cyber-surveillance items only',
    itemsOther: 'Other items only',
    catchAll: 'Catch-all clause',
    catchAllAny: 'Any (or none)',
    mapHeading: 'By destination',
    mapLabel: (measure, year) => `World map: ${measure} by destination country, ${year}`,
    mapAlternative: 'The table below the map gives the figure of every destination.',
    mapCaption: (measure, year, filters) => `${measure} by destination, ${year}${filters}`,
    mapEmpty: 'No destination has a figure for this selection in this release.',
    offMap: 'Destinations with a figure that are too small to draw at this scale:',
    noFigure: 'no figure',
    withheldLegend: 'withheld',
    seriesHeading: 'Over time, by destination region',
    seriesLabel: (measure) => `Line chart: ${measure} by year and destination region`,
    seriesAlternative: 'The table below the chart gives every point of it.',
    seriesCaption: (filters) => `Applications, licences issued and denials by year and destination region${filters}`,
    seriesGaps: 'A gap in a line is a withheld figure.',
    rateDerived: 'The denial rate here is denials divided by applications, both as published; withheld when either is.',
    region: 'Region',
    noRegion: 'No region',
    destination: 'Destination',
    listHeading: 'The EU-wide list of cyber-surveillance items',
    listDate: 'List as of',
    listCaption: (date, count) => `Items on the list on ${date} (${count})`,
    changesCaption: (from, to, count) => `Changes to the list from ${from} to ${to} (${count})`,
    noChanges: 'No change in this period.',
    item: 'Item',
    origin: 'Origin',
    description: 'Description',
    descriptionInEnglish: 'Descriptions are the English wording of Annex I and of the listings: no official translation is shipped.',
    controlEntry: 'Control entry',
    destinations: 'Destinations',
    everyDestination: 'every destination',
    listedOn: 'Listed on',
    amendedOn: 'Amended on',
    date: 'Date',
    change: 'Change',
    note: 'Note',
    downloadCSV: 'Download this table (CSV)',
    downloadJSON: 'Download the list (JSON)',
    feed: 'Follow the list’s changes (Atom feed)',
    howToRead: 'How to read the figures',
    statusLegend:
      '≈ marks a perturbed count: within a few units of the true count, so that no exporter can be singled out. ' +
      '“withheld” marks a figure not published to protect exporters (never a zero). ' +
      '“official” marks an exact figure published by an authority. “n/a” marks a figure that makes no sense here.',
    statusWord: { PERTURBED: 'perturbed', CONFIDENTIAL: 'withheld', OFFICIAL: 'official', NOT_APPLICABLE: 'n/a' },
    notes: 'Notes',
    filtersNone: '',
    filtersJoin: ', ',
    updated: (what) => `Updated: ${what}.`,
    failed: (what, message) => `Could not load ${what}: ${message}`,
    credits:
      'Country shapes: Natural Earth (public domain), through the world-atlas package. ' +
      'Charts: Observable Plot and D3. Everything on this page comes from the portal’s public API.',
    licences: 'Licences of the software and data on this page',
    api: 'The API',
  },
  de: {
    title: 'Ausfuhrgenehmigungen für Güter mit doppeltem Verwendungszweck in der EU erkunden',
    skip: 'Zu den Zahlen springen',
    loading: 'Wird geladen…',
    colon: ': ',
    language: 'Sprache',
    release: 'Ausgabe',
    synthetic: 'Synthetische Demonstrationsdaten: keine echten Genehmigungsentscheidungen.',
    cite: 'Zitieren als',
    permalink: 'Seite der Ausgabe',
    view: 'Was gezeigt wird',
    measure: 'Kennzahl',
    measures: {
      denials: 'Ablehnungen',
      applications: 'Anträge',
      denialRate: 'Ablehnungsquote',
      issued: 'Erteilte Genehmigungen',
    },
    year: 'Jahr',
    memberState: 'Mitgliedstaat',
    allMemberStates: 'Alle Mitgliedstaaten',
    items: 'Güter',
    itemsAll: 'Alle Güter',
    itemsCyber: 'Nur Güter für digitale Überwachung',
    itemsOther: 'Nur andere Güter',
    catchAll: 'Auffangklausel (Catch-all)',
    catchAllAny: 'Beliebig (oder keine)',
    mapHeading: 'Nach Bestimmungsland',
    mapLabel: (measure, year) => `Weltkarte: ${measure} nach Bestimmungsland, ${year}`,
    mapAlternative: 'Die Tabelle unter der Karte nennt die Zahl jedes Bestimmungslandes.',
    mapCaption: (measure, year, filters) => `${measure} nach Bestimmungsland, ${year}${filters}`,
    mapEmpty: 'Für diese Auswahl hat in dieser Ausgabe kein Bestimmungsland eine Zahl.',
    offMap: 'Bestimmungsländer mit einer Zahl, die in diesem Maßstab zu klein zum Zeichnen sind:',
    noFigure: 'keine Zahl',
    withheldLegend: 'zurückgehalten',
    seriesHeading: 'Im Zeitverlauf, nach Region des Bestimmungslandes',
    seriesLabel: (measure) => `Liniendiagramm: ${measure} nach Jahr und Region des Bestimmungslandes`,
    seriesAlternative: 'Die Tabelle unter dem Diagramm nennt jeden seiner Punkte.',
    seriesCaption: (filters) => `Anträge, erteilte Genehmigungen und Ablehnungen nach Jahr und Region des Bestimmungslandes${filters}`,
    seriesGaps: 'Eine Lücke in einer Linie ist eine zurückgehaltene Zahl.',
    rateDerived:
      'Die Ablehnungsquote ist hier die Zahl der Ablehnungen geteilt durch die Zahl der Anträge, beide wie veröffentlicht; ' +
      'zurückgehalten, wenn eine der beiden zurückgehalten ist.',
    region: 'Region',
    noRegion: 'Keine Region',
    destination: 'Bestimmungsland',
    listHeading: 'Die EU-weite Liste der Güter für digitale Überwachung',
    listDate: 'Liste am',
    listCaption: (date, count) => `Einträge der Liste am ${date} (${count})`,
    changesCaption: (from, to, count) => `Änderungen der Liste vom ${from} bis zum ${to} (${count})`,
    noChanges: 'Keine Änderung in diesem Zeitraum.',
    item: 'Eintrag',
    origin: 'Herkunft',
    description: 'Beschreibung',
    descriptionInEnglish:
      'Die Beschreibungen sind der englische Wortlaut des Anhangs I und der Listungen: eine amtliche Übersetzung liegt nicht vor.',
    controlEntry: 'Nummer der Kontrollliste',
    destinations: 'Bestimmungsländer',
    everyDestination: 'alle Bestimmungsländer',
    listedOn: 'Gelistet am',
    amendedOn: 'Geändert am',
    date: 'Datum',
    change: 'Änderung',
    note: 'Anmerkung',
    downloadCSV: 'Diese Tabelle herunterladen (CSV)',
    downloadJSON: 'Die Liste herunterladen (JSON)',
    feed: 'Änderungen der Liste folgen (Atom-Feed)',
    howToRead: 'So sind die Zahlen zu lesen',
    statusLegend:
      '≈ kennzeichnet eine verrauschte Anzahl: nur wenige Einheiten von der wahren Anzahl entfernt, damit kein Ausführer erkennbar wird. ' +
      '„zurückgehalten“ kennzeichnet eine Zahl, die zum Schutz der Ausführer nicht veröffentlicht wird (nie eine Null). ' +
      '„amtlich“ kennzeichnet eine genaue, von einer Behörde veröffentlichte Zahl. „entfällt“ kennzeichnet eine Zahl, die hier keinen Sinn ergibt.',
    statusWord: { PERTURBED: 'verrauscht', CONFIDENTIAL: 'zurückgehalten', OFFICIAL: 'amtlich', NOT_APPLICABLE: 'entfällt' },
    notes: 'Anmerkungen',
    filtersNone: '',
    filtersJoin: ', ',
    updated: (what) => `Aktualisiert: ${what}.`,
    failed: (what, message) => `${what} konnte nicht geladen werden: ${message}`,
    credits:
      'Ländergrenzen: Natural Earth (gemeinfrei), über das Paket world-atlas. ' +
      'Diagramme: Observable Plot und D3. Alles auf dieser Seite stammt aus der öffentlichen API des Portals.',
    licences: 'Lizenzen der Software und der Daten dieser Seite',
    api: 'Die API',
  },
  fr: {
    title: 'Explorer les autorisations d’exportation de biens à double usage dans l’UE',
    skip: 'Aller aux chiffres',
    loading: 'Chargement…',
    colon: ' : ',
    language: 'Langue',
    release: 'Version',
    synthetic: 'Données de démonstration synthétiques : ce ne sont pas de véritables décisions d’autorisation.',
    cite: 'Citer comme',
    permalink: 'page de la version',
    view: 'Ce qui est affiché',
    measure: 'Indicateur',
    measures: {
      denials: 'Refus',
      applications: 'Demandes',
      denialRate: 'Taux de refus',
      issued: 'Autorisations octroyées',
    },
    year: 'Année',
    memberState: 'État membre',
    allMemberStates: 'Tous les États membres',
    items: 'Biens',
    itemsAll: 'Tous les biens',
    itemsCyber: 'Biens de cybersurveillance uniquement',
    itemsOther: 'Autres biens uniquement',
    catchAll: 'Clause attrape-tout',
    catchAllAny: 'Toutes (ou aucune)',
    mapHeading: 'Par pays de destination',
    mapLabel: (measure, year) => `Carte du monde : ${measure} par pays de destination, ${year}`,
    mapAlternative: 'Le tableau sous la carte donne le chiffre de chaque destination.',
    mapCaption: (measure, year, filters) => `${measure} par pays de destination, ${year}${filters}`,
    mapEmpty: 'Aucune destination n’a de chiffre pour cette sélection dans cette version.',
    offMap: 'Destinations ayant un chiffre, trop petites pour être dessinées à cette échelle :',
    noFigure: 'aucun chiffre',
    withheldLegend: 'non publié',
    seriesHeading: 'Dans le temps, par région de destination',
    seriesLabel: (measure) => `Graphique linéaire : ${measure} par année et région de destination`,
    seriesAlternative: 'Le tableau sous le graphique en donne chaque point.',
    seriesCaption: (filters) => `Demandes, autorisations octroyées et refus par année et région de destination${filters}`,
    seriesGaps: 'Une interruption dans une ligne est un chiffre non publié.',
    rateDerived:
      'Le taux de refus est ici le nombre de refus divisé par le nombre de demandes, tels que publiés ; ' +
      'non publié lorsque l’un des deux ne l’est pas.',
    region: 'Région',
    noRegion: 'Aucune région',
    destination: 'Pays de destination',
    listHeading: 'La liste de l’Union des biens de cybersurveillance',
    listDate: 'Liste au',
    listCaption: (date, count) => `Éléments de la liste au ${date} (${count})`,
    changesCaption: (from, to, count) => `Modifications de la liste du ${from} au ${to} (${count})`,
    noChanges: 'Aucune modification pendant cette période.',
    item: 'Élément',
    origin: 'Origine',
    description: 'Description',
    descriptionInEnglish:
      'Les descriptions sont le libellé anglais de l’annexe I et des inscriptions : aucune traduction officielle n’est fournie.',
    controlEntry: 'Rubrique de la liste de contrôle',
    destinations: 'Destinations',
    everyDestination: 'toutes les destinations',
    listedOn: 'Inscrit le',
    amendedOn: 'Modifié le',
    date: 'Date',
    change: 'Modification',
    note: 'Remarque',
    downloadCSV: 'Télécharger ce tableau (CSV)',
    downloadJSON: 'Télécharger la liste (JSON)',
    feed: 'Suivre les modifications de la liste (flux Atom)',
    howToRead: 'Comment lire les chiffres',
    statusLegend:
      '≈ signale un nombre perturbé : à quelques unités près du nombre réel, pour qu’aucun exportateur ne puisse être identifié. ' +
      '« non publié » signale un chiffre retenu pour protéger les exportateurs (jamais un zéro). ' +
      '« officiel » signale un chiffre exact publié par une autorité. « s. o. » (sans objet) signale un chiffre qui n’a pas de sens ici.',
    statusWord: { PERTURBED: 'perturbé', CONFIDENTIAL: 'non publié', OFFICIAL: 'officiel', NOT_APPLICABLE: 's. o.' },
    notes: 'Remarques',
    filtersNone: '',
    filtersJoin: ', ',
    updated: (what) => `Mis à jour : ${what}.`,
    failed: (what, message) => `Impossible de charger ${what} : ${message}`,
    credits:
      'Contours des pays : Natural Earth (domaine public), par le paquet world-atlas. ' +
      'Graphiques : Observable Plot et D3. Tout ce qui figure sur cette page provient de l’API publique du portail.',
    licences: 'Licences des logiciels et des données de cette page',
    api: 'L’API',
  },
};

// The languages of the switcher, each named in its own language.
const LANGUAGES = [
  ['en', 'English'],
  ['de', 'Deutsch'],
  ['fr', 'Français'],
];

// A language code as the URL may hold it ("DE", "fr-BE", "de_AT"): its base, lower case.
const baseLanguage = (code) => (code || '').trim().toLowerCase().split(/[-_]/)[0];

// The page's language: the server chose it from ?lang= or, without one, from the
// browser's Accept-Language, and put it on <main data-lang>. English is the fallback.
const requestedLang = baseLanguage(new URLSearchParams(window.location.search).get('lang'));
const servedLang = baseLanguage(document.getElementById('main').dataset.lang);
const lang = STRINGS[servedLang] ? servedLang : STRINGS[requestedLang] ? requestedLang : 'en';
const t = STRINGS[lang];
// The language is part of the view's URL only when the URL named it (a deep link, or
// the switcher): a link without it follows its reader's browser.
const langInURL = requestedLang === lang;

// ---------------------------------------------------------------------------------
// Where things are: the page's <main> element carries the addresses the server gave.
// ---------------------------------------------------------------------------------

const main = document.getElementById('main');
const config = {
  endpoint: new URL(main.dataset.endpoint || '/graphql', window.location.href),
  downloads: new URL(main.dataset.downloads || '/download/', window.location.href),
  feed: new URL(main.dataset.feed || '/feeds/surveillance-list.atom', window.location.href),
  atlas: main.dataset.atlas,
  licences: main.dataset.licences,
  // The page's Content-Security-Policy allows <style> elements only with this nonce:
  // Observable Plot puts one in every chart it draws.
  nonce: main.dataset.nonce,
};

// ---------------------------------------------------------------------------------
// The API. A GraphQL query over GET is a URL: the query and its variables (JSON) as
// parameters. GET answers can be cached by the browser and by the portal, and the same
// URL is the same answer for a release.
// ---------------------------------------------------------------------------------

const answers = new Map(); // URL → Promise of the data, so that no query is made twice

async function graphql(query, variables = {}) {
  const url = new URL(config.endpoint);
  url.searchParams.set('query', query.replace(/\s+/g, ' ').trim());
  // Every query that declares $lang gets the page's language: names, labels and notes
  // come back in it.
  const vars = /\$lang\b/.test(query) ? { ...variables, lang: lang.toUpperCase() } : variables;
  url.searchParams.set('variables', JSON.stringify(vars));
  if (!answers.has(url.href)) {
    const answer = fetch(url, { headers: { Accept: 'application/graphql-response+json, application/json' } }).then(
      async (response) => {
        let body;
        try {
          body = await response.json();
        } catch {
          throw new Error(`HTTP ${response.status}`);
        }
        // A GraphQL answer lists its errors by message; the figures are in data.
        if (body.errors && body.errors.length > 0) throw new Error(body.errors.map((e) => e.message).join('; '));
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        return body.data;
      },
    );
    answers.set(url.href, answer);
    answer.catch(() => answers.delete(url.href)); // try again next time
  }
  return answers.get(url.href);
}

// A table of the API comes a page at a time: follow pageInfo.endCursor to the end.
async function wholeTable(query, field, variables) {
  let table = null;
  let after = null;
  do {
    const page = (await graphql(query, { ...variables, after }))[field];
    table = table ? { ...table, rows: table.rows.concat(page.rows) } : page;
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (after);
  return table;
}

// The CSV downloads take the query's arguments as URL parameters: the filter's fields
// by name, lists comma-separated, and lang (en, de, fr) for the language of the header,
// the names and the labels. They refuse a parameter they do not know (the JSON
// download of the list takes no lang).
function downloadURL(file, parameters, { withLang = true } = {}) {
  const url = new URL(file, config.downloads);
  if (withLang) url.searchParams.set('lang', lang);
  for (const [name, value] of Object.entries(parameters)) {
    if (value === undefined || value === null || value === '') continue;
    url.searchParams.set(name, Array.isArray(value) ? value.join(',') : String(value));
  }
  return url.href;
}

// Every figure of the API is a Measure: { value, status, note }. A withheld value is
// null with status CONFIDENTIAL; it must never be shown (or summed) as 0.
// The note (why a value is withheld, how it was derived) is in the page's language.
const MEASURE = 'value status note(lang: $lang)';

const RELEASE = 'id title citation permalink synthetic periodStart periodEnd';

// ---------------------------------------------------------------------------------
// The view, and the URL that holds it.
// ---------------------------------------------------------------------------------

const MEASURES = ['denials', 'applications', 'denialRate'];
const ITEMS = ['', 'cyber', 'other'];

// The view from the page's URL; checked against what the API offers in start().
function readState() {
  const q = new URLSearchParams(window.location.search);
  return {
    release: q.get('release') || '',
    measure: q.get('measure') || 'denials',
    year: Number(q.get('year')) || 0,
    memberState: q.get('memberState') || '',
    items: q.get('items') || '',
    catchAll: q.get('catchAll') || '',
    asOf: q.get('asOf') || '',
  };
}

// The URL of the view: replaces the page's URL, without a reload or a history entry.
function writeState(state) {
  const q = new URLSearchParams();
  if (langInURL) q.set('lang', lang);
  for (const [name, value] of Object.entries(state)) {
    if (value !== '' && value !== 0) q.set(name, String(value));
  }
  window.history.replaceState(null, '', `${window.location.pathname}?${q}`);
}

// The API's StatisticsFilter for the view, for one year or for every year.
function filterOf(state, { withYear }) {
  const filter = {};
  if (withYear) filter.years = [state.year];
  if (state.memberState) filter.memberStates = [state.memberState];
  if (state.items === 'cyber') filter.cyberSurveillance = true;
  if (state.items === 'other') filter.cyberSurveillance = false;
  if (state.catchAll) filter.catchAlls = [state.catchAll];
  return filter;
}

// The filter in words, for captions: ", Germany, cyber-surveillance items only".
function filterWords(state) {
  const words = [];
  if (state.memberState) words.push(reference.memberStateNames.get(state.memberState) || state.memberState);
  if (state.items === 'cyber') words.push(t.itemsCyber);
  if (state.items === 'other') words.push(t.itemsOther);
  if (state.catchAll) words.push(`${t.catchAll}${t.colon}${reference.catchAllLabels.get(state.catchAll) || state.catchAll}`);
  return words.length ? t.filtersJoin + words.join(t.filtersJoin) : t.filtersNone;
}

// ---------------------------------------------------------------------------------
// Small helpers to build the page.
// ---------------------------------------------------------------------------------

// el('p', { class: 'x' }, 'text', child) makes an element. Text is always text, never HTML.
function el(name, attributes = {}, ...children) {
  const e = document.createElement(name);
  for (const [key, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== null && value !== false) e.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child !== undefined && child !== null && child !== false) e.append(child);
  }
  return e;
}

const numberFormat = new Intl.NumberFormat(lang);
const percentFormat = new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 1 });
const format = (value, kind) => (kind === 'percent' ? percentFormat.format(value) : numberFormat.format(value));
const dateFormat = new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: 'UTC' });
const formatDate = (iso) => (iso ? dateFormat.format(new Date(`${iso}T00:00:00Z`)) : '');

// A figure as text, with its status: "≈ 12", "withheld", "12 (official)", "n/a".
function measureText(m, kind) {
  switch (m.status) {
    case 'CONFIDENTIAL':
      return t.statusWord.CONFIDENTIAL;
    case 'NOT_APPLICABLE':
      return t.statusWord.NOT_APPLICABLE;
    case 'OFFICIAL':
      return `${format(m.value, kind)} (${t.statusWord.OFFICIAL})`;
    default:
      return m.value === null ? t.statusWord.CONFIDENTIAL : `≈ ${format(m.value, kind)}`;
  }
}

// A table cell of a figure. data-value and data-status hold the figure as the API gave
// it, for scripts (and the page's tests) that read the table.
function measureCell(m, kind) {
  return el(
    'td',
    { class: `num status-${m.status.toLowerCase()}`, 'data-value': m.value === null ? '' : String(m.value), 'data-status': m.status, title: m.note },
    measureText(m, kind),
  );
}

// A real <table> with a caption, column headers and a header cell per row, in a
// scrollable region that the keyboard can reach.
function dataTable({ id, caption, columns, rows }) {
  const captionId = `${id}-caption`;
  const table = el(
    'table',
    { id },
    el('caption', { id: captionId }, caption),
    el('thead', {}, el('tr', {}, columns.map((c) => el('th', { scope: 'col', class: c.kind ? 'num' : undefined }, c.label)))),
    el(
      'tbody',
      {},
      rows.map((row) =>
        el(
          'tr',
          {},
          columns.map((c, i) => {
            if (c.kind) return measureCell(c.get(row), c.kind);
            return el(i === 0 ? 'th' : 'td', { scope: i === 0 ? 'row' : undefined, lang: c.lang }, c.get(row));
          }),
        ),
      ),
    ),
  );
  return el('div', { class: 'table-wrap', role: 'region', 'aria-labelledby': captionId, tabindex: '0' }, table);
}

// The notes of a table's figures (why a value is withheld, how it was derived), once each.
function notesOf(rows, measures) {
  const notes = new Set();
  for (const row of rows) for (const get of measures) if (get(row).note) notes.add(get(row).note);
  if (notes.size === 0) return null;
  return el('details', { class: 'notes' }, el('summary', {}, t.notes), el('ul', {}, [...notes].sort().map((n) => el('li', {}, n))));
}

// "Cite as …" for the release an answer came from.
function citation(release) {
  return el(
    'p',
    { class: 'cite' },
    `${t.cite}${t.colon}`,
    el('cite', {}, release.citation),
    ' (',
    el('a', { href: new URL(release.permalink, config.endpoint).href, 'data-release': release.id }, t.permalink),
    ')',
  );
}

// Observable Plot adds a <style> element to each chart: it needs the policy's nonce,
// set before the chart enters the document.
function withNonce(chart) {
  for (const style of chart.querySelectorAll('style')) style.setAttribute('nonce', config.nonce);
  if (chart.tagName.toLowerCase() === 'style') chart.setAttribute('nonce', config.nonce);
  return chart;
}

// Announces a change to screen readers (the status element is aria-live).
function announce(text) {
  document.getElementById('announce').textContent = text;
}

function showError(section, what, error) {
  section.body.replaceChildren(el('p', { class: 'error', role: 'alert' }, t.failed(what, error.message)));
}

// ---------------------------------------------------------------------------------
// Reference data: fetched once.
// ---------------------------------------------------------------------------------

const reference = {
  releases: [],
  memberStateNames: new Map(),
  catchAlls: [],
  catchAllLabels: new Map(),
};

async function loadReference(release) {
  // Member States now and at the start of the release (the United Kingdom until 2020),
  // and the catch-all clauses with their labels, all in the page's language.
  const data = await graphql(
    `query Reference($start: Date, $lang: Lang) {
      now: memberStates { code name(lang: $lang) }
      then: memberStates(asOf: $start) { code name(lang: $lang) }
      catchAlls: enumLabels(enum: "CatchAll", lang: $lang) { value label }
    }`,
    { start: release.periodStart },
  );
  for (const ms of [...data.now, ...data.then]) reference.memberStateNames.set(ms.code, ms.name);
  reference.catchAlls = data.catchAlls.map((v) => v.value);
  reference.catchAllLabels = new Map(data.catchAlls.map((v) => [v.value, v.label]));
}

// The country shapes, fetched when the map is first drawn (from this site).
let atlasPromise = null;
function countryShapes() {
  if (!atlasPromise) {
    atlasPromise = fetch(config.atlas)
      .then((response) => {
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        return response.json();
      })
      .then((topology) => feature(topology, topology.objects.countries).features);
    atlasPromise.catch(() => (atlasPromise = null));
  }
  return atlasPromise;
}

// ---------------------------------------------------------------------------------
// The map: one year, by destination country.
// ---------------------------------------------------------------------------------

// Denials and the denial rate come from denialsByDestination (a row per destination
// with a denial in the period, with applications and the rate beside the denials).
const DENIALS_QUERY = `query DenialsByDestination($release: ID, $filter: StatisticsFilter, $after: String, $lang: Lang) {
  denialsByDestination(release: $release, filter: $filter, first: 1000, after: $after) {
    release { ${RELEASE} }
    period { start end }
    rows {
      destination { code name(lang: $lang) numericCode }
      denials { ${MEASURE} }
      applications { ${MEASURE} }
      denialRate { ${MEASURE} }
    }
    notes(lang: $lang)
    pageInfo { hasNextPage endCursor }
  }
}`;

// Applications come from the table builder, licenceStatistics, grouped by destination:
// every destination with an application, denied or not.
const APPLICATIONS_QUERY = `query ApplicationsByDestination($release: ID, $filter: StatisticsFilter, $after: String, $lang: Lang) {
  licenceStatistics(release: $release, filter: $filter, groupBy: [DESTINATION],
                    orderBy: [{ by: APPLICATIONS }], first: 1000, after: $after) {
    release { ${RELEASE} }
    rows {
      destination { code name(lang: $lang) numericCode }
      applications { ${MEASURE} }
      issued { ${MEASURE} }
      denials { ${MEASURE} }
    }
    notes(lang: $lang)
    pageInfo { hasNextPage endCursor }
  }
}`;

async function loadMap(state) {
  const filter = filterOf(state, { withYear: true });
  const variables = { release: state.release, filter };
  const params = { release: state.release, ...filter };
  if (state.measure === 'applications') {
    const table = await wholeTable(APPLICATIONS_QUERY, 'licenceStatistics', variables);
    return {
      table,
      csv: downloadURL('licence-statistics.csv', { ...params, groupBy: 'DESTINATION', orderBy: 'APPLICATIONS' }),
      columns: [
        { label: t.destination, get: (r) => r.destination.name },
        { label: t.measures.applications, kind: 'count', get: (r) => r.applications },
        { label: t.measures.issued, kind: 'count', get: (r) => r.issued },
        { label: t.measures.denials, kind: 'count', get: (r) => r.denials },
      ],
    };
  }
  const table = await wholeTable(DENIALS_QUERY, 'denialsByDestination', variables);
  return {
    table,
    csv: downloadURL('denials-by-destination.csv', params),
    columns: [
      { label: t.destination, get: (r) => r.destination.name },
      { label: t.measures.denials, kind: 'count', get: (r) => r.denials },
      { label: t.measures.applications, kind: 'count', get: (r) => r.applications },
      { label: t.measures.denialRate, kind: 'percent', get: (r) => r.denialRate },
    ],
  };
}

async function drawMap(section, state, view) {
  const shapes = await countryShapes();
  const { table } = view;
  const measure = state.measure;
  const kind = measure === 'denialRate' ? 'percent' : 'count';
  const label = t.measures[measure];

  // Join the API's rows to the shapes by ISO 3166-1 numeric code, which the API gives
  // for each country (the atlas has no alpha-2 codes).
  const rowByNumeric = new Map(table.rows.filter((r) => r.destination.numericCode).map((r) => [r.destination.numericCode, r]));
  const published = [];
  const withheld = [];
  for (const shape of shapes) {
    const row = rowByNumeric.get(shape.id);
    if (!row) continue;
    (row[measure].value === null ? withheld : published).push({ shape, row, m: row[measure] });
  }
  const drawn = new Set(shapes.map((s) => s.id));
  const offMap = table.rows.filter((r) => r[measure].value !== null && !drawn.has(r.destination.numericCode));

  const width = Math.max(280, section.chart.clientWidth || 640);
  const chart = Plot.plot({
    width,
    projection: 'equal-earth',
    ariaLabel: t.mapLabel(label, state.year),
    ariaDescription: t.mapAlternative,
    color: {
      legend: true,
      label,
      scheme: measure === 'applications' ? 'blues' : 'oranges',
      type: kind === 'percent' ? 'linear' : 'sqrt',
      domain: kind === 'percent' ? [0, Math.max(0.01, ...published.map((d) => d.m.value))] : undefined,
      tickFormat: (v) => format(v, kind),
      zero: true,
    },
    marks: [
      Plot.sphere({ fill: '#eef3f7', stroke: '#c9d4dd' }),
      // Every country, in grey: no figure.
      Plot.geo(shapes, { fill: '#dedede', stroke: '#ffffff', strokeWidth: 0.5, ariaHidden: true }),
      // Countries whose figure is withheld: darker grey, never the colour of 0.
      Plot.geo(withheld, {
        geometry: (d) => d.shape,
        fill: '#8c8c8c',
        stroke: '#ffffff',
        strokeWidth: 0.5,
        className: 'withheld',
        title: (d) => `${d.row.destination.name}${t.colon}${t.statusWord.CONFIDENTIAL}`,
      }),
      // Countries with a published figure, coloured by it.
      Plot.geo(published, {
        geometry: (d) => d.shape,
        fill: (d) => d.m.value,
        stroke: '#ffffff',
        strokeWidth: 0.5,
        className: 'with-data',
        title: (d) => `${d.row.destination.name}${t.colon}${measureText(d.m, kind)}`,
      }),
    ],
  });
  const svg = chart.tagName.toLowerCase() === 'svg' ? chart : chart.querySelector('svg[aria-label]');
  if (svg) svg.setAttribute('aria-describedby', 'map-table-caption');

  const legend = el(
    'ul',
    { class: 'swatches', 'aria-hidden': 'true' },
    el('li', {}, el('span', { class: 'swatch swatch-withheld' }), t.withheldLegend),
    el('li', {}, el('span', { class: 'swatch swatch-none' }), t.noFigure),
  );
  section.chart.replaceChildren(withNonce(chart), legend);
  section.chart.dataset.width = String(width);
  if (offMap.length > 0) {
    section.chart.append(
      el(
        'p',
        { class: 'off-map' },
        `${t.offMap} `,
        offMap.map((r, i) => [i ? ', ' : '', el('span', { 'data-code': r.destination.code }, `${r.destination.name} (${measureText(r[measure], kind)})`)]),
      ),
    );
  }
}

// ---------------------------------------------------------------------------------
// The time series: every year of the release, by UN M49 destination region.
// ---------------------------------------------------------------------------------

const SERIES_QUERY = `query SeriesByRegion($release: ID, $filter: StatisticsFilter, $after: String, $lang: Lang) {
  licenceStatistics(release: $release, filter: $filter, groupBy: [YEAR, DESTINATION_REGION], first: 1000, after: $after) {
    release { ${RELEASE} }
    rows {
      year
      destinationRegion { code name(lang: $lang) }
      applications { ${MEASURE} }
      issued { ${MEASURE} }
      denials { ${MEASURE} }
    }
    notes(lang: $lang)
    pageInfo { hasNextPage endCursor }
  }
}`;

// The denial rate of a row from its published counts, as the API computes it for the
// denials table: withheld when either count is.
function rateOf(row) {
  const { denials, applications } = row;
  if (denials.value === null || applications.value === null) return { value: null, status: 'CONFIDENTIAL', note: null };
  if (applications.value === 0) return { value: null, status: 'NOT_APPLICABLE', note: null };
  return { value: denials.value / applications.value, status: 'PERTURBED', note: null };
}

async function loadSeries(state) {
  const filter = filterOf(state, { withYear: false });
  const table = await wholeTable(SERIES_QUERY, 'licenceStatistics', { release: state.release, filter });
  return {
    table,
    csv: downloadURL('licence-statistics.csv', { release: state.release, ...filter, groupBy: 'YEAR,DESTINATION_REGION' }),
    columns: [
      { label: t.year, get: (r) => String(r.year) },
      { label: t.region, get: (r) => (r.destinationRegion ? r.destinationRegion.name : t.noRegion) },
      { label: t.measures.applications, kind: 'count', get: (r) => r.applications },
      { label: t.measures.issued, kind: 'count', get: (r) => r.issued },
      { label: t.measures.denials, kind: 'count', get: (r) => r.denials },
    ],
  };
}

function drawSeries(section, state, view) {
  const measure = state.measure;
  const kind = measure === 'denialRate' ? 'percent' : 'count';
  const label = t.measures[measure];
  const points = view.table.rows.map((row) => {
    const m = measure === 'denialRate' ? rateOf(row) : row[measure];
    return { year: row.year, region: row.destinationRegion ? row.destinationRegion.name : t.noRegion, m, value: m.value };
  });
  const years = [...new Set(points.map((p) => p.year))].sort();
  const width = Math.max(280, section.chart.clientWidth || 640);
  const chart = Plot.plot({
    width,
    height: Math.min(360, Math.max(220, width * 0.45)),
    marginLeft: 56,
    ariaLabel: t.seriesLabel(label),
    ariaDescription: t.seriesAlternative,
    x: { label: t.year, ticks: years, tickFormat: (y) => String(y) },
    y: { label, grid: true, zero: true, tickFormat: (v) => format(v, kind) },
    color: { legend: true, scheme: 'tableau10' },
    marks: [
      Plot.ruleX([state.year], { stroke: '#888888', strokeDasharray: '4,3' }),
      // A withheld point has no value: the line breaks there instead of dropping to 0.
      Plot.lineY(points, {
        x: 'year',
        y: 'value',
        stroke: 'region',
        marker: 'circle',
        className: 'series',
        title: (p) => `${p.region}, ${p.year}${t.colon}${measureText(p.m, kind)}`,
      }),
    ],
  });
  const svg = chart.tagName.toLowerCase() === 'svg' ? chart : chart.querySelector('svg[aria-label]');
  if (svg) svg.setAttribute('aria-describedby', 'series-table-caption');
  const notes = [t.seriesGaps];
  if (measure === 'denialRate') notes.push(t.rateDerived);
  section.chart.replaceChildren(withNonce(chart), el('p', { class: 'chart-note' }, notes.join(' ')));
  section.chart.dataset.width = String(width);
}

// ---------------------------------------------------------------------------------
// The EU-wide list of cyber-surveillance items on a date, and its changes that year.
// ---------------------------------------------------------------------------------

const LIST_QUERY = `query List($release: ID, $asOf: Date, $from: Date!, $to: Date!, $lang: Lang) {
  surveillanceList(release: $release, asOf: $asOf) {
    release { ${RELEASE} }
    asOf
    version
    items {
      id origin originLabel(lang: $lang) description
      controlEntry { code }
      destinations { code name(lang: $lang) }
      listedOn amendedOn
    }
  }
  surveillanceListChanges(release: $release, from: $from, to: $to) {
    date kind kindLabel(lang: $lang) note
    item { id description }
  }
}`;

async function loadList(state) {
  const from = `${state.asOf.slice(0, 4)}-01-01`;
  const data = await graphql(LIST_QUERY, { release: state.release, asOf: state.asOf, from, to: state.asOf });
  return { ...data, from };
}

function renderList(section, state, data) {
  const list = data.surveillanceList;
  // Descriptions and notes of the list are recorded in English: marked so for screen readers.
  const textLang = lang === 'en' ? undefined : 'en';
  const destinations = (item) => (item.destinations.length ? item.destinations.map((d) => d.name).join(', ') : t.everyDestination);
  const params = { release: state.release, asOf: state.asOf };
  const changes = data.surveillanceListChanges;
  section.body.replaceChildren(
    dataTable({
      id: 'list-table',
      caption: t.listCaption(formatDate(list.asOf), list.items.length),
      columns: [
        { label: t.item, get: (i) => i.id },
        { label: t.origin, get: (i) => i.originLabel || i.origin },
        { label: t.description, get: (i) => i.description, lang: textLang },
        { label: t.controlEntry, get: (i) => (i.controlEntry ? i.controlEntry.code : '') },
        { label: t.destinations, get: destinations },
        { label: t.listedOn, get: (i) => i.listedOn },
        { label: t.amendedOn, get: (i) => i.amendedOn || '' },
      ],
      rows: list.items,
    }),
    el(
      'p',
      { class: 'downloads' },
      el('a', { href: downloadURL('surveillance-list.csv', params), class: 'csv', download: true }, t.downloadCSV),
      ' · ',
      el('a', { href: downloadURL('surveillance-list.json', params, { withLang: false }), download: true }, t.downloadJSON),
      ' · ',
      el('a', { href: config.feed.href, type: 'application/atom+xml' }, t.feed),
    ),
    changes.length
      ? dataTable({
          id: 'changes-table',
          caption: t.changesCaption(formatDate(data.from), formatDate(state.asOf), changes.length),
          columns: [
            { label: t.date, get: (c) => c.date },
            { label: t.change, get: (c) => c.kindLabel || c.kind },
            { label: t.item, get: (c) => c.item.id },
            { label: t.description, get: (c) => c.item.description, lang: textLang },
            { label: t.note, get: (c) => c.note || '', lang: textLang },
          ],
          rows: changes,
        })
      : el('p', { id: 'changes-table' }, `${t.changesCaption(formatDate(data.from), formatDate(state.asOf), 0)}${t.colon}${t.noChanges}`),
    // Descriptions are recorded texts, in English only: say so in another language.
    lang === 'en' ? '' : el('p', { class: 'note' }, t.descriptionInEnglish),
    citation(list.release),
  );
}

// ---------------------------------------------------------------------------------
// The page: controls, three sections, and what happens when a control changes.
// ---------------------------------------------------------------------------------

function select(id, label, options, value) {
  return el(
    'div',
    { class: 'control' },
    el('label', { for: id }, label),
    el('select', { id, name: id }, options.map(([v, text]) => el('option', { value: v, selected: v === value }, text))),
  );
}

function section(id, heading) {
  const chart = el('div', { class: 'chart' });
  const body = el('div', { class: 'body' }, el('p', { class: 'loading' }, t.loading));
  const element = el('section', { id, 'aria-labelledby': `${id}-heading`, 'aria-busy': 'true' }, el('h2', { id: `${id}-heading` }, heading), chart, body);
  return { element, chart, body, seq: 0, view: null };
}

// Loads a section's data and draws it; an answer that arrives after a newer request
// for the same section is dropped.
async function refresh(s, load, draw, what) {
  const seq = ++s.seq;
  s.element.setAttribute('aria-busy', 'true');
  try {
    const view = await load();
    if (seq !== s.seq) return;
    s.view = view;
    await draw(view);
    if (seq !== s.seq) return;
    s.element.setAttribute('aria-busy', 'false');
    s.element.dataset.loaded = String(seq);
    announce(t.updated(what));
  } catch (error) {
    if (seq !== s.seq) return;
    s.element.setAttribute('aria-busy', 'false');
    showError(s, what, error);
  }
}

// The language switcher: a labelled select whose change puts the language in the URL
// (so that a link keeps it) and loads the page again in it, with the same view.
function languageSwitcher() {
  const form = el(
    'form',
    { id: 'language', class: 'language' },
    el('label', { for: 'lang' }, t.language),
    el(
      'select',
      { id: 'lang', name: 'lang' },
      LANGUAGES.map(([code, name]) => el('option', { value: code, lang: code, selected: code === lang }, name)),
    ),
  );
  form.addEventListener('submit', (e) => e.preventDefault());
  form.addEventListener('change', (e) => {
    const q = new URLSearchParams(window.location.search);
    q.set('lang', e.target.value);
    window.location.replace(`${window.location.pathname}?${q}`);
  });
  return form;
}

async function start() {
  document.title = t.title;
  document.documentElement.lang = STRINGS[lang] ? lang : 'en';
  document.querySelector('h1').textContent = t.title;
  document.querySelector('.skip').textContent = t.skip;
  main.replaceChildren(el('p', { id: 'announce', class: 'visually-hidden', role: 'status', 'aria-live': 'polite' }));
  document.querySelector('header').append(languageSwitcher());

  // The releases, the latest first; the view's release must be one of them.
  const { releases } = await graphql(`query Releases { releases { ${RELEASE} } }`);
  reference.releases = releases;
  const state = readState();
  const release = releases.find((r) => r.id === state.release) || releases[0];
  state.release = release.id;
  await loadReference(release);

  // Check the view from the URL against what the release offers.
  const firstYear = Number(release.periodStart.slice(0, 4));
  const lastYear = Number(release.periodEnd.slice(0, 4));
  const years = [];
  for (let y = lastYear; y >= firstYear; y--) years.push(y);
  if (!years.includes(state.year)) state.year = lastYear;
  if (!MEASURES.includes(state.measure)) state.measure = 'denials';
  if (!ITEMS.includes(state.items)) state.items = '';
  if (!reference.memberStateNames.has(state.memberState)) state.memberState = '';
  if (!reference.catchAlls.includes(state.catchAll)) state.catchAll = '';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(state.asOf) || Number.isNaN(Date.parse(state.asOf))) state.asOf = release.periodEnd;
  writeState(state);

  const releaseLine = document.getElementById('release');
  releaseLine.replaceChildren(`${t.release}: ${release.title} (${release.id}). `, release.synthetic ? el('strong', {}, t.synthetic) : '');

  // The controls: a form of labelled selects, in reading order.
  const memberStates = [...reference.memberStateNames].sort((a, b) => a[1].localeCompare(b[1], lang));
  const controls = el(
    'form',
    { id: 'controls', 'aria-labelledby': 'controls-heading' },
    el('h2', { id: 'controls-heading', class: 'visually-hidden' }, t.view),
    releases.length > 1 ? select('release', t.release, releases.map((r) => [r.id, r.id]), state.release) : '',
    select('measure', t.measure, MEASURES.map((m) => [m, t.measures[m]]), state.measure),
    select('year', t.year, years.map((y) => [String(y), String(y)]), String(state.year)),
    select('memberState', t.memberState, [['', t.allMemberStates], ...memberStates], state.memberState),
    select('items', t.items, [['', t.itemsAll], ['cyber', t.itemsCyber], ['other', t.itemsOther]], state.items),
    select('catchAll', t.catchAll, [['', t.catchAllAny], ...reference.catchAlls.map((c) => [c, reference.catchAllLabels.get(c) || c])], state.catchAll),
  );
  controls.addEventListener('submit', (e) => e.preventDefault());

  const legend = el('details', { class: 'legend' }, el('summary', {}, t.howToRead), el('p', {}, t.statusLegend));
  const map = section('map', t.mapHeading);
  const series = section('series', t.seriesHeading);
  const list = section('list', t.listHeading);
  const asOf = el('input', { id: 'asOf', name: 'asOf', type: 'date', value: state.asOf, required: true });
  list.element.insertBefore(el('div', { class: 'control' }, el('label', { for: 'asOf' }, t.listDate), asOf), list.chart);
  list.chart.remove();
  main.append(controls, legend, map.element, series.element, list.element);

  document.getElementById('credits').replaceChildren(
    el('p', {}, t.credits),
    el('p', {}, el('a', { href: config.licences }, t.licences), ' · ', el('a', { href: config.endpoint.href }, t.api)),
  );

  // Drawing a section from its data (again on resize, without fetching).
  const drawMapSection = async (view) => {
    await drawMap(map, state, view);
    map.body.replaceChildren(
      dataTable({ id: 'map-table', caption: t.mapCaption(t.measures[state.measure], state.year, filterWords(state)), columns: view.columns, rows: view.table.rows }),
      view.table.rows.length ? '' : el('p', { class: 'empty' }, t.mapEmpty),
      notesOf(view.table.rows, view.columns.filter((c) => c.kind).map((c) => c.get)),
      ...(view.table.notes || []).map((n) => el('p', { class: 'note' }, n)),
      el('p', { class: 'downloads' }, el('a', { href: view.csv, class: 'csv', download: true }, t.downloadCSV)),
      citation(view.table.release),
    );
  };
  const drawSeriesSection = async (view) => {
    drawSeries(series, state, view);
    series.body.replaceChildren(
      dataTable({ id: 'series-table', caption: t.seriesCaption(filterWords(state)), columns: view.columns, rows: view.table.rows }),
      notesOf(view.table.rows, view.columns.filter((c) => c.kind).map((c) => c.get)),
      ...(view.table.notes || []).map((n) => el('p', { class: 'note' }, n)),
      el('p', { class: 'downloads' }, el('a', { href: view.csv, class: 'csv', download: true }, t.downloadCSV)),
      citation(view.table.release),
    );
  };

  const refreshMap = () => refresh(map, () => loadMap(state), drawMapSection, t.mapCaption(t.measures[state.measure], state.year, filterWords(state)));
  const refreshSeries = () => refresh(series, () => loadSeries(state), drawSeriesSection, t.seriesHeading);
  const refreshList = () => refresh(list, () => loadList(state), (data) => renderList(list, state, data), t.listHeading);

  // A change of a control changes the view, the URL, and the sections that depend on it.
  controls.addEventListener('change', (e) => {
    const name = e.target.name;
    state[name] = name === 'year' ? Number(e.target.value) : e.target.value;
    writeState(state);
    if (name === 'release') {
      window.location.reload(); // another release has other years and lists
      return;
    }
    refreshMap();
    if (name !== 'year') refreshSeries();
    else if (series.view) drawSeriesSection(series.view); // only the year's rule moves
  });
  asOf.addEventListener('change', () => {
    if (!asOf.value) return;
    state.asOf = asOf.value;
    writeState(state);
    refreshList();
  });

  // Redraw the charts to the new width when the window is resized (phones turned).
  let resizeTimer = 0;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => {
      if (map.view && Number(map.chart.dataset.width) !== map.chart.clientWidth) drawMap(map, state, map.view);
      if (series.view && Number(series.chart.dataset.width) !== series.chart.clientWidth) drawSeries(series, state, series.view);
    }, 200);
  });

  await Promise.all([refreshMap(), refreshSeries(), refreshList()]);
  document.body.dataset.ready = 'true';
}

start().catch((error) => {
  main.replaceChildren(el('p', { class: 'error', role: 'alert' }, t.failed(t.release, error.message)));
});
