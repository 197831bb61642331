import { SAMPLE_RATE } from '../core/pcm.js';
import { errorMessage } from '../core/errors.js';
import { END_OF_SPEECH } from '../providers/spec.js';
import type { RecognizerInput, SpeechRecognizer, SpeechSynthesizer } from '../providers/spec.js';
import type { CliContext } from './context.js';
import type { CheckResult } from './doctor-check.js';
import { buildEntry, choose } from './provider-choice.js';
import { BRAINS, EARS, VOICES } from './providers.js';
import type { Built, ProviderEntry, ProviderKind } from './providers.js';

/**
 * `vetta doctor --online`: does each configured provider answer? Each probe is the smallest real
 * request through the adapter and settings `vetta practice` uses, and reports how long the answer
 * took. Keys are sent to the provider and nowhere else.
 */

export const ONLINE_TIMEOUT_MS = 10_000;

type Ask<T> = (built: Built<T>, signal: AbortSignal) => Promise<void>;

/** A third of a second of silence as one utterance: a recognizer must transcribe it and finish. */
async function* silentUtterance(): AsyncGenerator<RecognizerInput> {
  yield new Int16Array(SAMPLE_RATE / 3);
  yield END_OF_SPEECH;
}

const askEar: Ask<SpeechRecognizer> = async ({ provider, probe }, signal) => {
  if (probe) return probe(signal);
  for await (const _ of provider.transcribe(silentUtterance(), signal));
};

/** The first audio of one short word: the key, the voice and the stream all work. */
const askVoice: Ask<SpeechSynthesizer> = async ({ provider }, signal) => {
  const enough = new AbortController();
  const stop = () => enough.abort();
  signal.addEventListener('abort', stop, { once: true });
  let heard = false;
  try {
    for await (const _ of provider.synthesize('ok', enough.signal)) {
      heard = true;
      stop();
      break;
    }
  } finally {
    signal.removeEventListener('abort', stop);
  }
  if (!heard && !signal.aborted) throw new Error('the stream ended without audio');
};

async function timed<T>(check: string, hint: string, built: Built<T>, ask: Ask<T>): Promise<CheckResult> {
  const signal = AbortSignal.timeout(ONLINE_TIMEOUT_MS);
  const startedMs = performance.now();
  try {
    await ask(built, signal);
    if (signal.aborted) throw signal.reason;
    return { check, status: 'ok', detail: `${built.what} answered in ${Math.round(performance.now() - startedMs)} ms` };
  } catch (error) {
    const detail = signal.aborted ? `no answer within ${ONLINE_TIMEOUT_MS / 1000} s` : errorMessage(error);
    return { check, status: 'fail', detail, hint };
  } finally {
    await built.close?.();
  }
}

function hintFor<T>(kind: ProviderKind<T>, entry: ProviderEntry<T>, endpoint: string): string {
  const fix = entry.needsKey
    ? `check ${entry.keys[0]} and that ${endpoint} is reachable`
    : `start the server at ${endpoint}, or point ${entry.endpointVariable} at yours`;
  return `${fix}; or ${kind.instead(entry)}`;
}

/** The kind's providers that have a key or a server configured, and the one practice would use. */
function probesOf<T>(kind: ProviderKind<T>, ctx: CliContext, ask: Ask<T>): Promise<CheckResult>[] {
  const wanted = new Map<ProviderEntry<T>, string>();
  for (const entry of kind.entries) {
    const set = entry.autoWhen.find((name) => ctx.env[name]);
    if (set) wanted.set(entry, `${set} set`);
  }
  try {
    const choice = choose(kind, undefined, ctx);
    if (choice.entry && !wanted.has(choice.entry)) wanted.set(choice.entry, choice.description);
    void choice.close();
  } catch {
    // The offline check has already said what is wrong with the choice.
  }
  return [...wanted].flatMap(([entry, because]) => {
    const check = `${kind.flag} ${entry.name} online`;
    let built: Built<T>;
    try {
      built = buildEntry(kind, entry, { env: ctx.env, config: ctx.config() }, because);
    } catch (error) {
      return [Promise.resolve<CheckResult>({ check, status: 'fail', detail: errorMessage(error) })];
    }
    if (!built.endpoint) return [];
    return [timed(check, hintFor(kind, entry, built.endpoint), built, ask)];
  });
}

/** Probes every provider with a key or a server configured, and the ones practice would use. */
export async function onlineChecks(ctx: CliContext): Promise<CheckResult[]> {
  const probes = [...probesOf(BRAINS, ctx, (built, signal) => built.probe!(signal)), ...probesOf(EARS, ctx, askEar), ...probesOf(VOICES, ctx, askVoice)];
  if (probes.length === 0) return [{ check: 'online', status: 'ok', detail: 'no online provider is configured, so there is nothing to reach' }];
  return Promise.all(probes);
}
