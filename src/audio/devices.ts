import { execFile } from 'node:child_process';
import { findOnPath } from '../core/find-on-path.js';
import { ENABLE_ADDONS_HINT, NO_ALSA_OUTPUT, probeAddon } from './addons.js';
import { listPortAudio } from './portaudio.js';

/**
 * What can record and play on this machine. PortAudio (naudiodon) sees ALSA's devices; when
 * PulseAudio runs, ALSA shows it as one device ("pulse"), so PulseAudio's own sinks and sources are
 * listed too: they are what a user picks with --input-device and --output-device.
 */
export type AudioSystem = 'portaudio' | 'pulseaudio' | 'alsa';

export interface AudioDevice {
  /** What --input-device / --output-device take. */
  name: string;
  description: string;
  isDefault: boolean;
  system: AudioSystem;
}

export interface DeviceReport {
  inputs: AudioDevice[];
  outputs: AudioDevice[];
  /** The systems that answered, in the order they were asked. */
  systems: AudioSystem[];
  /** Whether each native addon loads, or why not. */
  addons: { naudiodon: true | string; speaker: true | string };
  /** How to enable the addons, when one is missing. */
  hint?: string;
}

export interface PulseDevices {
  sinks: string[];
  sources: string[];
  defaultSink?: string;
  defaultSource?: string;
  formats: Map<string, string>;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(command, args, { env, timeout: 5_000 }, (error, stdout) => resolve(error ? undefined : stdout));
  });
}

/** PulseAudio's sinks and sources, or undefined when no PulseAudio server answers. */
export async function pulseDevices(env: NodeJS.ProcessEnv = process.env): Promise<PulseDevices | undefined> {
  const pactl = findOnPath('pactl', env, ['/usr/bin']);
  if (!pactl) return undefined;
  const [info, sinks, sources] = await Promise.all([
    run(pactl, ['info'], env),
    run(pactl, ['list', 'short', 'sinks'], env),
    run(pactl, ['list', 'short', 'sources'], env),
  ]);
  if (info === undefined || sinks === undefined || sources === undefined) return undefined;
  const formats = new Map<string, string>();
  const names = (listing: string) =>
    listing
      .split('\n')
      .map((line) => line.split('\t'))
      .filter((fields) => fields.length >= 2)
      .map(([, name, , format]) => {
        if (format) formats.set(name!, format);
        return name!;
      });
  const field = (label: string) => info.match(new RegExp(`^${label}: (.+)$`, 'm'))?.[1]?.trim();
  return { sinks: names(sinks), sources: names(sources), defaultSink: field('Default Sink'), defaultSource: field('Default Source'), formats };
}

/** `arecord -l` / `aplay -l` lines: "card 0: PCH [HDA Intel PCH], device 0: ALC257 Analog [ALC257 Analog]". */
export function parseAlsaList(listing: string): AudioDevice[] {
  const devices: AudioDevice[] = [];
  for (const match of listing.matchAll(/^card (\d+): [^[]*\[([^\]]*)\], device (\d+): [^[]*\[([^\]]*)\]/gm)) {
    devices.push({ name: `hw:${match[1]},${match[3]}`, description: `${match[2]}: ${match[4]}`, isDefault: false, system: 'alsa' });
  }
  return devices;
}

export async function listDevices(env: NodeJS.ProcessEnv = process.env): Promise<DeviceReport> {
  const [portaudio, pulse, speaker] = await Promise.all([listPortAudio(env), pulseDevices(env), probeAddon('speaker', env)]);
  const report: DeviceReport = { inputs: [], outputs: [], systems: [], addons: { naudiodon: typeof portaudio === 'string' ? portaudio : true, speaker } };
  if (pulse) {
    report.systems.push('pulseaudio');
    for (const name of pulse.sources)
      report.inputs.push({ name, description: describePulse(name, pulse), isDefault: name === pulse.defaultSource, system: 'pulseaudio' });
    for (const name of pulse.sinks)
      report.outputs.push({ name, description: describePulse(name, pulse), isDefault: name === pulse.defaultSink, system: 'pulseaudio' });
  }
  if (typeof portaudio !== 'string') {
    report.systems.unshift('portaudio');
    // With PulseAudio listed, its own names are the defaults a user sees; PortAudio's are the way in.
    const markDefaults = !pulse;
    for (const d of portaudio.devices) {
      const description = `${d.hostAPIName}, ${d.defaultSampleRate} Hz`;
      if (d.maxInputChannels > 0)
        report.inputs.push({ name: d.name, description, isDefault: markDefaults && d.id === portaudio.defaultInput, system: 'portaudio' });
      if (d.maxOutputChannels > 0)
        report.outputs.push({ name: d.name, description, isDefault: markDefaults && d.id === portaudio.defaultOutput, system: 'portaudio' });
    }
  }
  if (report.systems.length === 0) {
    const arecord = findOnPath('arecord', env, ['/usr/bin']);
    const aplay = findOnPath('aplay', env, ['/usr/bin']);
    const [inputs, outputs] = await Promise.all([arecord ? run(arecord, ['-l'], env) : undefined, aplay ? run(aplay, ['-l'], env) : undefined]);
    if (inputs !== undefined || outputs !== undefined) report.systems.push('alsa');
    report.inputs.push(...parseAlsaList(inputs ?? ''));
    report.outputs.push(...parseAlsaList(outputs ?? ''));
  }
  // A speaker that loads but finds no device is a sound-system problem, not a missing addon.
  const missing = [report.addons.naudiodon, report.addons.speaker].some((state) => state !== true && state !== NO_ALSA_OUTPUT);
  if (missing) report.hint = ENABLE_ADDONS_HINT;
  return report;
}

function describePulse(name: string, pulse: PulseDevices): string {
  const format = pulse.formats.get(name) ?? '';
  return name.endsWith('.monitor') ? `what ${name.slice(0, -'.monitor'.length)} plays (${format})` : format;
}
