import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

/**
 * The optional native audio addons: naudiodon (PortAudio, the microphone) and speaker (ALSA
 * output). Either may be missing or unbuilt, and text mode must not care. Both are first loaded in
 * a child process: speaker's load opens the default ALSA device and aborts the whole process when
 * there is none, and PortAudio prints its device probing to stdout and stderr.
 */
export type AddonName = 'naudiodon' | 'speaker';

const require = createRequire(import.meta.url);

/** The addon's entry file, or undefined when it is not installed. */
export function addonPath(name: AddonName): string | undefined {
  try {
    return require.resolve(name);
  } catch {
    return undefined;
  }
}

/** speaker's load aborts (SIGABRT) when ALSA has no default output device. */
export const NO_ALSA_OUTPUT = 'no ALSA output device to open';

/** Loads the addon in a child process: true when it loads, else why not (one short phrase). */
export async function probeAddon(name: AddonName, env: NodeJS.ProcessEnv = process.env): Promise<true | string> {
  const path = addonPath(name);
  if (!path) return 'not installed';
  const child = spawn(process.execPath, ['-e', `require(${JSON.stringify(path)})`], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => {
    child.on('error', () => resolve([null, null]));
    child.on('close', (c, s) => resolve([c, s]));
  });
  if (code === 0) return true;
  if (signal === 'SIGABRT') return NO_ALSA_OUTPUT;
  if (/Could not locate the bindings file|cannot open shared object|was compiled against/.test(stderr)) return 'not built';
  return (
    stderr
      .trim()
      .split('\n')
      .find((line) => /Error/.test(line))
      ?.trim() ?? `exit ${code ?? signal}`
  );
}

/** Loads an addon in this process; call only after probeAddon said it loads. */
export function loadAddon<T>(name: AddonName): T {
  return require(name) as T;
}

/** How to turn the addons on, for messages shown when they are missing or unbuilt. */
export const ENABLE_ADDONS_HINT =
  'to enable them keep "naudiodon", "speaker" and "segfault-handler" in package.json "allowScripts", apt-get install libasound2-dev, then npm rebuild naudiodon speaker segfault-handler';
