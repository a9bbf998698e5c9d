import { execFileSync } from 'node:child_process';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { PulsoFunction } from '#lib/pulso-function.ts';
import { LambdaHost } from '#local/invoke.ts';
import { type CfnTemplate, readStack } from '#local/template/index.ts';
import { NO_BUNDLING } from './support.ts';

// Runtime parity (docs/decisions/0003-node-from-npm.md): the tests, the local runtime and its Lambda workers run
// on the major version of Node.js that the house function declares for Lambda, from the `node-<os>-<cpu>` package
// that `npm ci` installs as node_modules/.bin/node.

const FIXTURE = 'test/infra/fixtures/node-version-handler.ts';

interface VersionReport {
  readonly node: string;
  readonly isMainThread: boolean;
  readonly execPath: string;
}

function houseFunction(): { fn: PulsoFunction; template: CfnTemplate } {
  const stack = new Stack(new App({ context: NO_BUNDLING }), 'NodeRuntime');
  const fn = new PulsoFunction(stack, 'Fn', { entry: FIXTURE });
  return { fn, template: Template.fromStack(stack).toJSON() as CfnTemplate };
}

/** 24 for `nodejs24.x`. */
function lambdaMajor(runtimeName: string): number {
  const match = /^nodejs(\d+)\.x$/.exec(runtimeName);
  if (!match) throw new Error(`${runtimeName} is not a Node.js Lambda runtime`);
  return Number(match[1]);
}

const major = (version: string): number => Number(version.replace(/^v/, '').split('.')[0]);

describe('runtime parity with Lambda', () => {
  const { fn, template } = houseFunction();
  const expected = lambdaMajor(fn.runtime.name);

  it('runs the tests on the Node.js major that the house function declares for Lambda', () => {
    expect(expected).toBeGreaterThanOrEqual(24);
    expect(major(process.versions.node), `tests run on ${process.execPath}`).toBe(expected);
  });

  it("runs the local runtime's Lambda workers on the same Node.js major", async () => {
    const model = readStack(template);
    const functions = model.functions({ apiUrl: 'http://localhost/', streamArns: {} });
    expect(functions.map((f) => f.runtime)).toEqual([fn.runtime.name]);
    const host = new LambdaHost(functions, { baseEnv: {}, quiet: true });
    try {
      const report = (await host.invoke(functions[0]?.logicalId ?? '', {})) as VersionReport;
      expect(report.isMainThread).toBe(false);
      expect(major(report.node)).toBe(expected);
      expect(report.execPath).toBe(process.execPath);
    } finally {
      await host.stop();
    }
  });

  it('runs tsx, as `npm start` and the other scripts call it, on the same Node.js major', () => {
    const version = execFileSync('tsx', ['--eval', 'process.stdout.write(process.versions.node)'], {
      encoding: 'utf8',
    });
    expect(major(version)).toBe(expected);
    // A fresh tsx process compiles its loader first: seconds on a loaded two-core machine.
  }, 60_000);
});
