import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { VettaError } from '../core/errors.js';
import type { LockTable } from './backend.js';

/**
 * One writer a session: a process that writes a session holds its lock, a key that expires unless
 * the holder keeps renewing it. A second process is refused with the holder's pid and host; a lock
 * whose holder was killed is taken over at once on the same host (its pid is gone), elsewhere once
 * it expires. Layout and timings: docs/sessions.md.
 */

export interface LockHolder {
  token: string;
  pid: number;
  host: string;
  sinceMs: number;
}

/** How long a lock outlives its last renewal: a holder on another host that died blocks no longer. */
export const LOCK_TTL_MS = 30_000;
const RENEW_EVERY_MS = 10_000;

function parseHolder(value: string): LockHolder | null {
  try {
    const holder = JSON.parse(value) as Partial<LockHolder>;
    return typeof holder.pid === 'number' && typeof holder.host === 'string' ? (holder as LockHolder) : null;
  } catch {
    return null;
  }
}

/** A holder on this host whose process is gone (EPERM: it exists, under another user). */
function goneHere(holder: LockHolder): boolean {
  if (holder.host !== hostname()) return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

const time = (ms: number) => new Date(ms).toTimeString().slice(0, 5);

export class SessionLock {
  private readonly timer: NodeJS.Timeout;
  private released = false;

  private constructor(
    private readonly locks: LockTable,
    readonly sessionId: string,
    private readonly value: string,
    ttlMs: number,
  ) {
    // Renewal failures are left to the next try: while the store is away the lock cannot be kept, and when
    // it is back the lock is claimed again (it may have expired meanwhile).
    this.timer = setInterval(() => void this.locks.claim(sessionId, value, ttlMs, value).catch(() => {}), Math.min(RENEW_EVERY_MS, ttlMs / 3));
    this.timer.unref();
  }

  /** Takes the session's lock for this process, or says in one line who holds it. */
  static async acquire(locks: LockTable, sessionId: string, ttlMs = LOCK_TTL_MS): Promise<SessionLock> {
    const me: LockHolder = { token: randomUUID(), pid: process.pid, host: hostname(), sinceMs: Date.now() };
    const value = JSON.stringify(me);
    for (let attempt = 0; attempt < 2; attempt++) {
      if (await locks.claim(sessionId, value, ttlMs, null)) return new SessionLock(locks, sessionId, value, ttlMs);
      const held = await locks.peek(sessionId);
      // It expired between the two calls: try once more.
      if (held === null) continue;
      const holder = parseHolder(held);
      // Taken over only if it still holds what was read: of two processes doing this at once, one wins.
      if ((holder === null || goneHere(holder)) && (await locks.claim(sessionId, value, ttlMs, held))) return new SessionLock(locks, sessionId, value, ttlMs);
      if (holder) {
        throw new VettaError(
          'invalid_input',
          `session ${sessionId.slice(0, 8)} is open in another vetta (pid ${holder.pid} on ${holder.host}, since ${time(holder.sinceMs)}); carry on there, or stop that process and resume again`,
        );
      }
    }
    throw new VettaError('invalid_input', `session ${sessionId.slice(0, 8)} is being taken by another vetta at this moment; try again`);
  }

  /** Lets another process write the session; a store that is away lets the lock expire instead. */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    clearInterval(this.timer);
    await this.locks.release(this.sessionId, this.value).catch(() => {});
  }
}
