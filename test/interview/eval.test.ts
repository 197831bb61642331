import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runEval, score } from '../../eval/interviewer.ts';

test('the interviewer corpus: at least 60 conversations on 10 problems, 95% as an expert would have them', async () => {
  const results = await runEval();
  assert.ok(results.length >= 60, `${results.length} conversations`);
  assert.ok(new Set(results.map((r) => r.problem)).size >= 10);
  const failed = results.filter((r) => !r.ok).map((r) => `${r.name}: ${r.failures.join('; ')}`);
  assert.ok(score(results) >= 0.95, failed.join('\n'));
});

test('the same conversations through the OpenAI-compatible brain: the model is told the reading, the decision and the facts', async () => {
  const results = await runEval({ llm: 'openai' });
  const told = results.flatMap((r) => r.told);
  assert.ok(told.some((t) => /Read as: intent clarify; asking about empty/.test(t) && /Facts: nums\.length >= 1/.test(t)));
  assert.ok(told.some((t) => /Decision: push back/.test(t) && /10\^10/.test(t)));
  assert.ok(
    score(results) >= 0.95,
    results
      .filter((r) => !r.ok)
      .map((r) => r.failures.join('; '))
      .join('\n'),
  );
});
