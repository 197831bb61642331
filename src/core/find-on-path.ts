import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** An executable file named `name` in PATH (or in the extra folders), or undefined. */
export function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env, extra: string[] = []): string | undefined {
  for (const dir of [...(env.PATH ?? '').split(delimiter), ...extra]) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}
