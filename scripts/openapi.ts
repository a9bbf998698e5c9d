import { writeFileSync } from 'node:fs';
import { openApiDocument } from '#http/openapi.ts';

writeFileSync(
  new URL('../docs/openapi.json', import.meta.url),
  `${JSON.stringify(openApiDocument(), null, 2)}\n`,
);
console.log('docs/openapi.json written');
