import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { ENABLE_ADDONS_HINT, NO_ALSA_OUTPUT, probeAddon } from '../audio/addons.js';
import { Microphone } from '../audio/microphone.js';
import { openPlayer } from '../audio/output.js';
import { SAMPLE_RATE } from '../core/pcm.js';
import { loadVad } from '../audio/vad.js';
import { errorMessage } from '../core/errors.js';
import { EspeakTts } from '../providers/espeak/tts.js';
import { selectSandbox } from '../sandbox/select.js';
import { DEFAULT_LIMITS } from '../core/sandbox.js';
import { styleFor } from '../ui/style.js';
import { onlineChecks } from './doctor-online.js';
import { sandboxOption } from './context.js';
import type { CliContext } from './context.js';
import type { CheckResult } from './doctor-check.js';
import { choose, chooseVoice } from './provider-choice.js';
import type { Choice } from './provider-choice.js';
import { autoVariables, BRAINS, EARS, KEY_NAMES, VOICES } from './providers.js';
import type { SpeechSynthesizer } from '../providers/spec.js';
import { openStoreFor, storeOption } from './sessions.js';

/**
 * `vetta doctor`: is this machine ready for `vetta practice`? One line per check, each with what
 * to do next. A failure is something practice cannot work around (no sandbox, a store that does
 * not open, a provider that was asked for and cannot be used); audio problems are warnings, since
 * practice goes on typed and read.
 */

interface DoctorOptions {
  json?: boolean;
  online?: boolean;
  inputDevice?: string;
  outputDevice?: string;
  store?: string;
  sandbox?: string;
}

const MINIMUM_NODE = [22, 13] as const;
/** How much of the microphone is heard for its level. */
const LEVEL_MS = 500;
/** The microphone and the speaker must answer within this, or they count as stuck. */
const AUDIO_TIMEOUT_MS = 5_000;
/** A deadline seen late, while other checks kept this process busy, waits this much more for the end. */
const GRACE_MS = 250;
/** Below this the input is as good as silent: a muted or disconnected microphone. */
const SILENT_DBFS = -80;

const PICK_INPUT = 'see the inputs with "vetta devices" and pick one with --input-device';
const PICK_OUTPUT = 'see the outputs with "vetta devices" and pick one with --output-device';
/** For errors that already say what to do: what it means for practice. */
const TYPED_INSTEAD = 'without a microphone, practice goes on typed';
const READ_INSTEAD = 'without an output, practice goes on in text';

function nodeCheck(): CheckResult {
  const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
  const recent = major > MINIMUM_NODE[0] || (major === MINIMUM_NODE[0] && minor >= MINIMUM_NODE[1]);
  return recent
    ? { check: 'node', status: 'ok', detail: `Node ${process.versions.node}` }
    : { check: 'node', status: 'fail', detail: `Node ${process.versions.node} is too old`, hint: `install Node ${MINIMUM_NODE.join('.')} or newer` };
}

/** The backend practice would use, proven by running a one-line program in it. */
async function sandboxCheck(name: string, env: NodeJS.ProcessEnv): Promise<CheckResult> {
  let sandbox: ReturnType<typeof selectSandbox>;
  try {
    sandbox = selectSandbox(name, env);
  } catch (error) {
    return { check: 'sandbox', status: 'fail', detail: errorMessage(error), hint: 'candidate code cannot be judged until a sandbox runs' };
  }
  const box = mkdtempSync(join(tmpdir(), 'vetta-doctor-'));
  try {
    // The program runs as nobody, who must be able to read it.
    chmodSync(box, 0o755);
    writeFileSync(join(box, 'probe.js'), "process.stdout.write('ok\\n');\n", { mode: 0o644 });
    const lines: string[] = [];
    const result = await sandbox.run({ program: 'node', boxDir: box, args: ['{box}/probe.js'], limits: DEFAULT_LIMITS, onLine: (line) => lines.push(line) });
    if (result.exitCode !== 0 || lines[0] !== 'ok')
      return {
        check: 'sandbox',
        status: 'fail',
        detail: `${sandbox.name}: ${sandbox.explainStartFailure(result)}`,
        hint: 'or choose another backend with --sandbox',
      };
  } finally {
    rmSync(box, { recursive: true, force: true });
  }
  if (sandbox.name === 'unsafe')
    return {
      check: 'sandbox',
      status: 'warn',
      detail: `unsafe runs code with ${sandbox.gaps.join('; ')}`,
      hint: 'install bubblewrap (apt-get install bubblewrap) and stop choosing unsafe',
    };
  const limits = `${DEFAULT_LIMITS.wallMs / 1000} s a run, ${DEFAULT_LIMITS.memoryMb} MB, ${DEFAULT_LIMITS.maxProcesses} processes`;
  if (sandbox.gaps.length > 0)
    return {
      check: 'sandbox',
      status: 'warn',
      detail: `${sandbox.name} runs code with limits of ${limits}, but: ${sandbox.gaps.join('; ')}`,
      hint: 'docs/sandbox.md says how to enforce them',
    };
  return {
    check: 'sandbox',
    status: 'ok',
    detail: `${sandbox.name} runs code: no network, its own process space, a read-only system, an empty environment; ${limits}`,
  };
}

