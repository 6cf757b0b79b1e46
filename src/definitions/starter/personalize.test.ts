/** Unit tests of the keel.yaml personalisation and the name rules of `keel init`. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { UsageError } from '../../core/index.ts';
import { ownerFromRemote, resolveNames, slugName } from './names.ts';
import { personalizeSettings, yamlScalar } from './personalize.ts';

const SOURCE = `# header
org: acme # the org
team: payments
project: shop-api
budgets:
  - { id: o, scope: org, target: acme }
  - id: t
    scope: team
    target: payments
  - id: e
    scope: engineer
    target: alice
`;

describe('personalizeSettings', () => {
  it('replaces the names and the matching budget targets and nothing else', () => {
    const out = personalizeSettings(SOURCE, { org: 'globex', team: 'core', project: 'api' });
    assert.equal(
      out,
      SOURCE.replace('org: acme', 'org: globex')
        .replace('team: payments', 'team: core')
        .replace('project: shop-api', 'project: api')
        .replace('target: acme', 'target: globex')
        .replace('target: payments', 'target: core'),
    );
  });

  it('quotes names that YAML would not read back as the same string', () => {
    assert.equal(yamlScalar('null'), '"null"');
    assert.equal(yamlScalar('0123'), '"0123"');
    assert.equal(yamlScalar('shop-api'), 'shop-api');
    const out = personalizeSettings(SOURCE, { org: 'yes', team: '1e3', project: 'no' });
    assert.deepEqual(Object.values(parse(out)).slice(0, 3), ['yes', '1e3', 'no']);
  });
});

describe('resolveNames', () => {
  it('derives names from the folder and the origin owner, and checks given ones', () => {
    assert.deepEqual(
      resolveNames({
        repoRoot: '/src/My Shop!',
        originUrl: 'https://github.com/Big-Co/shop.git',
        given: {},
      }),
      { org: 'big-co', team: 'my-shop', project: 'my-shop' },
    );
    assert.deepEqual(resolveNames({ repoRoot: '/x/api', given: { team: 'core' } }), {
      org: 'api',
      team: 'core',
      project: 'api',
    });
    assert.throws(() => resolveNames({ repoRoot: '/x/api', given: { org: '-bad' } }), UsageError);
  });

  it('reads the owner from ssh and https remotes', () => {
    assert.equal(ownerFromRemote('git@github.com:acme/shop.git'), 'acme');
    assert.equal(ownerFromRemote('ssh://git@gitlab.com/Team/shop'), 'team');
    assert.equal(ownerFromRemote('/local/path/repo'), undefined);
    assert.equal(slugName('___'), undefined);
  });
});
