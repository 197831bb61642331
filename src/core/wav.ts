import { SAMPLE_RATE } from './pcm.js';

/**
 * Reads a WAV stream incrementally: the header first (format, rate, channels), then raw samples.
 * Streaming producers (espeak-ng --stdout) write an unknown data length, so the data chunk is read
 * to the end of the stream rather than to its declared size.
 */
export interface WavFormat {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
}

export class WavStreamReader {
  private header = Buffer.alloc(0);
  format: WavFormat | null = null;

  /** Returns the PCM bytes in this chunk (none until the header is complete). */
  push(chunk: Buffer): Buffer {
    if (this.format) return chunk;
    this.header = Buffer.concat([this.header, chunk]);
    if (this.header.length < 12) return Buffer.alloc(0);
    if (this.header.toString('ascii', 0, 4) !== 'RIFF' || this.header.toString('ascii', 8, 12) !== 'WAVE') {
      throw new Error('not a WAV stream');
    }
    let offset = 12;
    let format: WavFormat | null = null;
    while (offset + 8 <= this.header.length) {
      const id = this.header.toString('ascii', offset, offset + 4);
      const size = this.header.readUInt32LE(offset + 4);
      if (id === 'data') {
        if (!format) throw new Error('WAV data before its format');
        this.format = format;
        const pcm = this.header.subarray(offset + 8);
        this.header = Buffer.alloc(0);
        return pcm;
      }
      if (offset + 8 + size > this.header.length) return Buffer.alloc(0);
      if (id === 'fmt ') {
        const encoding = this.header.readUInt16LE(offset + 8);
        if (encoding !== 1) throw new Error(`WAV encoding ${encoding} is not PCM`);
        format = {
          channels: this.header.readUInt16LE(offset + 10),
          sampleRate: this.header.readUInt32LE(offset + 12),
          bitsPerSample: this.header.readUInt16LE(offset + 22),
        };
      }
      offset += 8 + size + (size % 2);
    }
    return Buffer.alloc(0);
  }
}

/** A whole mono 16-bit PCM WAV file holding `samples`. */
export function wavFile(samples: Int16Array, sampleRate = SAMPLE_RATE): Buffer {
  const data = Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}
