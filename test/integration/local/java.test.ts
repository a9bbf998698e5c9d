import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findJava, JavaMissingError, parseJavaVersion } from '#local/engines/dynamodb.ts';

/** A PATH holding only a fake `java` that prints `versionLine` as `java -version` does (on stderr). */
function pathWithFakeJava(versionLine?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'pulso-fake-java-'));
  if (versionLine !== undefined) {
    const script = join(dir, 'java');
    writeFileSync(script, `#!/bin/sh\necho '${versionLine}' >&2\n`);
    chmodSync(script, 0o755);
  }
  return dir;
}

describe('findJava', () => {
  it('fails with install instructions when no java is on PATH', () => {
    const env = { PATH: pathWithFakeJava() };

    expect(() => findJava(env)).toThrow(JavaMissingError);
    expect(() => findJava(env)).toThrow(/apt-get install -y openjdk-17-jre-headless/);
    expect(() => findJava(env)).toThrow(/no `java` executable/);
  });

  it('fails naming the version when the java on PATH is older than 17', () => {
    const env = { PATH: pathWithFakeJava('openjdk version "11.0.22" 2024-01-16') };

    expect(() => findJava(env)).toThrow(/found Java 11 .*too old/);
  });

  it('accepts Java 17 or newer when it is on PATH', () => {
    const env = { PATH: pathWithFakeJava('openjdk version "17.0.15" 2025-04-15') };

    expect(findJava(env).version).toBe(17);
  });

  it('uses JAVA_HOME/bin/java when JAVA_HOME is set and PATH has none', () => {
    const home = mkdtempSync(join(tmpdir(), 'pulso-java-home-'));
    mkdirSync(join(home, 'bin'));
    const script = join(home, 'bin', 'java');
    writeFileSync(script, `#!/bin/sh\necho 'openjdk version "21.0.1" 2023-10-17' >&2\n`);
    chmodSync(script, 0o755);

    const java = findJava({ PATH: pathWithFakeJava(), JAVA_HOME: home });

    expect(java).toEqual({ command: script, version: 21 });
  });
});

describe('parseJavaVersion', () => {
  it.each([
    ['openjdk version "17.0.15" 2025-04-15', 17],
    ['java version "1.8.0_381"', 8],
    ['openjdk version "21" 2023-09-19', 21],
    ['no java here', undefined],
  ])('reads %s as %s', (output, expected) => {
    expect(parseJavaVersion(output)).toBe(expected);
  });
});
