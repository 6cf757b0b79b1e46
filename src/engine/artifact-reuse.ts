/**
 * Artifact reuse: a pass whose output would be the same is not sent to a model
 * again. Its reuse key hashes what the output depends on — the pass definition,
 * the agent and its version, the model, the work item's text, the input
 * artifacts and the git content (blob ids) of the agent's context paths. A
 * first attempt whose key matches an earlier attempt that was accepted takes
 * that attempt's artifacts; the reuse and the cost it saved are recorded
 * (`artifact.reused`). `keel run --no-cache` turns it off.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import picomatch from 'picomatch';
import { usdToMicros } from '../cost/index.ts';
import type { PlannedPass } from '../definitions/index.ts';
import { canonicalJson, type JsonValue, type NewEvent } from '../ledger/index.ts';
import type { ModelTarget, RuntimeResult } from '../runtimes/index.ts';
import { artifactDir } from '../workspaces/index.ts';
import type { EngineContext } from './engine-context.ts';

export const ARTIFACT_REUSED = 'artifact.reused';

export interface ReuseHit {
  itemId: string;
  pass: string;
  generationId: string;
  outputs: { name: string; content: string }[];
  savedMicros: number;
}

/** The git blob ids of the files under `globs` at the worktree's HEAD, sorted by path. */
function contextBlobs(worktree: string, globs: readonly string[]): string[] {
  if (globs.length === 0) return [];
  const match = picomatch([...globs], { dot: false });
  const out = execFileSync('git', ['ls-tree', '-r', '-z', 'HEAD'], {
    cwd: worktree,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return out
    .split('\0')
    .filter((l) => l.length > 0)
    .map((l) => {
      const tab = l.indexOf('\t');
      return { path: l.slice(tab + 1), blob: l.slice(0, tab).split(' ')[2] ?? '' };
    })
    .filter((f) => match(f.path))
    .sort((a, b) => a.path.localeCompare(b.path))
    .map((f) => `${f.path}@${f.blob}`);
}

/** The reuse key of a first attempt: a sha256 of everything its output depends on. */
export function reuseKey(input: {
  pass: PlannedPass;
  target: ModelTarget | undefined;
  item: { title: string; body: string; type: string };
  inputs: readonly { name: string; content: string }[];
  worktree: string;
}): string {
  const { pass } = input;
  const agent = pass.agent;
  const definition = {
    id: pass.pass.id,
    description: pass.pass.description,
    inputs: pass.inputs,
    outputs: pass.outputs,
    gates: pass.gates.map((g) => g.id),
  };
  const parts = {
    definition,
    agent: { name: agent.name, version: agent.version },
    model: input.target ? `${input.target.provider.name}/${input.target.model}` : null,
    item: input.item,
    inputs: input.inputs.map((i) => ({
      name: i.name,
      sha256: createHash('sha256').update(i.content).digest('hex'),
    })),
    context: contextBlobs(input.worktree, agent.context.paths),
  };
  return createHash('sha256')
    .update(canonicalJson(parts as unknown as JsonValue))
    .digest('hex');
}

/** An earlier accepted attempt with the same key, with its artifacts read from its commit. */
export async function findReuse(ctx: EngineContext, key: string): Promise<ReuseHit | undefined> {
  const written = (await ctx.ledger.read({ types: ['artifact.written'] })).filter(
    (e) => e.data.reuseKey === key,
  );
  for (const first of written.reverse()) {
    const itemId = first.workItemId ?? '';
    const pass = String(first.data.pass);
    const generationId = String(first.data.generationId);
    const events = await ctx.ledger.read({ workItemId: itemId });
    const accepted = events.some(
      (e) => e.type === 'pass.completed' && e.data.pass === pass && e.data.outcome === 'passed',
    );
    const attemptOk = events.some(
      (e) =>
        e.type === 'attempt.finished' &&
        e.data.generationId === generationId &&
        e.data.outcome === 'succeeded',
    );
    if (!accepted || !attemptOk) continue;
    const folder = `${artifactDir(itemId, pass)}/`;
    const outputs: ReuseHit['outputs'] = [];
    for (const e of events) {
      if (e.type !== 'artifact.written' || e.data.generationId !== generationId) continue;
      const path = String(e.data.path);
      if (!path.startsWith(folder)) continue;
      const content = execFileSync('git', ['show', `${String(e.data.commit)}:${path}`], {
        cwd: ctx.root,
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      });
      outputs.push({ name: path.slice(folder.length), content });
    }
    if (outputs.length === 0) continue;
    const savedMicros = events
      .filter(
        (e) =>
          e.type === 'model_call.recorded' &&
          e.data.generationId === generationId &&
          e.data.purpose === 'pass' &&
          typeof e.data.costUsd === 'number',
      )
      .reduce((s, e) => s + usdToMicros(Number(e.data.costUsd)), 0);
    return { itemId, pass, generationId, outputs, savedMicros };
  }
  return undefined;
}

/** The key of a first attempt of a model-only pass, and an earlier output it can reuse (unless --no-cache). */
export async function reuseFor(
  ctx: EngineContext,
  input: Parameters<typeof reuseKey>[0] & { reason: string },
): Promise<{ key: string; hit: ReuseHit | undefined } | undefined> {
  // Coding agents change the repository, not only artifacts; reworks carry findings.
  if (input.pass.agent.runtime.kind !== 'llm' || input.reason !== 'first') return undefined;
  const key = reuseKey(input);
  return { key, hit: ctx.noCache ? undefined : await findReuse(ctx, key) };
}

/** The runtime result a reuse stands for: the earlier outputs, no model call. */
export function reusedResult(hit: ReuseHit): RuntimeResult {
  return { outputs: hit.outputs, calls: [] };
}

/** The `artifact.reused` event: which earlier attempt's output was taken, and the cost it saved. */
export function reusedEvent(
  itemId: string,
  pass: string,
  attempt: number,
  generationId: string,
  reuse: { key: string; hit: ReuseHit | undefined },
): NewEvent {
  const hit = reuse.hit as ReuseHit;
  return {
    type: ARTIFACT_REUSED,
    actor: 'keel',
    workItemId: itemId,
    idempotencyKey: `${generationId}:reused`,
    data: {
      pass,
      attempt,
      generationId,
      reuseKey: reuse.key,
      from: { workItemId: hit.itemId, pass: hit.pass, generationId: hit.generationId },
      outputs: hit.outputs.map((o) => o.name),
      savedMicros: hit.savedMicros,
      savedUsd: hit.savedMicros / 1e6,
    },
  };
}
