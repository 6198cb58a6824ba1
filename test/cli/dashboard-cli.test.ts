import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './run-cli-helper.js';

describe('arbiter dashboard', () => {
  it('refuses to bind beyond loopback without a token', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'arbiter-dashboard-cli-'));
    const r = await cli('dashboard', dir, '--host', '0.0.0.0', '--port', '0');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--token/);
  });

  it('says which folder is missing', async () => {
    const r = await cli('dashboard', path.join(tmpdir(), 'arbiter-no-such-folder'), '--port', '0');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("no such folder '");
  });
});
