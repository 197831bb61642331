import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { errorMessage } from '../core/errors.js';
import { dataDir } from '../core/paths.js';
import type { InterviewEvent } from '../interview/state.js';
import type { Language } from '../problems/load.js';
import type { SessionStore } from '../store/sessions.js';
import { renderJson, sessionReport } from './session-report.js';

/** How long the end of an interview waits for a store that is away before keeping the session in a file. */
export const STORE_COMEBACK_WAIT_MS = 10_000;

const seconds = (ms: number) => `${Math.max(1, Math.round(ms / 1000))} s`;

/**
 * Says when saving a practice session pauses (the store went away) and resumes, and at the end
 * makes sure the session is somewhere: in the store, or else in a local file `vetta sessions
 * import` reads back. docs/sessions.md, "When the store goes away".
 */
export function watchSaving(
  store: SessionStore<InterviewEvent, Language>,
  sessionId: string,
  env: NodeJS.ProcessEnv,
  say: (message: string) => void,
): { failed: (e: Error) => void; finish: () => Promise<void> } {
  let paused = false;
  // Said once: every write after a failed one fails the same way.
  let failedOnce = false;
  const failed = (e: Error) => {
    if (failedOnce) return;
    failedOnce = true;
    say(`this session is no longer being saved (${e.message})`);
  };
  store.onSavingChange((change) => {
    paused = !change.saving;
    if (change.saving) say(`saving resumed: the session store is back after ${seconds(change.pausedMs)}, and everything said meanwhile is saved`);
    else say(`saving paused: the session store at ${store.location} is away (${change.reason}); the interview goes on, and is saved when it is back`);
  });

  const finish = async () => {
    if (paused) say(`waiting up to ${seconds(STORE_COMEBACK_WAIT_MS)} for the session store at ${store.location} to come back`);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve(`the session store at ${store.location} did not come back`), STORE_COMEBACK_WAIT_MS);
    });
    const failure = await Promise.race([
      store.finish(sessionId).then(
        () => null,
        (e: unknown) => `the session store at ${store.location} failed (${errorMessage(e)})`,
      ),
      timedOut,
    ]);
    clearTimeout(timer);
    if (failure === null) return;
    failedOnce = true;
    store.giveUp(failure);
    const file = join(dataDir(env), 'unsaved', `${sessionId}.json`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, renderJson(sessionReport(store.known(sessionId))), { mode: 0o600 });
    say(`${failure}; the whole session is in ${file}: once the store is back, "vetta sessions import ${file}" puts it there`);
  };
  return { failed, finish };
}
