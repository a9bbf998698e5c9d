import { type LocalValues, Resolver, UnresolvableError } from './resolver.ts';
import { type CfnResource, type CfnTemplate, ROOT } from './synth.ts';

/** Metadata that names a function's TypeScript entry (set by the house function construct). */
export const ENTRY_METADATA = 'pulso:entry';

/** What every resource reader shares: the template, a resolver that needs no engine, and one warnings list. */
export interface StackReader {
  readonly template: CfnTemplate;
  /** Folder that `pulso:entry` paths are relative to. */
  readonly root: string;
  /** Resolves what needs no engine value (names, ARNs, most properties). */
  readonly resolver: Resolver;
  /** Template problems that do not stop the runtime; each reader adds its own. */
  readonly warnings: string[];
  /** The resources of one type, as `[logical id, resource]`. */
  ofType(type: string): [string, CfnResource][];
  /** The first resource of `type` that a Ref or Fn::GetAtt inside `value` names. */
  idOfType(value: unknown, type: string): string | undefined;
  /** A resource's resolved properties, or undefined (with a warning) when they cannot resolve locally. */
  propertiesOf(id: string, res: CfnResource): Record<string, unknown> | undefined;
  /** A resolver with the engines' values (API URL, stream ARNs), for what only exists once they run. */
  resolverWith(local: LocalValues): Resolver;
}

export function stackReader(
  template: CfnTemplate,
  opts: { root?: string; stackName?: string } = {},
): StackReader {
  const warnings: string[] = [];
  const resolver = new Resolver(template, {
    apiUrl: 'http://localhost/',
    streamArns: {},
    stackName: opts.stackName,
  });
  const resources = Object.entries(template.Resources);
  return {
    template,
    root: opts.root ?? ROOT,
    resolver,
    warnings,
    ofType: (type) => resources.filter(([, res]) => res.Type === type),
    idOfType: (value, type) => referencedIds(value).find((ref) => template.Resources[ref]?.Type === type),
    propertiesOf(id, res) {
      try {
        return (resolver.resolve(res.Properties ?? {}) ?? {}) as Record<string, unknown>;
      } catch (err) {
        if (!(err instanceof UnresolvableError)) throw err;
        warnings.push(`${res.Type} ${id}: ${err.message}; it is left out`);
        return undefined;
      }
    },
    resolverWith: (local) => new Resolver(template, { ...local, stackName: opts.stackName }),
  };
}

/** Logical ids named by Ref / Fn::GetAtt anywhere inside a value. */
export function referencedIds(value: unknown): string[] {
  const ids: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) {
      v.forEach(walk);
      return;
    }
    if (v === null || typeof v !== 'object') return;
    for (const [k, inner] of Object.entries(v)) {
      if (k === 'Ref' && typeof inner === 'string') ids.push(inner);
      else if (k === 'Fn::GetAtt')
        ids.push(Array.isArray(inner) ? String(inner[0]) : (String(inner).split('.')[0] ?? ''));
      else walk(inner);
    }
  };
  walk(value);
  return ids;
}

/** `Pulso/Capture/SurveyPage/Resource` -> `SurveyPage`; the logical id when there is no CDK path. */
export function constructId(res: CfnResource, id: string): string {
  const path = res.Metadata?.['aws:cdk:path'];
  if (typeof path !== 'string') return id;
  const parts = path.split('/');
  const last = parts.at(-1);
  return (last === 'Resource' || last === 'Default' ? parts.at(-2) : last) ?? id;
}
