import assert from 'node:assert/strict';
import { test } from 'node:test';
import { understand } from '../../src/interview/understanding.js';
import { UTTERANCES } from './utterances.js';

test('the labelled table: at least 150 utterances, every one read as an expert would', () => {
  assert.ok(UTTERANCES.length >= 150, `${UTTERANCES.length} utterances`);
  const wrong: string[] = [];
  for (const u of UTTERANCES) {
    const r = understand(u.text);
    const props = r.properties.map((p) => `${p.inverted ? '!' : ''}${p.property}`);
    const time = r.approach?.time.label ?? r.claim?.time?.label;
    const space = r.claim?.space?.label ?? r.approach?.space.label;
    const problems: string[] = [];
    if (r.intent !== u.intent) problems.push(`intent ${r.intent}`);
    if (u.props && JSON.stringify(props) !== JSON.stringify(u.props)) problems.push(`props ${JSON.stringify(props)}`);
    if (u.time && time !== u.time) problems.push(`time ${time}`);
    if (u.space && space !== u.space) problems.push(`space ${space}`);
    if (problems.length) wrong.push(`"${u.text}": expected ${u.intent} ${u.props ?? ''} ${u.time ?? ''} ${u.space ?? ''}; got ${problems.join(', ')}`);
  }
  assert.deepEqual(wrong, []);
});

test('punctuation and capitals do not change a reading', () => {
  for (const u of UTTERANCES) {
    const bare = u.text.toLowerCase().replace(/[?.!,]/g, '');
    const a = understand(u.text);
    const b = understand(bare);
    if (a.intent === 'question' || a.intent === 'statement') continue;
    assert.deepEqual({ ...b }, { ...a }, u.text);
  }
});
