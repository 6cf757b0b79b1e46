/**
 * Where the fakes keep their sessions between processes, so that a resumed run
 * continues the same session id with its context: one JSON file per session
 * under `$KEEL_SIM_STATE_DIR/<cli>/sessions/`, written atomically.
 */
import { createHash, randomUUID } from 'node:crypto';
import {
  appendFileSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One simulated session (a Claude Code session or a Codex thread). */
export interface SimSession {
  id: string;
  cli: 'claude-code' | 'codex';
  cwd: string;
  model: string;
  createdAt: string;
  updatedAt: string;
  /** Processes that ran in this session. */
  runs: number;
  /** Model calls so far (Claude's turns). */
  turns: number;
  /** Tokens of conversation history the next call starts from. */
  contextTokens: number;
  /** Codex's thread totals, which newer versions report as `turn.completed` usage. */
  totals: {
    inputTokens: number;
    cachedInputTokens: number;
    outputTokens: number;
    reasoningOutputTokens: number;
  };
}

/** The state folder: `KEEL_SIM_STATE_DIR`, else `keel-sim` in the OS temp folder. */
export function simStateDir(env: NodeJS.ProcessEnv): string {
  return env.KEEL_SIM_STATE_DIR || join(tmpdir(), 'keel-sim');
}

/** Session files of one fake CLI. */
export class SessionStore {
  private readonly dir: string;
  private readonly cli: SimSession['cli'];

  constructor(stateDir: string, cli: SimSession['cli']) {
    this.cli = cli;
    this.dir = join(stateDir, cli, 'sessions');
  }

  /** A new, unsaved session. */
  create(cwd: string, model: string, id: string = randomUUID()): SimSession {
    const now = new Date().toISOString();
    return {
      id,
      cli: this.cli,
      cwd,
      model,
      createdAt: now,
      updatedAt: now,
      runs: 0,
      turns: 0,
      contextTokens: 0,
      totals: { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0, reasoningOutputTokens: 0 },
    };
  }

  /** The saved session with this id, or `undefined`. */
  load(id: string): SimSession | undefined {
    if (!/^[\w-]+$/.test(id)) return undefined;
    try {
      return JSON.parse(readFileSync(join(this.dir, `${id}.json`), 'utf8')) as SimSession;
    } catch {
      return undefined;
    }
  }

  /** The most recently updated session, in `cwd` unless `anyCwd`. */
  latest(cwd: string, anyCwd = false): SimSession | undefined {
    let names: string[];
    try {
      names = readdirSync(this.dir).filter((n) => n.endsWith('.json'));
    } catch {
      return undefined;
    }
    return names
      .map((n) => this.load(n.slice(0, -'.json'.length)))
      .filter((s): s is SimSession => s !== undefined && (anyCwd || s.cwd === cwd))
      .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))[0];
  }

  /** Saves the session (write to a temporary file, then rename: never half-written). */
  save(session: SimSession): void {
    mkdirSync(this.dir, { recursive: true });
    session.updatedAt = new Date().toISOString();
    const file = join(this.dir, `${session.id}.json`);
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(session, null, 2)}\n`);
    renameSync(tmp, file);
  }
}

/**
 * Counts runs per key (a pass name, or a prompt digest) across processes, so a
 * rule can match "the second attempt" when the prompt carries no attempt marker.
 * Each run appends a unique line to the key's file (appends of one short line
 * are atomic) and its attempt is that line's position, so fakes running in
 * parallel never count the same attempt twice.
 */
export function nextAttempt(stateDir: string, cli: SimSession['cli'], key: string): number {
  const dir = join(stateDir, cli, 'attempts');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, createHash('sha256').update(key).digest('hex').slice(0, 32));
  const token = `${process.pid}-${randomUUID()}`;
  appendFileSync(file, `${token}\n`);
  return readFileSync(file, 'utf8').split('\n').indexOf(token) + 1;
}
