import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { buildApp } from '#lib/app.ts';
import { PulsoStack } from '#lib/pulso-stack.ts';
import { NO_BUNDLING } from './support.ts';

const CERTIFICATE = 'arn:aws:acm:us-east-1:123456789012:certificate/abc';

interface ValidationReport {
  pluginReports: { pluginName: string; conclusion: string; violations: { ruleName: string }[] }[];
}

describe('cdk-nag', () => {
  it.each([
    ['by default', {}],
    ['with a custom domain', { appDomainName: 'cx.example.com', appCertificateArn: CERTIFICATE }],
    ["with the deployer's issuer", { jwtIssuer: 'https://login.example.com/', jwtAudience: 'pulso-web' }],
  ])(
    'reports no unacknowledged AwsSolutions or Serverless error when the app synthesizes %s',
    (_, context) => {
      const { app, stack } = buildApp({ context: { ...NO_BUNDLING, ...context } });

      const assembly = app.synth();

      const report = JSON.parse(
        readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8'),
      ) as ValidationReport;
      const failures = report.pluginReports
        .filter((plugin) => plugin.conclusion !== 'success')
        .flatMap((plugin) => plugin.violations.map((v) => `${plugin.pluginName}: ${v.ruleName}`));
      expect(failures).toEqual([]);
      expect(
        Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('AwsSolutions-.*|Serverless-.*')),
      ).toEqual([]);
    },
  );

  it('fails synthesis with the rule ids when findings are not acknowledged', () => {
    const app = new App({ context: NO_BUNDLING });
    new PulsoStack(app, 'Unacknowledged');
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));

    let message = '';
    try {
      app.synth();
    } catch (error) {
      message = (error as Error).message;
    }

    expect(message).toContain('AwsSolutions-APIG4');
    expect(message).toContain('Serverless-LambdaDLQ');
    expect(message).toContain('AwsSolutions-CFR4');
  });
});
