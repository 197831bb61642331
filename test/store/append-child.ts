// A vetta-like process for the durability tests: creates a session, appends events one by one and
// acknowledges each on stdout once append() has resolved. Usage: append-child.ts FILE ID COUNT
import { writeSync } from 'node:fs';
import { openSessionStore } from '../../src/store/sessions.ts';
import type { Language } from '../../src/problems/load.ts';
import type { InterviewEvent } from '../../src/interview/state.ts';

const [file, sessionId, count] = process.argv.slice(2) as [string, string, string];
const store = await openSessionStore<InterviewEvent, Language>(file);
await store.create({ sessionId, problemId: 'two-sum', language: 'python', atMs: 0 });
writeSync(1, 'ready\n');
for (let i = 0; i < Number(count); i++) {
  await store.append(sessionId, { type: 'candidate_said', text: `event ${i}`, atMs: i });
  // Synchronous, so an acknowledgement the parent reads was never ahead of the stored event.
  writeSync(1, `ack ${i}\n`);
}
await store.close();
