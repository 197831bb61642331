import { buildPrompt } from '../../interview/prompt.js';
import { guardTurn } from '../../interview/output-guard.js';
import { isRetryableStatus, ProviderError } from '../errors.js';
import type { Brain, BrainPart, Instruction, InterviewContext } from '../spec.js';

export interface OpenAiBrainOptions {
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

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

/**
 * Any OpenAI-compatible chat-completions endpoint, streamed (Ollama, llama.cpp, vLLM). Retries
 * before the first token only: after it, a retry would repeat what was already said.
 */
export class OpenAiCompatibleBrain implements Brain {
  readonly name = 'openai';
  private readonly firstTokenTimeoutMs: number;
  private readonly retries: number;
  private readonly backoffMs: number;

  constructor(private readonly options: OpenAiBrainOptions) {
    this.firstTokenTimeoutMs = options.firstTokenTimeoutMs ?? 10_000;
    this.retries = options.retries ?? 2;
    this.backoffMs = options.backoffMs ?? 500;
  }

  async *stream(instruction: Instruction, context: InterviewContext, signal?: AbortSignal): AsyncGenerator<BrainPart> {
    const request = new AbortController();
    const onAbort = () => request.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const deltas = this.deltas(instruction, context, request.signal);
      for await (const text of guardTurn(deltas, undefined, () => request.abort())) {
        // After an abort the guard still flushes what it held; none of it is wanted.
        if (signal?.aborted) return;
        yield { type: 'text-delta', text };
      }
      if (!signal?.aborted) yield { type: 'finish' };
    } finally {
      signal?.removeEventListener('abort', onAbort);
      request.abort();
    }
  }

  private async *deltas(instruction: Instruction, context: InterviewContext, signal: AbortSignal): AsyncGenerator<string> {
    const prompt = buildPrompt(instruction, context);
    const body = JSON.stringify({
      model: this.options.model,
      stream: true,
      temperature: 0.4,
      max_tokens: 220,
      messages: [{ role: 'system', content: prompt.system }, ...prompt.messages],
    });
    for (let attempt = 0; ; attempt++) {
      const timeout = new AbortController();
      const timer = setTimeout(() => timeout.abort(), this.firstTokenTimeoutMs);
      const both = AbortSignal.any([signal, timeout.signal]);
      let started = false;
      try {
        const res = await fetch(`${this.options.baseUrl.replace(/\/$/, '')}/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {}) },
          body,
          signal: both,
        });
        if (!res.ok || !res.body) {
          const retryable = isRetryableStatus(res.status);
          await res.body?.cancel();
          throw new ProviderError('openai', `${this.options.baseUrl} answered HTTP ${res.status}${res.status === 401 ? '; check OPENAI_API_KEY' : res.status === 404 ? `; check the base URL and that model "${this.options.model}" exists` : ''}`, { status: res.status, retryable });
        }
        for await (const text of sseDeltas(res.body, both)) {
          if (!started) {
            started = true;
            clearTimeout(timer);
          }
          yield text;
        }
        return;
      } catch (error) {
        if (signal.aborted) return;
        const failure =
          error instanceof ProviderError
            ? error
            : timeout.signal.aborted
              ? new ProviderError('openai', `no answer within ${this.firstTokenTimeoutMs / 1000} s from ${this.options.baseUrl}`, { retryable: true })
              : new ProviderError('openai', `cannot reach ${this.options.baseUrl} (${(error as Error).cause ? String(((error as Error).cause as Error).message ?? (error as Error).cause) : (error as Error).message}); is the server running?`, { retryable: true, cause: error });
        if (started || !failure.retryable || attempt >= this.retries) throw failure;
        await sleep(this.backoffMs * 2 ** attempt, signal);
      } finally {
        clearTimeout(timer);
      }
    }
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
