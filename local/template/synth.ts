import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (the folder of package.json). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
  readonly Condition?: string;
}

export interface CfnTemplate {
  readonly Resources: Record<string, CfnResource>;
  readonly Parameters?: Record<string, { Default?: unknown }>;
  readonly Conditions?: Record<string, unknown>;
  readonly Outputs?: Record<string, { Value: unknown }>;
}

/**
 * Synthesizes the CDK app of lib/ in this process and returns the stack's template. Bundling is skipped:
 * locally each function runs from its TypeScript entry.
 */
export async function synthesizeTemplate(
  opts: { stackName?: string; context?: Record<string, unknown> } = {},
): Promise<CfnTemplate> {
  const { buildApp } = await import('#lib/app.ts');
  const outdir = mkdtempSync(join(tmpdir(), 'pulso-synth-'));
  try {
    const { app, stack } = buildApp({
      // Context from cdk.json, as the CLI would pass it, so local settings match `cdk deploy`.
      context: {
        ...cdkJsonContext(),
        ...opts.context,
        'aws:cdk:bundling-stacks': [],
        // The CLI turns this on; construct ids (e.g. `SurveyPage`) are read from these paths.
        'aws:cdk:enable-path-metadata': true,
      },
      outdir,
      nag: false,
      stackName: opts.stackName,
    });
    const assembly = app.synth();
    return assembly.getStackByName(stack.stackName).template as CfnTemplate;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

function cdkJsonContext(): Record<string, unknown> {
  const context: Record<string, unknown> = {};
  for (const file of ['cdk.json', 'cdk.context.json']) {
    try {
      const json = JSON.parse(readFileSync(join(ROOT, file), 'utf8')) as {
        context?: Record<string, unknown>;
      };
      Object.assign(context, file === 'cdk.json' ? json.context : json);
    } catch {
      // Absent file: nothing to add.
    }
  }
  return context;
}
