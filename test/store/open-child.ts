// Opens a session store in a process of its own, as vetta would: prints "opened N" (sessions) or
// the error, then raises an unrelated warning, which must still be printed.
import { openSessionStore } from '../../src/store/sessions.ts';

try {
  const store = await openSessionStore(process.argv[2]);
  process.stdout.write(`opened ${(await store.list()).length}\n`);
  await store.close();
} catch (error) {
  process.stdout.write(`error: ${(error as Error).message}\n`);
}
process.emitWarning('a warning of its own', 'ExperimentalWarning');
