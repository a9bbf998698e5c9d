import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CfnElement } from 'aws-cdk-lib';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { type BuildAppOptions, buildApp, type PulsoApp } from '#lib/app.ts';

/** Context that makes NodejsFunction skip esbuild, so infra tests stay fast. */
export const NO_BUNDLING = { 'aws:cdk:bundling-stacks': [] };

export interface SynthesizedPulso extends PulsoApp {
  readonly template: Template;
}

/** Builds the Pulso app without bundling (and without cdk-nag unless asked) and returns its template. */
export function synthPulso(opts: BuildAppOptions = {}): SynthesizedPulso {
  const pulso = buildApp({ nag: false, ...opts, context: { ...NO_BUNDLING, ...opts.context } });
  return { ...pulso, template: Template.fromStack(pulso.stack) };
}

/** The logical id that a construct's CloudFormation resource gets in the template. */
export function logicalIdOf(element: CfnElement | undefined): string {
  if (!element) throw new Error('no CloudFormation element');
  const stack = Stack.of(element);
  return stack.resolve(stack.getLogicalId(element)) as string;
}

/** A resource of the template, as `Template.toJSON()` gives it. */
type CfnJson = Record<string, { Type: string; Properties?: unknown; DependsOn?: string | string[] }>;

/**
 * The first cycle among the template's resources (Ref, Fn::GetAtt, Fn::Sub and DependsOn), as a list of logical
 * ids, or undefined. CloudFormation refuses a stack with one; CDK does not look within a stack.
 */
export function dependencyCycle(template: Template): string[] | undefined {
  const resources = template.toJSON().Resources as CfnJson;
  const namedIn = (value: unknown, out: Set<string>): Set<string> => {
    if (Array.isArray(value)) for (const v of value) namedIn(v, out);
    else if (value && typeof value === 'object')
      for (const [key, inner] of Object.entries(value)) {
        if (key === 'Ref' && typeof inner === 'string') out.add(inner);
        else if (key === 'Fn::GetAtt')
          out.add(Array.isArray(inner) ? String(inner[0]) : (String(inner).split('.')[0] ?? ''));
        else if (key === 'Fn::Sub' && typeof inner === 'string')
          for (const m of inner.matchAll(/\$\{([^.}!]+)/g)) out.add(m[1] ?? '');
        else namedIn(inner, out);
      }
    return out;
  };
  const dependsOn = (id: string): string[] => {
    const res = resources[id];
    const named = namedIn(res?.Properties, new Set([res?.DependsOn ?? []].flat()));
    return [...named].filter((dep) => dep in resources);
  };
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (id: string): string[] | undefined => {
    if (path.includes(id)) return [...path.slice(path.indexOf(id)), id];
    if (done.has(id)) return undefined;
    path.push(id);
    for (const dep of dependsOn(id)) {
      const cycle = visit(dep);
      if (cycle) return cycle;
    }
    path.pop();
    done.add(id);
    return undefined;
  };
  for (const id of Object.keys(resources)) {
    const cycle = visit(id);
    if (cycle) return cycle;
  }
  return undefined;
}

/**
 * The web app's `/app/config.json` as the deployment writes it, with each deploy-time value (CDK's markers) put
 * back as the CloudFormation expression that fills it in, e.g. `{ clientId: { Ref: 'AdminUserPool...' } }`.
 */
export function deployedAppConfig(pulso: SynthesizedPulso): Record<string, unknown> {
  const [, deployment] = Object.entries(pulso.template.findResources('Custom::CDKBucketDeployment'))[0] ?? [];
  const props = deployment?.Properties as {
    SourceObjectKeys: string[];
    SourceMarkers?: Record<string, unknown>[];
  };
  const directory = pulso.app.synth().directory;
  for (const [i, key] of props.SourceObjectKeys.entries()) {
    const file = join(directory, `asset.${key.replace(/\.zip$/, '')}`, 'config.json');
    if (!existsSync(file)) continue;
    const markers = props.SourceMarkers?.[i] ?? {};
    const fill = (value: unknown): unknown => {
      if (typeof value !== 'string') return value;
      const whole = markers[value];
      if (whole !== undefined) return whole;
      const parts = value.split(/(<<marker:0xbaba:\d+>>)/).filter((part) => part !== '');
      return parts.length === 1 ? value : { 'Fn::Join': ['', parts.map((part) => markers[part] ?? part)] };
    };
    const config = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(config).map(([k, v]) => [k, fill(v)]));
  }
  throw new Error('no config.json among the deployment sources');
}
