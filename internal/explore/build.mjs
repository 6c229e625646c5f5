// Builds dist/ from src/ and the packages of package-lock.json (installed by npm ci):
// one minified script and one stylesheet, named by the hash of their content; the
// country shapes (world-atlas, from Natural Earth), copied as they are and named by
// their hash too, so the page fetches them only when it draws the map; the licences of
// every package used; and manifest.json, which the Go handler reads to find the files
// and the tests read to check that dist/ is what this build makes. The same lockfile
// gives the same bytes: nothing here depends on the time, the machine or the folder.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import * as esbuild from 'esbuild';

const out = 'dist';
rmSync(out, { recursive: true, force: true });
mkdirSync(out);

const result = await esbuild.build({
  entryPoints: ['src/explore.js'],
  outdir: out,
  entryNames: '[name]-[hash]',
  bundle: true,
  minify: true,
  format: 'iife',
  platform: 'browser',
  target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
  charset: 'utf8',
  legalComments: 'none', // the licences go to LICENSES.txt, whole
  metafile: true,
  logLevel: 'warning',
});

// The country shapes: TopoJSON at 1:110 million, small enough for a phone.
const atlasSource = 'node_modules/world-atlas/countries-110m.json';
const atlasBytes = readFileSync(atlasSource);
const atlasName = `countries-110m-${createHash('sha256').update(atlasBytes).digest('hex').slice(0, 8)}.json`;
writeFileSync(join(out, atlasName), atlasBytes);

// The packages whose code went into the bundle, from the inputs esbuild read, and
// world-atlas, whose data the page fetches.
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
const used = new Map();
const use = (dir, name) => {
  const entry = lock.packages[dir];
  if (!entry) throw new Error(`${dir} is used but not in package-lock.json`);
  used.set(dir, { name, version: entry.version, license: entry.license || '' });
};
for (const input of Object.keys(result.metafile.inputs)) {
  const m = input.match(/^(.*node_modules\/((?:@[^/]+\/)?[^/]+))\//);
  if (m) use(m[1], m[2]);
}
use('node_modules/world-atlas', 'world-atlas');
const packages = [...used.entries()].sort((a, b) => (a[1].name < b[1].name ? -1 : a[1].name > b[1].name ? 1 : a[0] < b[0] ? -1 : 1));

// Every package's licence text, as its authors wrote it, after the credit for the data.
let licences = `The explore page of the portal bundles these packages and serves the country shapes
of world-atlas. Their licences follow.

The country shapes (${atlasName}, from world-atlas's countries-110m.json) are made
with Natural Earth (https://www.naturalearthdata.com/), free vector and raster map data,
in the public domain. Natural Earth's terms: "All versions of Natural Earth raster + vector
map data found on this website are in the public domain. You may use the maps in any
manner, including modifying the content and design, electronic dissemination, and offset
printing." Boundaries are Natural Earth's, drawn at 1:110 million, and do not imply any
position of the portal's publisher on the status of any territory.
`;
for (const [dir, p] of packages) {
  licences += `\n${'='.repeat(78)}\n${p.name} ${p.version} (${p.license || 'no licence field'})\n${'='.repeat(78)}\n\n`;
  const file = readdirSync(dir).sort().find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
  licences += file ? readFileSync(join(dir, file), 'utf8').replace(/\r\n/g, '\n').trimEnd() + '\n' : `(${p.name} ships no licence file; package.json says ${p.license || 'nothing'})\n`;
}
writeFileSync(join(out, 'LICENSES.txt'), licences);

const sha256 = (f) => createHash('sha256').update(readFileSync(join(out, f))).digest('hex');
const files = readdirSync(out).sort();
const manifest = {
  script: files.find((f) => f.endsWith('.js')),
  style: files.find((f) => f.endsWith('.css')),
  atlas: atlasName,
  packages: Object.fromEntries(packages.map(([dir, p]) => [dir.replace(/^node_modules\//, ''), p.version])),
  files: Object.fromEntries(files.map((f) => [f, sha256(f)])),
};
if (!manifest.script || !manifest.style || files.length !== 4) {
  throw new Error(`unexpected build output: ${files.join(', ')}`);
}
writeFileSync(join(out, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
