import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Test equipment: a loopback server speaking the OpenAI chat-completions streaming protocol
 * (server-sent events of `chat.completion.chunk` objects, ending with `data: [DONE]`). Each request
 * takes the next scripted answer; the last one repeats.
 */
export interface FakeAnswer {
  status?: number;
  text?: string;
  firstTokenDelayMs?: number;
  tokenDelayMs?: number;
}

export interface FakeOpenAi {
  baseUrl: string;
  requests: { model: string; messages: { role: string; content: string }[] }[];
  /** Streams the client closed before the server finished. */
  closedEarly: () => number;
  close: () => Promise<void>;
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startFakeOpenAi(script: FakeAnswer[]): Promise<FakeOpenAi> {
  const requests: FakeOpenAi['requests'] = [];
  let closedEarly = 0;
  let served = 0;
  const server = createServer(async (req, res) => {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    if (req.url !== '/v1/chat/completions' || req.method !== 'POST') {
      res.writeHead(404).end();
      return;
    }
    requests.push(JSON.parse(raw));
    const answer = script[Math.min(served++, script.length - 1)]!;
    if (answer.status && answer.status !== 200) {
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'scripted failure' } }));
      return;
    }
    let finished = false;
    res.on('close', () => {
      if (!finished) closedEarly++;
    });
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    // Each token at its time on the profile, counted from the request: timers that fire late do not
    // add up, so a benchmark's floor is what the fake really delivers.
    const firstAt = performance.now() + (answer.firstTokenDelayMs ?? 0);
    const tokens = (answer.text ?? '').split(/(?<= )/);
    for (const [i, token] of tokens.entries()) {
      if (res.destroyed) return;
      await wait(firstAt + i * (answer.tokenDelayMs ?? 0) - performance.now());
      res.write(
        `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: token }, finish_reason: null }] })}\n\n`,
      );
    }
    res.write(`data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`);
    res.write('data: [DONE]\n\n');
    finished = true;
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    closedEarly: () => closedEarly,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
