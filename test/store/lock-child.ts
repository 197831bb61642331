// A vetta-like process that takes a session's lock and keeps it until it is killed. Usage: lock-child.ts STORE ID
import { writeSync } from 'node:fs';
import { openSessionStore } from '../../src/store/sessions.ts';

const [url, sessionId] = process.argv.slice(2) as [string, string];
const store = await openSessionStore(url);
await store.lock(sessionId);
writeSync(1, 'locked\n');
setInterval(() => {}, 1_000);
