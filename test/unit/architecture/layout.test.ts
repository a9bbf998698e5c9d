import madge from 'madge';
import { beforeAll, describe, expect, it } from 'vitest';

/** The import graph of lambdas/, type-only imports included (a type cycle is a cycle too). */
let graph: Record<string, string[]>;
let cycles: string[][];

beforeAll(async () => {
  const result = await madge(new URL('../../../lambdas', import.meta.url).pathname, {
    fileExtensions: ['ts'],
    detectiveOptions: { ts: { skipTypeImports: false } },
  });
  graph = result.obj();
  cycles = result.circular();
});

const CAPABILITIES = ['capture', 'aggregation', 'invitations', 'loop', 'insight', 'access', 'conversations'];
const importsOf = (pattern: RegExp) =>
  Object.entries(graph)
    .filter(([file]) => pattern.test(file))
    .flatMap(([file, deps]) => deps.map((dep) => `${file} -> ${dep}`));

describe('the layout of lambdas/', () => {
  it('reads every file, aliases included (a broken graph would make the other checks pass vacuously)', () => {
    expect(Object.keys(graph).length).toBeGreaterThan(100);
    expect(graph['handlers/cases.ts']).toContain('loop/use-cases/case-actions.ts');
  });

  it('has no import cycle, type-only imports included', () => {
    expect(cycles).toEqual([]);
  });

  it('keeps rules pure: a rules file imports only rules and the kernel, never ports, use cases or I/O', () => {
    const bad = importsOf(/^[a-z-]+\/rules\//).filter(
      (edge) =>
        !/ -> ([a-z-]+\/rules\/|kernel\/(errors|zod|metrics|bands|survey|signed-tokens|days|visibility|fold|analysis|themes)\.ts$)/.test(
          edge,
        ),
    );
    expect(bad).toEqual([]);
  });

  it('keeps the kernel free of capabilities, and ports free of use cases and adapters', () => {
    const kernel = importsOf(/^kernel\//).filter((edge) => !/ -> kernel\//.test(edge));
    const ports = importsOf(/(^|\/)ports\.ts$/).filter((edge) =>
      / -> ([a-z-]+\/use-cases\/|adapters\/)/.test(edge),
    );
    expect([...kernel, ...ports]).toEqual([]);
  });

  it('keeps HTTP and adapters out of the capabilities', () => {
    const pattern = new RegExp(`^(${CAPABILITIES.join('|')})/`);
    const bad = importsOf(pattern).filter((edge) => / -> (http|handlers|adapters|views)\//.test(edge));
    expect(bad).toEqual([]);
  });
});
