import { errorMessage } from '../core/errors.js';
import type { BrainSettings } from './provider-choice.js';
import { chooseRecognizer, chooseVoice, planBrain } from './provider-choice.js';
import type { CliContext } from './context.js';
import type { CheckResult } from './doctor.js';

/**
 * `vetta doctor --online`: does each configured provider answer? Each probe is the smallest real
 * request through the same SDK and settings `vetta practice` uses, and reports how long the answer
 * took. Keys are sent to the provider and nowhere else.
 */

export const ONLINE_TIMEOUT_MS = 10_000;

type Probe = (signal: AbortSignal) => Promise<string>;

async function timed(check: string, hint: string, probe: Probe): Promise<CheckResult> {
  const signal = AbortSignal.timeout(ONLINE_TIMEOUT_MS);
  const startedMs = performance.now();
  try {
    const what = await probe(signal);
    if (signal.aborted) throw signal.reason;
    return { check, status: 'ok', detail: `${what} answered in ${Math.round(performance.now() - startedMs)} ms` };
  } catch (error) {
    const detail = signal.aborted ? `no answer within ${ONLINE_TIMEOUT_MS / 1000} s` : errorMessage(error);
    return { check, status: 'fail', detail, hint };
  }
}

/** Why a request failed, from its HTTP status or its network error; never the SDK's own text, which may echo the request. */
function httpFailure(endpoint: string, error: unknown, advice: Record<number, string>): Error {
  const status = (error as { status?: unknown }).status;
  if (typeof status === 'number') return new Error(`${endpoint} answered HTTP ${status}${advice[status] ? `; ${advice[status]}` : ''}`);
  const cause = (error as Error).cause as Error | undefined;
  return new Error(`cannot reach ${endpoint} (${cause?.message ?? errorMessage(error)})`);
}

/** One token of a streamed answer: checks the key, the model name and the endpoint at once. */
function geminiProbe(settings: Extract<BrainSettings, { llm: 'gemini' }>): Probe {
  return async (signal) => {
    const endpoint = settings.baseUrl ?? 'the Gemini API';
    const { GoogleGenAI } = await import('@google/genai');
    const client = new GoogleGenAI({ apiKey: settings.apiKey, ...(settings.baseUrl ? { httpOptions: { baseUrl: settings.baseUrl } } : {}) });
    try {
      const stream = await client.models.generateContentStream({
        model: settings.model,
        contents: 'Say ok.',
        config: { maxOutputTokens: 1, thinkingConfig: { thinkingBudget: 0 }, abortSignal: signal },
      });
      for await (const _ of stream) break;
    } catch (error) {
      throw httpFailure(endpoint, error, { 400: 'check GEMINI_API_KEY', 403: 'check GEMINI_API_KEY', 404: `check the model name "${settings.model}"` });
    }
    return `gemini ${settings.model} at ${endpoint}`;
  };
}

function openAiProbe(settings: Extract<BrainSettings, { llm: 'openai' }>): Probe {
  return async (signal) => {
    let res: Response;
    try {
      res = await fetch(`${settings.baseUrl.replace(/\/$/, '')}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(settings.apiKey ? { authorization: `Bearer ${settings.apiKey}` } : {}) },
        body: JSON.stringify({ model: settings.model, stream: true, max_tokens: 1, messages: [{ role: 'user', content: 'Say ok.' }] }),
        signal,
      });
    } catch (error) {
      throw httpFailure(settings.baseUrl, error, {});
    }
    await res.body?.cancel();
    if (!res.ok) throw httpFailure(settings.baseUrl, { status: res.status }, { 401: 'check OPENAI_API_KEY', 404: `check OPENAI_BASE_URL and that model "${settings.model}" exists` });
    return `${settings.model} at ${settings.baseUrl}`;
  };
}

/** A live connection opened and closed with no audio: the key and the model are accepted. */
function deepgramProbe(ctx: CliContext): Probe {
  return async (signal) => {
    const { recognizer, description } = chooseRecognizer({ stt: 'deepgram' }, ctx);
    const noAudio = (async function* () {})();
    for await (const _ of recognizer!.transcribe(noAudio, signal));
    return description.replace(/ \(.*\)$/, '');
  };
}

/** The first audio of one short word: the key, the voice and the stream all work. */
function elevenLabsProbe(ctx: CliContext): Probe {
  return async (signal) => {
    const { voice, description, close } = chooseVoice({ tts: 'elevenlabs' }, ctx);
    const enough = new AbortController();
    const stop = () => enough.abort();
    signal.addEventListener('abort', stop, { once: true });
    let heard = false;
    try {
      for await (const _ of voice!.synthesize('ok', enough.signal)) {
        heard = true;
        stop();
        break;
      }
    } finally {
      signal.removeEventListener('abort', stop);
      await close();
    }
    if (!heard && !signal.aborted) throw new Error('the stream ended without audio');
    return description.replace(/ \(.*\)$/, '');
  };
}

const reachable = (keyName: string, endpoint: string, otherwise: string) => `check ${keyName} and that ${endpoint} is reachable; or ${otherwise}`;

/** Probes every provider with a key set, and the OpenAI-compatible server when practice would use it. */
export async function onlineChecks(ctx: CliContext): Promise<CheckResult[]> {
  const probes: Promise<CheckResult>[] = [];
  if (ctx.env.GEMINI_API_KEY || ctx.env.GOOGLE_API_KEY) {
    const { settings } = planBrain({ llm: 'gemini' }, ctx);
    if (settings.llm === 'gemini') probes.push(timed('gemini online', reachable('GEMINI_API_KEY', settings.baseUrl ?? 'the Gemini API', 'use --llm scripted'), geminiProbe(settings)));
  }
  const chosen = (() => {
    try {
      return planBrain({}, ctx).settings;
    } catch {
      // The llm check has already said what is wrong with the choice.
      return undefined;
    }
  })();
  if (chosen?.llm === 'openai') probes.push(timed('openai online', `start the server at ${chosen.baseUrl} (for Ollama: ollama serve), or point OPENAI_BASE_URL at yours`, openAiProbe(chosen)));
  if (ctx.env.DEEPGRAM_API_KEY) probes.push(timed('deepgram online', reachable('DEEPGRAM_API_KEY', ctx.env.DEEPGRAM_BASE_URL || 'api.deepgram.com', 'use --stt none and type'), deepgramProbe(ctx)));
  if (ctx.env.ELEVENLABS_API_KEY) probes.push(timed('elevenlabs online', reachable('ELEVENLABS_API_KEY', ctx.env.ELEVENLABS_BASE_URL || 'api.elevenlabs.io', 'use --tts espeak'), elevenLabsProbe(ctx)));
  if (probes.length === 0) return [{ check: 'online', status: 'ok', detail: 'no cloud provider is configured (no GEMINI_API_KEY, DEEPGRAM_API_KEY or ELEVENLABS_API_KEY), so there is nothing to reach' }];
  return Promise.all(probes);
}