function espeakCheck(env: NodeJS.ProcessEnv): CheckResult {
  const found = EspeakTts.detect(env);
  return typeof found === 'string'
    ? { check: 'espeak-ng', status: 'warn', detail: found, hint: 'the offline voice needs it; ElevenLabs (ELEVENLABS_API_KEY) does not' }
    : { check: 'espeak-ng', status: 'ok', detail: 'installed: the offline voice works' };
}

async function addonsCheck(env: NodeJS.ProcessEnv): Promise<CheckResult> {
  const [naudiodon, speaker] = await Promise.all([probeAddon('naudiodon', env), probeAddon('speaker', env)]);
  const state = (name: string, probe: true | string) => `${name} ${probe === true ? 'loads' : `unavailable (${probe})`}`;
  const detail = `${state('naudiodon', naudiodon)}; ${state('speaker', speaker)}`;
  if (naudiodon === true && speaker === true) return { check: 'audio addons', status: 'ok', detail };
  // speaker loads but finds no device: the sound system's problem, which the speaker check reports.
  const missing = [naudiodon, speaker].some((probe) => probe !== true && probe !== NO_ALSA_OUTPUT);
  return {
    check: 'audio addons',
    status: 'warn',
    detail: `${detail}; audio goes through sox, parec and pacat instead`,
    ...(missing ? { hint: ENABLE_ADDONS_HINT } : {}),
  };
}

/** Records a moment from the input and reports its level; silence is a warning, never a failure. */
async function microphoneCheck(device: string | undefined, env: NodeJS.ProcessEnv): Promise<CheckResult> {
  const check = 'microphone';
  let microphone: Microphone;
  try {
    microphone = await Microphone.open({ ...(device ? { device } : {}), env });
  } catch (error) {
    return { check, status: 'warn', detail: errorMessage(error), hint: TYPED_INSTEAD };
  }
  const where = `${device ? `input ${device}` : 'the default input'} (${microphone.backend})`;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), AUDIO_TIMEOUT_MS);
  const wanted = (SAMPLE_RATE * LEVEL_MS) / 1000;
  let heard = 0;
  let sumSquares = 0;
  let peak = 0;
  try {
    for await (const frame of microphone.frames(controller.signal)) {
      for (const sample of frame) {
        sumSquares += sample * sample;
        peak = Math.max(peak, Math.abs(sample));
      }
      heard += frame.length;
      if (heard >= wanted) break;
    }
  } catch (error) {
    return { check, status: 'warn', detail: errorMessage(error), hint: TYPED_INSTEAD };
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  if (heard < wanted) return { check, status: 'warn', detail: `${where} opened but sent no audio within ${AUDIO_TIMEOUT_MS / 1000} s`, hint: PICK_INPUT };
  const dbfs = peak === 0 ? -Infinity : 20 * Math.log10(Math.sqrt(sumSquares / heard) / 32768);
  const level = Number.isFinite(dbfs) ? `${Math.round(dbfs)} dBFS` : 'digital silence';
  if (dbfs < SILENT_DBFS)
    return {
      check,
      status: 'warn',
      detail: `${where} works but heard no sound in ${LEVEL_MS / 1000} s (${level})`,
      hint: `check it is not muted and is the one you speak into; or ${PICK_INPUT}`,
    };
  return { check, status: 'ok', detail: `${where} works: level ${level} over ${LEVEL_MS / 1000} s` };
}

/** Opens the output and plays a tenth of a second of silence through it: nothing audible. */
async function speakerCheck(device: string | undefined, env: NodeJS.ProcessEnv): Promise<CheckResult> {
  const check = 'speaker';
  let timer: NodeJS.Timeout | undefined;
  let stop = () => {};
  try {
    const { player, description } = await openPlayer({ ...(device ? { device } : {}), env });
    stop = () => player.stop();
    const played = (async () => {
      await player.write(new Int16Array(SAMPLE_RATE / 10));
      await player.end();
    })();
    const late = (ms: number) => new Promise<'stuck'>((resolve) => (timer = setTimeout(() => resolve('stuck'), ms)));
    // A deadline that passed while this process was busy with the other checks (a busy machine)
    // is read in the same turn as the player's end: one more moment lets that end be seen.
    if ((await Promise.race([played, late(AUDIO_TIMEOUT_MS)])) === 'stuck' && (await Promise.race([played, late(GRACE_MS)])) === 'stuck') {
      stop();
      return {
        check,
        status: 'warn',
        detail: `${description} did not finish playing a tenth of a second of silence within ${AUDIO_TIMEOUT_MS / 1000} s`,
        hint: PICK_OUTPUT,
      };
    }
    return { check, status: 'ok', detail: `${device ? `output ${device}` : 'the default output'} plays through ${description}` };
  } catch (error) {
    stop();
    return { check, status: 'warn', detail: errorMessage(error), hint: READ_INSTEAD };
  } finally {
    clearTimeout(timer);
  }
}

