import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import type { ChildProcess } from 'node:child_process';
import { addonPath } from './addons.js';

/**
 * naudiodon (PortAudio) runs in a child process: PortAudio prints its device probing to stdout and
 * stderr, which would scribble over the terminal, and a crash in the addon must not take Vetta
 * down. The child writes data (the device list, or PCM) to fd 3 and reports on stderr with lines
 * that start with MARK; everything else it prints is PortAudio's noise.
 */
const MARK = 'vetta-portaudio:';

const WORKER = String.raw`
const fs = require('node:fs');
const say = (what, detail) => process.stderr.write('\n${MARK} ' + what + ' ' + JSON.stringify(String(detail ?? '')) + '\n');
const [, mode, path, wanted] = process.argv;
let N;
try { N = require(path); } catch (e) { say('unloadable', e.message); process.exit(3); }
const devices = N.getDevices();
const hosts = N.getHostAPIs();
const host = hosts.HostAPIs[hosts.defaultHostAPI] || {};
if (mode === 'list') {
  fs.writeSync(3, JSON.stringify({ devices, defaultInput: host.defaultInput, defaultOutput: host.defaultOutput }));
  process.exit(0);
}
const device = wanted ? devices.find((d) => d.name === wanted && d.maxInputChannels > 0) : devices.find((d) => d.id === host.defaultInput);
if (!device) { say('missing', wanted); process.exit(4); }
let io, rate, failure;
for (const r of [16000, device.defaultSampleRate]) {
  try {
    io = new N.AudioIO({ inOptions: { channelCount: 1, sampleFormat: N.SampleFormat16Bit, sampleRate: r, deviceId: device.id, closeOnError: true, framesPerBuffer: 320 } });
    rate = r;
    break;
  } catch (e) { failure = e; }
}
if (!io) { say('unopenable', failure && failure.message); process.exit(5); }
say('rate', rate);
io.pipe(fs.createWriteStream('', { fd: 3 }));
io.on('error', (e) => { say('lost', e.message); process.exit(6); });
io.on('end', () => { say('lost', 'the input stream ended'); process.exit(6); });
io.start();
`;

/** A PortAudio device as naudiodon describes it. */
export interface PortAudioDevice {
  id: number;
  name: string;
  maxInputChannels: number;
  maxOutputChannels: number;
  defaultSampleRate: number;
  hostAPIName: string;
}

export interface PortAudioList {
  devices: PortAudioDevice[];
  defaultInput?: number;
  defaultOutput?: number;
}

/** A report line from the worker: what happened and its detail. */
export interface PortAudioReport {
  what: 'unloadable' | 'missing' | 'unopenable' | 'rate' | 'lost';
  detail: string;
}

export function parseReports(stderr: string): PortAudioReport[] {
  const reports: PortAudioReport[] = [];
  for (const line of stderr.split('\n')) {
    if (!line.startsWith(MARK)) continue;
    const rest = line.slice(MARK.length + 1);
    const space = rest.indexOf(' ');
    reports.push({ what: rest.slice(0, space) as PortAudioReport['what'], detail: JSON.parse(rest.slice(space + 1)) as string });
  }
  return reports;
}

function spawnWorker(args: string[], env: NodeJS.ProcessEnv): ChildProcess | undefined {
  const path = addonPath('naudiodon');
  if (!path) return undefined;
  // cwd: naudiodon's crash handler writes crash.log into the working directory.
  return spawn(process.execPath, ['-e', WORKER, args[0]!, path, ...args.slice(1)], { env, cwd: tmpdir(), stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
}

/** PortAudio's devices, or why they cannot be listed. */
export async function listPortAudio(env: NodeJS.ProcessEnv = process.env): Promise<PortAudioList | string> {
  const child = spawnWorker(['list'], env);
  if (!child) return 'not installed';
  let data = '';
  let stderr = '';
  child.stdio[3]!.on('data', (d) => (data += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code === 0 && data) return JSON.parse(data) as PortAudioList;
  const report = parseReports(stderr)[0];
  if (report?.what === 'unloadable') return /bindings file|shared object/.test(report.detail) ? 'not built' : report.detail;
  return `exit ${code}`;
}

/** Starts capturing one channel of 16-bit PCM from the named input (or the default) in a worker. */
export function capturePortAudio(device: string | undefined, env: NodeJS.ProcessEnv): ChildProcess | undefined {
  return spawnWorker(['capture', device ?? ''], env);
}
