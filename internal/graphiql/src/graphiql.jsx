// GraphiQL for the portal, bundled with its styles into one script and one stylesheet
// that the binary serves from its own origin: no CDN, no web fonts from elsewhere.
//
// The page (page.html, filled in by the Go handler) gives the GraphQL endpoint and the
// nonce of the response's Content-Security-Policy as data attributes of #graphiql; the
// nonce lets the few <style> elements that the dialogs add at run time through.
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { setNonce } from 'get-nonce';
import { GraphiQL } from 'graphiql';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

import 'graphiql/style.css';
import './graphiql.css';

const root = document.getElementById('graphiql');
const endpoint = new URL(root.dataset.endpoint || '/graphql', window.location.href).href;
if (root.dataset.nonce) {
  setNonce(root.dataset.nonce);
}

const fetcher = createGraphiQLFetcher({ url: endpoint });

const defaultQuery = `# The EU Member States today, with the authority that grants or denies dual-use
# export licences in each. Press the run button (or Ctrl-Enter); open the
# documentation explorer (the book icon) to read the schema.
{
  memberStates {
    code
    name
    competentAuthority
  }
}
`;

createRoot(root).render(
  <StrictMode>
    <GraphiQL fetcher={fetcher} defaultQuery={defaultQuery} />
  </StrictMode>,
);
