import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DeviceReport } from '../../src/audio/devices.ts';
import { runCli } from '../helpers.ts';
import { pulseUnavailable, startPulse } from '../audio/pulse.ts';
import type { Pulse } from '../audio/pulse.ts';

async function devices(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const { code, stdout, stderr } = await runCli(['devices', ...args], env);
  assert.equal(code, 0, stderr);
  return stdout;
}

describe('vetta devices (PulseAudio null sinks)', { skip: pulseUnavailable() }, () => {
  let pulse: Pulse;
  before(async () => {
    pulse = await startPulse();
  });
  after(() => pulse?.close());

  it('lists the sinks as outputs and their monitors as inputs, with the default marked, in --json', async () => {
    const report = JSON.parse(await devices(['--json'], pulse.env)) as DeviceReport;
    assert.ok(report.systems.includes('pulseaudio'));
    const outputs = report.outputs.filter((d) => d.system === 'pulseaudio');
    assert.deepEqual(outputs.map((d) => d.name).sort(), ['vetta_mic', 'vetta_test']);
    assert.equal(outputs.filter((d) => d.isDefault).length, 1);
    const inputs = report.inputs.filter((d) => d.system === 'pulseaudio').map((d) => d.name);
    assert.ok(inputs.includes(pulse.microphone), inputs.join(', '));
    assert.ok(report.addons.naudiodon === true || typeof report.addons.naudiodon === 'string');
    if (report.addons.naudiodon !== true || report.addons.speaker !== true) assert.match(report.hint ?? '', /allowScripts.*libasound2-dev.*npm rebuild/);
  });

  it('prints the devices and which audio systems answered', async () => {
    const text = await devices([], pulse.env);
    assert.match(text, /^outputs \(--output-device\):$/m);
    assert.match(text, /^ {2}[* ] vetta_test {2}s16le 1ch 16000Hz, pulseaudio$/m);
    assert.match(text, /found through: .*pulseaudio/);
    assert.match(text, /^native audio: naudiodon (loads|unavailable \(.+\)); speaker (loads|unavailable \(.+\))$/m);
  });
});

describe('vetta devices with no sound server', () => {
  // Loading speaker with no ALSA device aborts the process that loads it; here that must not be Vetta.
  it('survives, and says which addons are unavailable and why', async () => {
    const text = await devices([], { PATH: process.env.PATH, HOME: '/nonexistent', XDG_RUNTIME_DIR: '/nonexistent', PULSE_SERVER: 'unix:/nonexistent/native' });
    assert.doesNotMatch(text, / pulseaudio$/m);
    assert.match(text, /^native audio: naudiodon (loads|unavailable \(.+\)); speaker (loads|unavailable \(.+\))$/m);
  });
});
