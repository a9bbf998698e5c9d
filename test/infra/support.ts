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
