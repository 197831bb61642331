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
        format = { channels: this.header.readUInt16LE(offset + 10), sampleRate: this.header.readUInt32LE(offset + 12), bitsPerSample: this.header.readUInt16LE(offset + 22) };
      }
      offset += 8 + size + (size % 2);
    }
    return Buffer.alloc(0);
  }
}
