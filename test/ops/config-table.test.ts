/**
 * One source for configuration: the README's tables are generated from server/config-vars.ts and
 * the provider registry,
 * loadConfig reads exactly the variables declared there, and each declared default is what
 * leaving the variable unset amounts to.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';
import { CONFIG_VARS, type ConfigVar } from '../../server/config-vars.js';
import { README, withGeneratedTables } from '../../scripts/config-table.js';

const S3 = { ASSET_STORE: 's3', S3_BUCKET: 'b', S3_ACCESS_KEY_ID: 'k', S3_SECRET_ACCESS_KEY: 's' };

describe('configuration schema', () => {
  it('the README configuration and provider tables are the ones generated from server/config-vars.ts and the provider registry (npm run config-table)', () => {
    const readme = fs.readFileSync(README, 'utf8');
    expect(withGeneratedTables(readme)).toBe(readme);
  });

  it('loadConfig reads every declared variable', () => {
    const read = new Set<string>();
    const env = new Proxy({ ...S3 } as Record<string, string | undefined>, {
      get: (target, key) => {
        if (typeof key === 'string') read.add(key);
        return target[key as string];
      },
    });
    loadConfig(env, '/srv');
    expect(Object.keys(CONFIG_VARS).filter((k) => !read.has(k))).toEqual([]);
  });

  it.each([
    ['the embedded set-up', {}],
    ['an S3 set-up', S3],
  ])('each documented default is what an unset variable amounts to (%s)', (_what, base) => {
    const unset = loadConfig(base, '/srv');
    for (const [name, v] of Object.entries(CONFIG_VARS) as [string, ConfigVar][]) {
      if (v.default === undefined || name in base) continue;
      expect(loadConfig({ ...base, [name]: v.default }, '/srv'), `${name}=${v.default}`).toEqual(unset);
    }
  });
});
