import type { Command } from 'commander';
import type { AudioDevice } from '../audio/devices.js';
import { listDevices } from '../audio/devices.js';
import type { CliContext } from './context.js';

/** `vetta devices`: the inputs and outputs Vetta can use, which audio systems answered, and how to enable the addons. */
export function registerDevices(program: Command, ctx: CliContext): void {
  program
    .command('devices')
    .description('list the microphones and speakers, and the audio backends found')
    .option('--json', 'print one JSON object')
    .action(async (opts: { json?: boolean }) => {
      const report = await listDevices(ctx.env);
      if (opts.json) {
        ctx.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        return;
      }
      const lines: string[] = [];
      const section = (title: string, devices: AudioDevice[]) => {
        lines.push(`${title}:`);
        if (devices.length === 0) lines.push('  (none found)');
        for (const d of devices) lines.push(`  ${d.isDefault ? '*' : ' '} ${d.name}  ${d.description ? `${d.description}, ` : ''}${d.system}`);
      };
      section('inputs (--input-device)', report.inputs);
      section('outputs (--output-device)', report.outputs);
      lines.push(
        `* the default; found through: ${report.systems.length > 0 ? report.systems.join(', ') : 'nothing (no PortAudio, PulseAudio or ALSA tools answered)'}`,
      );
      const addon = (name: string, state: true | string) => `${name} ${state === true ? 'loads' : `unavailable (${state})`}`;
      lines.push(`native audio: ${addon('naudiodon', report.addons.naudiodon)}; ${addon('speaker', report.addons.speaker)}`);
      if (report.hint) lines.push(`voice works without them through sox, parec and pacat; ${report.hint}`);
      ctx.stdout.write(`${lines.join('\n')}\n`);
    });
}
