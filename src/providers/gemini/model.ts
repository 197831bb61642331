import type { Content, GoogleGenAI } from '@google/genai';
import { isRetryableStatus, ProviderError } from '../errors.js';
import { streamWithRetries } from '../llm-stream.js';
import type { StreamPolicy } from '../llm-stream.js';
import type { ChatMessage, LanguageModel, ModelRequest } from '../spec.js';

/** A current Flash model: fast first tokens, with thinking turned off below. */
export const DEFAULT_GEMINI_MODEL = 'gemini-2.5-flash';

export interface GeminiModelOptions {
  apiKey: string;
  model?: string;
  /** Another endpoint speaking the Gemini API (a proxy, or a test server). */
  baseUrl?: string;
  firstTokenTimeoutMs?: number;
  retries?: number;
  backoffMs?: number;
}

/** Gemini wants alternating user/model turns; adjacent turns of one role are joined. */
function toContents(messages: ChatMessage[]): Content[] {
  const contents: Content[] = [];
  for (const m of messages) {
    const role = m.role === 'assistant' ? 'model' : 'user';
    const last = contents.at(-1);
    if (last?.role === role) last.parts!.push({ text: m.content });
    else contents.push({ role, parts: [{ text: m.content }] });
  }
  return contents;
}

function providerError(error: unknown, endpoint: string): ProviderError {
  const status = (error as { status?: unknown }).status;
  if (typeof status === 'number') {
    const advice = status === 400 || status === 403 ? '; check GEMINI_API_KEY' : status === 404 ? '; check the model name' : '';
    return new ProviderError('gemini', `${endpoint} answered HTTP ${status}${advice}`, { status, retryable: isRetryableStatus(status), cause: error });
  }
  const cause = (error as Error).cause as Error | undefined;
  return new ProviderError('gemini', `cannot reach ${endpoint} (${cause?.message ?? (error as Error).message})`, { retryable: true, cause: error });
}

/**
 * Google's Gemini through the official SDK, streamed. The SDK retries nothing on its own; the
 * shared policy retries before the first token and times out a silent request.
 */
export class GeminiModel implements LanguageModel {
  readonly name = 'gemini';
  /** Loaded on first use, so the commands that never ask Gemini do not pay for the SDK. */
  private client: Promise<GoogleGenAI> | null = null;
  private readonly clientOptions: { apiKey: string; httpOptions?: { baseUrl: string } };
  readonly model: string;
  private readonly policy: StreamPolicy;

  constructor(options: GeminiModelOptions) {
    this.clientOptions = { apiKey: options.apiKey, ...(options.baseUrl ? { httpOptions: { baseUrl: options.baseUrl } } : {}) };
    this.model = options.model ?? DEFAULT_GEMINI_MODEL;
    this.policy = {
      provider: 'gemini',
      endpoint: options.baseUrl ?? 'the Gemini API',
      firstTokenTimeoutMs: options.firstTokenTimeoutMs ?? 10_000,
      retries: options.retries ?? 2,
      backoffMs: options.backoffMs ?? 500,
    };
  }

  stream(request: ModelRequest, signal: AbortSignal): AsyncGenerator<string> {
    const contents = toContents(request.messages);
    return streamWithRetries((attempt) => this.open(contents, request, attempt), signal, this.policy);
  }

  private async *open(contents: Content[], request: ModelRequest, signal: AbortSignal): AsyncGenerator<string> {
    let stream: AsyncGenerator<{ text?: string | undefined }>;
    try {
      this.client ??= import('@google/genai').then(({ GoogleGenAI }) => new GoogleGenAI(this.clientOptions));
      stream = await (await this.client).models.generateContentStream({
        model: this.model,
        contents,
        config: {
          systemInstruction: request.system,
          temperature: 0.4,
          maxOutputTokens: request.maxTokens,
          thinkingConfig: { thinkingBudget: 0 },
          abortSignal: signal,
        },
      });
    } catch (error) {
      if (signal.aborted) throw error;
      throw providerError(error, this.policy.endpoint);
    }
    try {
      for await (const chunk of stream) if (chunk.text) yield chunk.text;
    } catch (error) {
      if (signal.aborted) throw error;
      throw providerError(error, this.policy.endpoint);
    }
  }
}
