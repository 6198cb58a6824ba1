import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generatePolicyC, generatePolicyCHarness } from '../../src/deploy/c-codegen.js';
import type { PolicyArtifact } from '../../src/deploy/policy-artifact.js';

/**
 * Writes the generated C of `art` and its test harness into `dir`, compiles them with the strict
 * flags (`gcc -std=c99 -Wall -Wextra -pedantic -Werror -O2`) and returns the executable's path.
 */
export function buildPolicyC(art: PolicyArtifact, name: string, dir: string): string {
  const c = generatePolicyC(art, name);
  writeFileSync(join(dir, c.headerFile), c.header);
  writeFileSync(join(dir, c.sourceFile), c.source);
  writeFileSync(join(dir, `${name}_main.c`), generatePolicyCHarness(name));
  const exe = join(dir, `${name}_test`);
  const flags = ['-std=c99', '-Wall', '-Wextra', '-pedantic', '-Werror', '-O2'];
  execFileSync('gcc', [...flags, '-o', exe, c.sourceFile, `${name}_main.c`, '-lm'], {
    cwd: dir,
    stdio: 'pipe',
  });
  return exe;
}
