import { errorMessage } from '../core/errors.js';

/**
 * doctor --online's requests to the LLMs: one token of a streamed answer checks the key, the model
 * name and the endpoint at once. Failures say the HTTP status or the network error, never the
 * SDK's own text, which may echo the request.
 */

function httpFailure(endpoint: string, error: unknown, advice: Record<number, string>): Error {
  const status = (error as { status?: unknown }).status;
  if (typeof status === 'number') return new Error(`${endpoint} answered HTTP ${status}${advice[status] ? `; ${advice[status]}` : ''}`);
  const cause = (error as Error).cause as Error | undefined;
  return new Error(`cannot reach ${endpoint} (${cause?.message ?? errorMessage(error)})`);
}

export function geminiProbe(settings: { apiKey: string; model: string; baseUrl?: string }): (signal: AbortSignal) => Promise<void> {
  return async (signal) => {
    const { GoogleGenAI } = await import('@google/genai');
    const client = new GoogleGenAI({ apiKey: settings.apiKey, ...(settings.baseUrl ? { httpOptions: { baseUrl: settings.baseUrl } } : {}) });
    try {
      const stream = await client.models.generateContentStream({
        model: settings.model,
        contents: 'Say ok.',
        config: { maxOutputTokens: 1, thinkingConfig: { thinkingBudget: 0 }, abortSignal: signal },
      });
      for await (const _ of stream) break;
    } catch (error) {
      throw httpFailure(settings.baseUrl ?? 'the Gemini API', error, {
        400: 'check GEMINI_API_KEY',
        403: 'check GEMINI_API_KEY',
        404: `check the model name "${settings.model}"`,
      });
    }
  };
}

export function openAiProbe(settings: { baseUrl: string; model: string; apiKey?: string }): (signal: AbortSignal) => Promise<void> {
  return async (signal) => {
    let res: Response;
    try {
      res = await fetch(`${settings.baseUrl.replace(/\/$/, '')}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(settings.apiKey ? { authorization: `Bearer ${settings.apiKey}` } : {}) },
        body: JSON.stringify({ model: settings.model, stream: true, max_tokens: 1, messages: [{ role: 'user', content: 'Say ok.' }] }),
        signal,
      });
    } catch (error) {
      throw httpFailure(settings.baseUrl, error, {});
    }
    await res.body?.cancel();
    if (!res.ok)
      throw httpFailure(
        settings.baseUrl,
        { status: res.status },
        { 401: 'check OPENAI_API_KEY', 404: `check OPENAI_BASE_URL and that model "${settings.model}" exists` },
      );
  };
}
