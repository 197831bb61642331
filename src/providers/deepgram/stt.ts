import type { DeepgramClient, listen } from '@deepgram/sdk';
import { untilAborted } from '../../core/abort.js';
import { AsyncQueue } from '../../core/async-queue.js';
import { feedRecognizer } from '../recognizer-input.js';
import { ProviderError, isRetryableStatus } from '../errors.js';
import type { RecognizerInput, SpeechRecognizer, TranscriptEvent } from '../spec.js';

export const DEFAULT_DEEPGRAM_MODEL = 'nova-3';
const SAMPLE_RATE = 16_000;

export interface DeepgramSttOptions {
  apiKey: string;
  /** Another endpoint speaking Deepgram's API (DEEPGRAM_BASE_URL: a proxy, or a test server). */
  baseUrl?: string;
  model?: string;
  /** Silence after speech before Deepgram finalises with speech_final. */
  endpointingMs?: number;
  /** Gap after the last word before Deepgram sends UtteranceEnd (Deepgram's minimum is 1000). */
  utteranceEndMs?: number;
  /** Send KeepAlive when no audio went out for this long (Deepgram closes after 10 s). */
  keepAliveMs?: number;
  /** New connections tried after a drop before giving up. */
  reconnectAttempts?: number;
  /** Wait before the second and later attempts; doubles each time. The first is immediate. */
  reconnectDelayMs?: number;
  connectTimeoutMs?: number;
  /** How long the server may take to finish after CloseStream before the close counts as a drop. */
  closeTimeoutMs?: number;
}

function endpointOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).host;
  } catch {
    throw new ProviderError('deepgram', `"${baseUrl}" is not a URL: set DEEPGRAM_BASE_URL to ws://host:port or wss://host, or unset it`);
  }
}

type ListenSocket = Awaited<ReturnType<DeepgramClient['listen']['v1']['connect']>>;
type ListenMessage = listen.ListenV1Results | listen.ListenV1Metadata | listen.ListenV1UtteranceEnd | listen.ListenV1SpeechStarted;

/** Audio not yet covered by a final transcript, with where in the stream each piece sits. */
type Pending = { atSample: number; frame: Int16Array } | { atSample: number; endOfSpeech: true };

/** How one connection ended, from the SDK's close and error events. */
interface ConnectionEnd {
  code?: number;
  /** The HTTP status of a refused upgrade. */
  status?: number;
  error?: string;
}

/**
 * Deepgram's live transcription through the official SDK. The SDK's own reconnect is off
 * (`reconnectAttempts: 0`): it waits 1-5 s at random before each of up to 30 attempts, far too
 * long in a conversation, and a connection it reopens starts its clock at zero with the audio in
 * flight lost. Reconnecting here instead re-sends the audio since the last final transcript and
 * shifts the new connection's times by where that audio began, so no word is lost or repeated.
 */
export class DeepgramStt implements SpeechRecognizer {
  readonly name = 'deepgram';
  /** Loaded on first use: the SDK costs a few hundred ms at startup that text mode never needs. */
  private client: Promise<DeepgramClient> | null = null;
  private readonly clientOptions: { apiKey: string; baseUrl?: string };
  private readonly endpoint: string;
  private readonly settings: Required<Omit<DeepgramSttOptions, 'apiKey' | 'baseUrl'>>;

  constructor(options: DeepgramSttOptions) {
    this.clientOptions = { apiKey: options.apiKey, ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}) };
    this.endpoint = options.baseUrl ? endpointOf(options.baseUrl) : 'api.deepgram.com';
    this.settings = {
      model: options.model ?? DEFAULT_DEEPGRAM_MODEL,
      endpointingMs: options.endpointingMs ?? 300,
      utteranceEndMs: options.utteranceEndMs ?? 1000,
      keepAliveMs: options.keepAliveMs ?? 3000,
      reconnectAttempts: options.reconnectAttempts ?? 3,
      reconnectDelayMs: options.reconnectDelayMs ?? 250,
      connectTimeoutMs: options.connectTimeoutMs ?? 5000,
      closeTimeoutMs: options.closeTimeoutMs ?? 5000,
    };
  }

  transcribe(audio: AsyncIterable<RecognizerInput>, signal?: AbortSignal): AsyncGenerator<TranscriptEvent> {
    const client = () => (this.client ??= import('@deepgram/sdk').then(({ DeepgramClient }) => new DeepgramClient(this.clientOptions)));
    return new LiveSession(client, this.endpoint, this.settings, audio, signal).run();
  }
}

/** A connection that stayed up this long was healthy: its drop starts a fresh count of attempts. */
const HEALTHY_UPTIME_MS = 5000;

