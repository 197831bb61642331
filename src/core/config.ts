import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { VettaError } from './errors.js';
import { closest } from './text.js';
import { configDir } from './paths.js';

/**
 * The user's settings file, $XDG_CONFIG_HOME/vetta/config.json. Flags win over environment
 * variables, which win over this file. Keys other commands will use later are allowed through, so
 * a newer config does not break an older Vetta.
 */

/** The names each provider choice takes, from the provider tables (the CLI's): auto, each provider, none. */
export interface ProviderNames {
  llm: readonly string[];
  stt: readonly string[];
  tts: readonly string[];
}

/** "a", "b" or "c", for messages that list the allowed values. */
export function oneOf(names: readonly string[]): string {
  const quoted = names.map((n) => `"${n}"`);
  return `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`;
}

const choiceOf = (names: readonly string[]) => z.enum(names as [string, ...string[]], { error: `expected ${oneOf(names)}` }).optional();

function configSchema(names: ProviderNames) {
  return z.looseObject({
    sandbox: z.enum(['auto', 'nsjail', 'bubblewrap', 'docker', 'unsafe']).optional(),
    problems: z.array(z.string().min(1), { error: 'expected a list of folders' }).optional(),
    store: z.string({ error: 'expected a store URL such as "redis://127.0.0.1:6379" or a file path' }).min(1).optional(),
    sessionRetentionDays: z.number({ error: 'expected a number of days' }).positive().optional(),
    /** Silence after the candidate's voice before a finished-sounding utterance ends their turn. */
    endpointingMinMs: z.number({ error: 'expected a number of milliseconds' }).int().min(0).max(10_000).optional(),
    /** Silence before a plainly unfinished utterance ("so I think I would...") ends their turn anyway. */
    endpointingMaxMs: z.number({ error: 'expected a number of milliseconds' }).int().min(0).max(30_000).optional(),
    /** Start the spoken reply once the candidate has probably finished (false: as --no-preemptive). */
    preemptive: z.boolean({ error: 'expected true or false' }).optional(),
    /** The length of a practice interview in minutes, as --minutes. */
    minutes: z
      .number({ error: 'expected a number of minutes from 5 to 240' })
      .min(5, { error: 'expected a number of minutes from 5 to 240' })
      .max(240, { error: 'expected a number of minutes from 5 to 240' })
      .optional(),
    /** Record every practice interview for "vetta replay", as --record does. */
    record: z.boolean({ error: 'expected true or false' }).optional(),
    llm: choiceOf(names.llm),
    /** The LLM's model, for whichever LLM is chosen. */
    model: z
      .string({ error: 'expected a model name such as "gemini-2.5-flash"' })
      .min(1, { error: 'expected a model name such as "gemini-2.5-flash"' })
      .optional(),
    stt: choiceOf(names.stt),
    tts: choiceOf(names.tts),
    /** The ElevenLabs voice. API keys are never read from this file: they stay in the environment. */
    voiceId: z
      .string({ error: 'expected an ElevenLabs voice id such as "JBFqnCBsd6RMkjVDRZzb"' })
      .min(1, { error: 'expected an ElevenLabs voice id such as "JBFqnCBsd6RMkjVDRZzb"' })
      .optional(),
  });
}
export type ConfigFile = z.output<ReturnType<typeof configSchema>>;

export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(configDir(env), 'config.json');
}

/**
 * The settings, or {} when there is no file; a broken file is an error that names it. A key this
 * Vetta does not know is let through (a newer Vetta may know it) but `warn`ed about, with the known
 * key it most resembles: "sanbox" silently ignored would leave the user wondering.
 */
export function loadConfig(env: NodeJS.ProcessEnv, names: ProviderNames, warn: (message: string) => void = () => {}): ConfigFile {
  const file = configPath(env);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new VettaError('invalid_input', `${file} cannot be read (${(e as NodeJS.ErrnoException).code}); fix its permissions or move it aside`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new VettaError('invalid_input', `${file} is not valid JSON (${(e as Error).message}); fix it or move it aside`);
  }
  const schema = configSchema(names);
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
    const known = Object.keys(schema.shape);
    for (const key of Object.keys(raw).filter((k) => !known.includes(k))) {
      const [near] = closest(key, known, 1);
      warn(`${file}: unknown setting "${key}"${near ? ` (did you mean "${near}"?)` : ''}; it is ignored`);
    }
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new VettaError('invalid_input', `${file}: ${issue.path.join('.') || 'top level'}: ${issue.message}`);
  }
  return parsed.data;
}