async function vadCheck(): Promise<CheckResult> {
  try {
    const vad = await loadVad();
    await vad.probability(new Int16Array(vad.frameSamples));
    return { check: 'vad', status: 'ok', detail: `${vad.name} loads and runs` };
  } catch (error) {
    return { check: 'vad', status: 'fail', detail: errorMessage(error) };
  }
}

function keysCheck(env: NodeJS.ProcessEnv): CheckResult {
  const set = KEY_NAMES.filter((name) => env[name]);
  const unset = KEY_NAMES.filter((name) => !env[name]);
  const detail = [
    set.length > 0 ? `set: ${set.join(', ')}` : 'no keys set',
    ...(unset.length > 0 && set.length > 0 ? [`not set: ${unset.join(', ')}`] : []),
  ].join('; ');
  return { check: 'keys', status: 'ok', detail };
}

/** What practice will use and why; a choice that cannot be honoured (a provider named without its key) fails. */
function choiceCheck(check: string, describe: () => string): CheckResult {
  try {
    return { check, status: 'ok', detail: describe() };
  } catch (error) {
    return { check, status: 'fail', detail: errorMessage(error) };
  }
}

async function voiceCheck(ctx: CliContext): Promise<CheckResult> {
  let choice: Choice<SpeechSynthesizer>;
  try {
    choice = chooseVoice({}, ctx);
  } catch (error) {
    return { check: 'tts', status: 'fail', detail: errorMessage(error) };
  }
  await choice.close();
  if (!choice.provider && choice.auto)
    return { check: 'tts', status: 'warn', detail: choice.description, hint: `install espeak-ng (apt-get install espeak-ng) or set ${autoVariables(VOICES)}` };
  return { check: 'tts', status: 'ok', detail: choice.description };
}

async function storeCheck(flag: string | undefined, ctx: CliContext): Promise<CheckResult> {
  try {
    const store = await openStoreFor(flag, ctx);
    const where = store.location;
    await store.close();
    return { check: 'store', status: 'ok', detail: `sessions are saved in ${where}` };
  } catch (error) {
    return { check: 'store', status: 'fail', detail: errorMessage(error), hint: 'interviews cannot be saved or resumed until it opens' };
  }
}

export async function runDoctor(opts: DoctorOptions, ctx: CliContext): Promise<CheckResult[]> {
  const [sandbox, addons, microphone, speaker, vad, voice, store] = await Promise.all([
    sandboxCheck(ctx.sandboxName(opts.sandbox), ctx.env),
    addonsCheck(ctx.env),
    microphoneCheck(opts.inputDevice, ctx.env),
    speakerCheck(opts.outputDevice, ctx.env),
    vadCheck(),
    voiceCheck(ctx),
    storeCheck(opts.store, ctx),
  ]);
  const brain = choiceCheck('llm', () => choose(BRAINS, undefined, ctx).description);
  const recognizer = choiceCheck('stt', () => choose(EARS, undefined, ctx).description);
  const results = [nodeCheck(), sandbox, espeakCheck(ctx.env), addons, microphone, speaker, vad, keysCheck(ctx.env), brain, recognizer, voice, store];
  if (opts.online) results.push(...(await onlineChecks(ctx)));
  return results;
}

export function registerDoctor(program: Command, ctx: CliContext): void {
  program
    .command('doctor')
    .description('check this machine for vetta practice: sandbox, audio, voice, keys (names only), providers, store')
    .option('--json', 'print an array of {check, status, detail, hint?}')
    .option('--online', 'also check that each configured provider answers, and how fast')
    .option('--input-device <name>', 'the microphone to check (default: the default input)')
    .option('--output-device <name>', 'the output to check (default: the default output)')
    .addOption(storeOption())
    .addOption(sandboxOption())
    .action(async (opts: DoctorOptions) => {
      const results = await runDoctor(opts, ctx);
      ctx.exitCode = results.some((r) => r.status === 'fail') ? 1 : 0;
      if (opts.json) {
        ctx.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
        return;
      }
      const style = styleFor(ctx.stdout, ctx.env);
      const mark = { ok: style.green('ok  '), warn: style.yellow('warn'), fail: style.red('fail') };
      const width = Math.max(...results.map((r) => r.check.length));
      for (const r of results) ctx.stdout.write(`${mark[r.status]}  ${r.check.padEnd(width)}  ${r.detail}${r.hint ? style.dim(`; ${r.hint}`) : ''}\n`);
      const failed = results.filter((r) => r.status === 'fail').length;
      const warned = results.filter((r) => r.status === 'warn').length;
      ctx.stdout.write(
        failed + warned === 0
          ? 'ready: every check passed\n'
          : `${failed} failed, ${warned} with warnings${failed === 0 ? ': practice works, with what the warnings say is missing' : ''}\n`,
      );
    });
}
