import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Test equipment: a loopback server speaking Gemini's streamGenerateContent (`?alt=sse`): server-sent
 * events whose data are GenerateContentResponse objects. Each request takes the next scripted answer.
 */
export interface FakeGeminiAnswer {
  status?: number;
  text?: string;
  firstTokenDelayMs?: number;
}

export interface FakeGemini {
  baseUrl: string;
  requests: {
    path: string;
    apiKey: string | undefined;
    body: { contents: { role: string; parts: { text: string }[] }[]; systemInstruction?: unknown; generationConfig?: Record<string, unknown> };
  }[];
  close: () => Promise<void>;
}

export async function startFakeGemini(script: FakeGeminiAnswer[]): Promise<FakeGemini> {
  const requests: FakeGemini['requests'] = [];
  let served = 0;
  const server = createServer(async (req, res) => {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const path = req.url ?? '';
    if (!/^\/v1(beta)?\/models\/[^/:]+:streamGenerateContent\?alt=sse/.test(path)) {
      res
        .writeHead(404, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: { code: 404, message: `no route ${path}`, status: 'NOT_FOUND' } }));
      return;
    }
    requests.push({ path, apiKey: req.headers['x-goog-api-key'] as string | undefined, body: JSON.parse(raw) });
    const answer = script[Math.min(served++, script.length - 1)]!;
    if (answer.status && answer.status !== 200) {
      res
        .writeHead(answer.status, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: { code: answer.status, message: 'scripted failure', status: 'UNAVAILABLE' } }));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    await new Promise((r) => setTimeout(r, answer.firstTokenDelayMs ?? 0));
    for (const token of (answer.text ?? '').split(/(?<= )/)) {
      if (res.destroyed) return;
      res.write(`data: ${JSON.stringify({ candidates: [{ content: { parts: [{ text: token }], role: 'model' }, index: 0 }], modelVersion: 'fake' })}\r\n\r\n`);
    }
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
