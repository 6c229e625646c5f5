// Builds dist/ from src/ and the packages of package-lock.json (installed by npm ci):
// one minified script and one stylesheet, named by the hash of their content, the
// licences of every package bundled in them, and manifest.json, which the Go handler
// reads to find the files and the tests read to check that dist/ is what this build
// makes. The same lockfile gives the same bytes: nothing here depends on the time, the
// machine or the folder the build runs in.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import * as esbuild from 'esbuild';

const out = 'dist';
rmSync(out, { recursive: true, force: true });
mkdirSync(out);

const result = await esbuild.build({
  entryPoints: ['src/graphiql.jsx'],
  outdir: out,
  entryNames: '[name]-[hash]',
  bundle: true,
  minify: true,
  format: 'iife',
  platform: 'browser',
  target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
  jsx: 'automatic',
  charset: 'utf8',
  legalComments: 'none', // the licences go to LICENSES.txt, whole
  define: { 'process.env.NODE_ENV': '"production"' },
  // Fonts and images stay inside the stylesheet (GraphiQL's are data: URLs already).
  loader: { '.woff2': 'dataurl', '.woff': 'dataurl', '.png': 'dataurl', '.svg': 'dataurl' },
  metafile: true,
  logLevel: 'warning',
});

// The packages whose code went into the bundle, from the inputs esbuild read.
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
const bundled = new Map();
for (const input of Object.keys(result.metafile.inputs)) {
  const m = input.match(/^(.*node_modules\/((?:@[^/]+\/)?[^/]+))\//);
  if (!m) continue;
  const [, dir, name] = m;
  const entry = lock.packages[dir];
  if (!entry) throw new Error(`${dir} is bundled but not in package-lock.json`);
  bundled.set(dir, { name, version: entry.version, license: entry.license || '' });
}
const packages = [...bundled.entries()].sort((a, b) => (a[1].name < b[1].name ? -1 : a[1].name > b[1].name ? 1 : a[0] < b[0] ? -1 : 1));

// Every bundled package's licence text, as its authors wrote it.
let licences = 'The GraphiQL page of the portal bundles these packages. Their licences follow.\n';
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
  packages: Object.fromEntries(packages.map(([dir, p]) => [dir.replace(/^node_modules\//, ''), p.version])),
  files: Object.fromEntries(files.map((f) => [f, sha256(f)])),
};
if (!manifest.script || !manifest.style || files.length !== 3) {
  throw new Error(`unexpected build output: ${files.join(', ')}`);
}
writeFileSync(join(out, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
if (!existsSync(join(out, 'manifest.json'))) throw new Error('no manifest');
