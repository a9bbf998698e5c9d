import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '#http/openapi.ts';

describe('docs/openapi.json', () => {
  it('matches a fresh generation from the route table when it is committed (run npm run docs:api)', () => {
    const committed = JSON.parse(
      readFileSync(new URL('../../../docs/openapi.json', import.meta.url), 'utf8'),
    );
    expect(
      committed,
      'docs/openapi.json is stale: run `npm run docs:api` and commit docs/openapi.json',
    ).toEqual(JSON.parse(JSON.stringify(openApiDocument())));
  });
});