class LiveSession {
  private readonly events = new AsyncQueue<TranscriptEvent>();
  private readonly pending: Pending[] = [];
  /** Samples received from the input so far: the stream's clock. */
  private sentSamples = 0;
  /** Where the audio not yet covered by a final begins. */
  private pendingStartSample = 0;
  /** The furthest audio any connection has been sent. */
  private heardUntilSample = 0;
  private inputEnded = false;
  private stopped = false;
  private socket: ListenSocket | undefined;
  /** The current socket is open and has been sent the pending audio. */
  private live = false;
  private openedAtMs = 0;
  private everOpened = false;
  private closeStreamSent = false;
  /** Where on the stream's clock the current connection's zero lies. */
  private offsetSample = 0;
  /** Audio earlier connections heard: a SpeechStarted in it, already reported, is not news. */
  private replayUntilSample = 0;
  private lastSpeechStartedMs = -1;
  private failedAttempts = 0;
  private lastSendAtMs = Date.now();
  private keepAliveTimer: NodeJS.Timeout | undefined;
  private closeTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly client: () => Promise<DeepgramClient>,
    private readonly endpoint: string,
    private readonly settings: Required<Omit<DeepgramSttOptions, 'apiKey' | 'baseUrl'>>,
    private readonly audio: AsyncIterable<RecognizerInput>,
    private readonly signal: AbortSignal | undefined,
  ) {}

  run(): AsyncGenerator<TranscriptEvent> {
    return untilAborted(
      this.signal,
      () => this.stop(),
      () => {
        this.keepAliveTimer = setInterval(() => this.keepAlive(), Math.max(10, this.settings.keepAliveMs / 4));
        void this.connect();
        void feedRecognizer(this.audio, {
          stopped: () => this.stopped,
          frame: (item) => {
            // Kept until a final covers it; a copy, since a microphone may reuse its buffer.
            const frame = item.slice();
            this.pending.push({ atSample: this.sentSamples, frame });
            this.sentSamples += frame.length;
            if (this.live) this.sendAudio(this.sentSamples - frame.length, frame);
          },
          endOfSpeech: () => {
            this.pending.push({ atSample: this.sentSamples, endOfSpeech: true });
            if (this.live) this.socket!.sendFinalize({ type: 'Finalize' });
          },
          endOfInput: () => {
            this.inputEnded = true;
            if (this.live) this.closeStream();
          },
          failed: (error) => this.stop(error),
        });
        return this.events;
      },
    );
  }

  /** Ends the session: quietly on abort and at the end, with the error otherwise. */
  private stop(error?: unknown): void {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.keepAliveTimer);
    clearTimeout(this.closeTimer);
    clearTimeout(this.retryTimer);
    const socket = this.socket;
    this.socket = undefined;
    this.live = false;
    socket?.close();
    this.events.end(error);
  }

  private sendAudio(atSample: number, frame: Int16Array): void {
    this.socket!.sendMedia(new Uint8Array(frame.buffer, frame.byteOffset, frame.byteLength));
    this.lastSendAtMs = Date.now();
    this.heardUntilSample = Math.max(this.heardUntilSample, atSample + frame.length);
  }

  private keepAlive(): void {
    if (!this.live || this.inputEnded || Date.now() - this.lastSendAtMs < this.settings.keepAliveMs) return;
    this.socket!.sendKeepAlive({ type: 'KeepAlive' });
    this.lastSendAtMs = Date.now();
  }

  private closeStream(): void {
    const socket = this.socket;
    socket!.sendCloseStream({ type: 'CloseStream' });
    this.closeStreamSent = true;
    this.closeTimer = setTimeout(
      () => this.connectionEnded(socket, { error: `no answer to CloseStream within ${this.settings.closeTimeoutMs / 1000} s` }),
      this.settings.closeTimeoutMs,
    );
  }

  private async connect(): Promise<void> {
    let socket: ListenSocket;
    try {
      socket = await (await this.client()).listen.v1.connect({
        model: this.settings.model,
        encoding: 'linear16',
        sample_rate: SAMPLE_RATE,
        channels: 1,
        interim_results: 'true',
        endpointing: this.settings.endpointingMs,
        utterance_end_ms: this.settings.utteranceEndMs,
        vad_events: 'true',
        smart_format: 'true',
        reconnectAttempts: 0,
        connectionTimeoutInSeconds: this.settings.connectTimeoutMs / 1000,
      });
    } catch (error) {
      this.stop(new ProviderError('deepgram', `cannot open a connection to ${this.endpoint} (${(error as Error).message})`, { cause: error }));
      return;
    }
    if (this.stopped) return;
    this.socket = socket;
    this.closeStreamSent = false;
    // A failing socket reports a close and then, at once, an error carrying the reason (for a
    // refused upgrade, the HTTP status): both are read before deciding what to do.
    let end: ConnectionEnd | undefined;
    const ended = (seen: ConnectionEnd) => {
      if (socket === this.socket) this.live = false;
      if (end) return void Object.assign(end, seen, { code: end.code ?? seen.code });
      end = seen;
      setImmediate(() => this.connectionEnded(socket, end!));
    };
    socket.on('open', () => this.opened(socket));
    socket.on('message', (message) => this.received(socket, message as ListenMessage));
    socket.on('close', (event) => ended({ code: event.code }));
    socket.on('error', (error) => {
      const status = /Unexpected server response: (\d+)/.exec(error.message)?.[1];
      ended(status ? { status: Number(status), error: `HTTP ${status}` } : { error: error.message });
    });
    socket.connect();
  }

  /** A new connection hears the audio not yet finalised first, then the live stream. */
  private opened(socket: ListenSocket): void {
    if (socket !== this.socket || this.stopped) return;
    this.replayUntilSample = this.heardUntilSample;
    this.offsetSample = this.pendingStartSample;
    this.openedAtMs = Date.now();
    this.everOpened = true;
    this.live = true;
    for (const item of this.pending) {
      if ('frame' in item) this.sendAudio(item.atSample, item.frame);
      else socket.sendFinalize({ type: 'Finalize' });
    }
    if (this.inputEnded) this.closeStream();
  }

  private connectionEnded(socket: ListenSocket | undefined, end: ConnectionEnd): void {
    if (socket !== this.socket || this.stopped) return;
    clearTimeout(this.closeTimer);
    this.live = false;
    this.socket = undefined;
    socket?.close();
    if (this.closeStreamSent && end.code === 1000 && end.error === undefined) {
      this.stop();
      return;
    }
    if (end.status === 401 || end.status === 403) {
      this.stop(new ProviderError('deepgram', `${this.endpoint} refused the API key (HTTP ${end.status}): check DEEPGRAM_API_KEY`, { status: end.status }));
      return;
    }
    if (end.status !== undefined && !isRetryableStatus(end.status)) {
      this.stop(
        new ProviderError('deepgram', `${this.endpoint} refused the stream settings (HTTP ${end.status}): check the Deepgram model name`, {
          status: end.status,
        }),
      );
      return;
    }
    if (this.openedAtMs > 0 && Date.now() - this.openedAtMs >= HEALTHY_UPTIME_MS) this.failedAttempts = 0;
    this.openedAtMs = 0;
    this.failedAttempts++;
    if (this.failedAttempts > this.settings.reconnectAttempts) {
      const reason = end.error ?? `closed with code ${end.code}`;
      const what = this.everOpened
        ? `lost the connection to ${this.endpoint} and ${this.settings.reconnectAttempts} reconnects failed`
        : `cannot reach ${this.endpoint}`;
      this.stop(new ProviderError('deepgram', `${what} (${reason}): check the network and try again`, { status: end.status, retryable: true }));
      return;
    }
    const delayMs = this.failedAttempts === 1 ? 0 : this.settings.reconnectDelayMs * 2 ** (this.failedAttempts - 2);
    this.retryTimer = setTimeout(() => void this.connect(), delayMs);
  }

  private received(socket: ListenSocket, message: ListenMessage): void {
    if (socket !== this.socket || this.stopped) return;
    const toMs = (seconds: number) => Math.round((this.offsetSample / SAMPLE_RATE + seconds) * 1000);
    switch (message.type) {
      case 'Results': {
        const text = message.channel.alternatives[0]?.transcript ?? '';
        const startMs = toMs(message.start);
        const endMs = toMs(message.start + message.duration);
        if (!message.is_final) {
          if (text) this.events.push({ type: 'transcript-partial', text, startMs, endMs });
          return;
        }
        this.failedAttempts = 0;
        this.finalised(this.offsetSample + Math.round((message.start + message.duration) * SAMPLE_RATE));
        // The final that answers our Finalize closes the utterance local VAD saw end.
        const speechFinal = Boolean(message.speech_final || message.from_finalize);
        if (text || speechFinal) this.events.push({ type: 'transcript-final', text, startMs, endMs, speechFinal });
        return;
      }
      case 'SpeechStarted': {
        const atMs = toMs(message.timestamp);
        const offsetMs = (this.offsetSample * 1000) / SAMPLE_RATE;
        if (this.lastSpeechStartedMs >= offsetMs && atMs < (this.replayUntilSample * 1000) / SAMPLE_RATE) return;
        this.lastSpeechStartedMs = atMs;
        this.events.push({ type: 'speech-started', atMs });
        return;
      }
      case 'UtteranceEnd':
        this.events.push({ type: 'utterance-end', atMs: toMs(message.last_word_end) });
        return;
      case 'Metadata':
        return;
    }
  }

  /** Audio up to `endSample` has its final transcript: it will never be sent again. */
  private finalised(endSample: number): void {
    const end = Math.min(endSample, this.sentSamples);
    while (this.pending.length > 0) {
      const first = this.pending[0]!;
      if ('endOfSpeech' in first) {
        if (first.atSample > end) break;
        this.pending.shift();
        continue;
      }
      const frameEnd = first.atSample + first.frame.length;
      if (frameEnd <= end) {
        this.pending.shift();
        continue;
      }
      if (first.atSample < end) this.pending[0] = { atSample: end, frame: first.frame.subarray(end - first.atSample) };
      break;
    }
    this.pendingStartSample = Math.max(this.pendingStartSample, end);
  }
}
