import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { makeTempRepo, runKeel } from '../helpers/cli.ts';

describe('the keel executable', () => {
  const repo = makeTempRepo();
  after(() => repo.dispose());

  it('prints help listing its commands and exits 0', async () => {
    const result = await runKeel(['--help'], { cwd: repo.dir });
    assert.equal(result.code, 0);
    assert.match(result.stdout, /Usage: keel/);
  });

  it('rejects an unknown option with exit code 2 and names it', async () => {
    const result = await runKeel(['--no-such-flag'], { cwd: repo.dir });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /unknown option '--no-such-flag'/);
  });
});
