/**
 * One orchestrator per repository: an exclusive lock file holding the owner's
 * pid and host. A lock whose process is gone (killed, crashed) is taken over;
 * a live one is refused with who holds it.
 */
import { mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { KeelError } from '../core/index.ts';

/** Raised when another orchestrator runs in this repository. */
export class EngineLockedError extends KeelError {
  override readonly code = 'ENGINE_LOCKED';
}

interface LockOwner {
  pid: number;
  host: string;
  startedAt: string;
}

/** Where the lock of a repository lives. */
export function lockPath(root: string): string {
  return join(root, '.keel', 'state', 'engine.lock');
}

/** Takes the lock or throws EngineLockedError naming the holder; returns the release function. */
export function acquireEngineLock(root: string): () => void {
  const path = lockPath(root);
  mkdirSync(dirname(path), { recursive: true });
  const me: LockOwner = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
  for (let tries = 0; tries < 3; tries++) {
    try {
      writeFileSync(path, JSON.stringify(me), { flag: 'wx' });
      return () => {
        try {
          const owner = readOwner(path);
          if (owner?.pid === me.pid) unlinkSync(path);
        } catch {
          // already gone
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = readOwner(path);
      if (owner && owner.pid !== process.pid && owner.host === me.host && !alive(owner.pid)) {
        try {
          unlinkSync(path);
        } catch {
          // another process took it over first; try again
        }
        continue;
      }
      if (!owner) {
        // Garbage left by a process that died mid-write (a fresh, still empty file is being written now).
        if (ageMs(path) > 2000) {
          try {
            unlinkSync(path);
          } catch {
            // taken over by another process
          }
        }
        continue;
      }
      throw new EngineLockedError(
        `another keel run (pid ${owner.pid} on ${owner.host}, since ${owner.startedAt}) is driving this repository`,
        {
          hint: `wait for it to finish, or stop it; if it is gone for good, delete ${path}`,
        },
      );
    }
  }
  throw new EngineLockedError(`could not take the engine lock ${path}`, {
    hint: 'another keel run keeps taking it; try again',
  });
}

function readOwner(path: string): LockOwner | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as LockOwner;
    return typeof parsed.pid === 'number' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function ageMs(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}
