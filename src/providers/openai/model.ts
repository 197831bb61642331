import { isRetryableStatus, ProviderError } from '../errors.js';
import { streamWithRetries } from '../llm-stream.js';
import type { StreamPolicy } from '../llm-stream.js';
import type { LanguageModel, ModelRequest } from '../spec.js';

export interface OpenAiModelOptions {
  /** e.g. http://localhost:11434/v1 (Ollama), http://localhost:8080/v1 (llama.cpp server). */
  baseUrl: string;
  model: string;
  apiKey?: string;
  /** Give up on a request that has produced no token by then. */
  firstTokenTimeoutMs?: number;
  /** Further attempts after a retryable failure before the first token. */
  retries?: number;
  /** The first backoff; it doubles with each retry. */
  backoffMs?: number;
}

/**
 * Any OpenAI-compatible chat-completions endpoint, streamed (Ollama, llama.cpp, vLLM).
 */
export class OpenAiCompatibleModel implements LanguageModel {
  readonly name = 'openai';
  readonly model: string;
  private readonly policy: StreamPolicy;

  constructor(private readonly options: OpenAiModelOptions) {
    this.model = options.model;
    this.policy = {
      provider: 'openai',
      endpoint: options.baseUrl,
      firstTokenTimeoutMs: options.firstTokenTimeoutMs ?? 10_000,
      retries: options.retries ?? 2,
      backoffMs: options.backoffMs ?? 500,
    };
  }

  stream(request: ModelRequest, signal: AbortSignal): AsyncGenerator<string> {
    const body = JSON.stringify({
      model: this.options.model,
      stream: true,
      temperature: 0.4,
      max_tokens: request.maxTokens,
      messages: [{ role: 'system', content: request.system }, ...request.messages],
    });
    return streamWithRetries((attempt) => this.open(body, attempt), signal, this.policy);
  }

  private async *open(body: string, signal: AbortSignal): AsyncGenerator<string> {
    let res: Response;
    try {
      res = await fetch(`${this.options.baseUrl.replace(/\/$/, '')}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {}) },
        body,
        signal,
      });
    } catch (error) {
      if (signal.aborted) throw error;
      const cause = (error as Error).cause as Error | undefined;
      throw new ProviderError('openai', `cannot reach ${this.options.baseUrl} (${cause?.message ?? (error as Error).message}); is the server running?`, {
        retryable: true,
        cause: error,
      });
    }
    if (!res.ok || !res.body) {
      await res.body?.cancel();
      const advice =
        res.status === 401 ? '; check OPENAI_API_KEY' : res.status === 404 ? `; check the base URL and that model "${this.options.model}" exists` : '';
      throw new ProviderError('openai', `${this.options.baseUrl} answered HTTP ${res.status}${advice}`, {
        status: res.status,
        retryable: isRetryableStatus(res.status),
      });
    }
    yield* sseDeltas(res.body, signal);
  }
}

/** The content deltas of an OpenAI-style server-sent event stream. */
export async function* sseDeltas(body: ReadableStream<Uint8Array>, signal: AbortSignal): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buffer = '';
  const reader = body.getReader();
  try {
    while (!signal.aborted) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let nl = buffer.indexOf('\n');
      while (nl >= 0) {
        const line = buffer.slice(0, nl).trim();
        buffer = buffer.slice(nl + 1);
        nl = buffer.indexOf('\n');
        if (!line.startsWith('data:')) continue;
        const data = line.slice(5).trim();
        if (data === '[DONE]') return;
        let event: { choices?: { delta?: { content?: string } }[]; error?: { message?: string } };
        try {
          event = JSON.parse(data);
        } catch {
          continue;
        }
        if (event.error) throw new ProviderError('openai', `the server reported an error mid-answer: ${event.error.message ?? 'unknown'}`);
        const text = event.choices?.[0]?.delta?.content;
        if (text) yield text;
      }
    }
  } finally {
    reader.releaseLock();
    await body.cancel().catch(() => {});
  }
}
