import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '#http/openapi.ts';

describe('docs/openapi.json', () => {
  it('matches the zod schemas when it is regenerated (run npm run docs:api after changing a schema)', () => {
    const committed = JSON.parse(
      readFileSync(new URL('../../../docs/openapi.json', import.meta.url), 'utf8'),
    );
    expect(committed).toEqual(JSON.parse(JSON.stringify(openApiDocument())));
  });
});
