import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PcmDecoder, Resampler, rms } from '../../src/core/pcm.ts';
import { WavStreamReader, wavFile } from '../../src/core/wav.ts';

function sine(freq: number, rate: number, seconds: number): Int16Array {
  return Int16Array.from({ length: Math.round(rate * seconds) }, (_, i) => Math.round(10000 * Math.sin((2 * Math.PI * freq * i) / rate)));
}
const crossings = (s: Int16Array) => s.reduce((n, x, i) => n + (i > 0 && s[i - 1]! < 0 && x >= 0 ? 1 : 0), 0);

describe('PCM', () => {
  it('resamples 22 050 Hz to 16 kHz keeping pitch and length, with no seams between chunks', () => {
    const input = sine(440, 22050, 1);
    const whole = new Resampler(22050).push(input);
    assert.ok(Math.abs(whole.length - 16000) <= 2, `${whole.length} samples`);
    assert.ok(Math.abs(crossings(whole) - 440) <= 2, `${crossings(whole)} cycles`);
    const r = new Resampler(22050);
    const pieces: number[] = [];
    for (let i = 0; i < input.length; i += 999) pieces.push(...r.push(input.subarray(i, i + 999)));
    assert.deepEqual(Int16Array.from(pieces), whole);
    assert.ok(Math.abs(rms(whole) - rms(input)) < 0.01);
  });

  it('reads a WAV header split across chunks, and refuses what is not WAV', () => {
    const header = Buffer.alloc(44);
    header.write('RIFF', 0);
    header.writeUInt32LE(0x7ffff000, 4);
    header.write('WAVEfmt ', 8);
    header.writeUInt32LE(16, 16);
    header.writeUInt16LE(1, 20);
    header.writeUInt16LE(1, 22);
    header.writeUInt32LE(22050, 24);
    header.writeUInt32LE(44100, 28);
    header.writeUInt16LE(2, 32);
    header.writeUInt16LE(16, 34);
    header.write('data', 36);
    header.writeUInt32LE(0x7ffff000, 40);
    const reader = new WavStreamReader();
    assert.equal(reader.push(header.subarray(0, 30)).length, 0);
    assert.deepEqual(reader.push(Buffer.concat([header.subarray(30), Buffer.from([1, 2, 3, 4])])), Buffer.from([1, 2, 3, 4]));
    assert.deepEqual(reader.format, { sampleRate: 22050, channels: 1, bitsPerSample: 16 });
    assert.throws(() => new WavStreamReader().push(Buffer.from('OggS and then some bytes')), /not a WAV stream/);
  });

  it('decodes bytes that split samples across pieces, at any rate, to 16 kHz', () => {
    const input = sine(300, 24000, 0.5);
    const bytes = Buffer.from(input.buffer);
    const whole = new PcmDecoder(24000).push(bytes);
    const decoder = new PcmDecoder(24000);
    const pieces: number[] = [];
    for (let i = 0; i < bytes.length; i += 333) pieces.push(...decoder.push(bytes.subarray(i, i + 333)));
    assert.deepEqual(Int16Array.from(pieces), whole);
    assert.ok(Math.abs(whole.length - 8000) <= 2, `${whole.length} samples`);
  });

  it('writes a WAV file that reads back as the same 16 kHz mono samples', () => {
    const samples = sine(440, 16000, 0.1);
    const reader = new WavStreamReader();
    const pcm = reader.push(wavFile(samples));
    assert.deepEqual(reader.format, { sampleRate: 16000, channels: 1, bitsPerSample: 16 });
    assert.deepEqual(new Int16Array(pcm.buffer.slice(pcm.byteOffset, pcm.byteOffset + pcm.length)), samples);
  });
});
