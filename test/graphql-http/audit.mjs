// Runs the graphql-http server audits (GraphQL over HTTP conformance) against the
// GraphQL endpoint given as the first argument, and prints one JSON object per audit
// on stdout: {"id","name","status","reason"}, status ok, notice (a MAY), warn (a
// SHOULD) or error (a MUST). It exits 0 whatever the results: audit_test.go judges
// them. Only a fatal failure (the server cannot be reached) exits non-zero.
//
//	node test/graphql-http/audit.mjs http://127.0.0.1:8080/graphql
import { auditServer } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit.mjs URL');
  process.exit(2);
}

try {
  const results = await auditServer({ url });
  for (const { id, name, status, reason } of results) {
    console.log(JSON.stringify({ id, name, status, reason: reason ?? '' }));
  }
} catch (err) {
  console.error(`audit of ${url} failed: ${err?.stack ?? err}`);
  process.exit(1);
}
