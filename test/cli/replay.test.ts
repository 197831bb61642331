import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { requestKey } from '../../src/replay/recording.ts';
import type { NormalisedRequest } from '../../src/replay/recording.ts';
import { startFakeGemini } from '../fakes/gemini-server.ts';
import { GEMINI_ANSWERS, PROBLEM, stockScript } from '../fixtures/recordings/make.ts';
import { runCli, tempDir } from '../helpers.ts';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'recordings');
const SCRIPTED = join(FIXTURES, 'scripted-stock.jsonl');

// biome-ignore lint/suspicious/noExplicitAny: recordings are edited freely in these tests, whatever their shape
type Line = Record<string, any>;
const readLines = (file: string): Line[] =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
function writeLines(lines: Line[]): string {
  const file = join(tempDir(), 'edited.jsonl');
  writeFileSync(file, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
  return file;
}

/** Every file under dir, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

describe('vetta replay --check', () => {
  it("finds today's Vetta deciding as the shipped recordings did (scripted and Gemini), with JUnit and JSON reports", async () => {
    const junit = join(tempDir(), 'report.xml');
    const { code, stdout, stderr } = await runCli(['replay', FIXTURES, '--check', '--junit', junit]);
    assert.equal(code, 0, stdout + stderr);
    assert.match(stdout, /\[1\/2\] OK +.*gemini-stock\.jsonl \(10 actions, 16 interviewer turns/);
    assert.match(stdout, /\[2\/2\] OK +.*scripted-stock\.jsonl/);
    assert.match(stdout, /all 2 recordings OK/);
    const parsed = spawnSync(
      '/usr/bin/python3',
      [
        '-c',
        'import sys, xml.etree.ElementTree as E; r = E.parse(sys.argv[1]).getroot(); print(r.get("tests"), r.get("failures"), len(list(r.iter("testcase"))))',
        junit,
      ],
      { encoding: 'utf8' },
    );
    assert.equal(parsed.status, 0, parsed.stderr);
    assert.equal(parsed.stdout.trim(), '2 0 2');

    const json = await runCli(['replay', SCRIPTED, '--check', '--json']);
    const result = JSON.parse(json.stdout);
    assert.equal(result.ok, true);
    assert.equal(result.problemChanged, false);
  });

  it('fails with a readable diff when a code snapshot no longer passes, and says so in JUnit', async () => {
    const lines = readLines(SCRIPTED);
    const fixed = lines.find((l) => l.type === 'action' && l.action.kind === 'edit' && l.action.code?.includes('lowest'))!;
    fixed.action.code = fixed.action.code.replace('best = max(best, p - lowest)', 'best = max(best, p - lowest - 1)');
    const junit = join(tempDir(), 'report.xml');
    const { code, stdout } = await runCli(['replay', writeLines(lines), '--check', '--junit', junit]);
    assert.equal(code, 1, stdout);
    assert.match(stdout, /FAIL .*edited\.jsonl: \d+ divergences/);
    assert.match(
      stdout,
      /after action 7 at 03:20, \/edit \(file; 8 lines\)\n +- run: accepted, 5 of 5 passed\n +\+ run: wrong_answer, 3 of 5 passed\n +the run now fails "example 1" and "two rising", which passed when recorded\n/,
    );
    assert.match(stdout, /- submit: accepted, 16 of 16 passed\n.*\n.*\n +\+ submit: wrong_answer/);
    assert.match(stdout, /the scorecard\n +- problemSolving\.grade: 3\n +\+ problemSolving\.grade: 2/);
    const parsed = spawnSync(
      '/usr/bin/python3',
      [
        '-c',
        'import sys, xml.etree.ElementTree as E; f = E.parse(sys.argv[1]).getroot().find("testsuite/testcase/failure"); print(f.get("message")); print(f.text)',
        junit,
      ],
      { encoding: 'utf8' },
    );
    assert.equal(parsed.status, 0, parsed.stderr);
    assert.match(parsed.stdout, /^\d+ divergences\n/);
    assert.match(parsed.stdout, /\+ run: wrong_answer, 3 of 5 passed/);
  });

  it('fails when the recorded hint decision differs from what the policy decides today', async () => {
    const lines = readLines(SCRIPTED);
    const hint = lines.find((l) => l.type === 'event' && l.event.type === 'hint_given' && l.event.reason === 'failing')!;
    hint.event.level = 'reveal';
    hint.event.reason = 'stuck';
    const { code, stdout } = await runCli(['replay', writeLines(lines), '--check']);
    assert.equal(code, 1, stdout);
    assert.match(stdout, /- hint: reveal \(stuck\)\n +\+ hint: nudge \(failing\)/);
  });

  it('reports an interviewer request that is not in the recording with the fields that differ', async () => {
    const lines = readLines(join(FIXTURES, 'gemini-stock.jsonl'));
    const clarify = lines.find((l) => l.type === 'llm_request' && l.request.instruction.kind === 'respond')!;
    clarify.request.instruction.reply.text = 'Yes, any order.';
    clarify.key = requestKey(clarify.request as NormalisedRequest);
    const { code, stdout } = await runCli(['replay', writeLines(lines), '--check']);
    assert.equal(code, 1, stdout);
    assert.match(
      stdout,
      /after action 1 at 00:00, said "Can I sell before I buy\?": the interviewer's "respond" request is not in the recording\n +- instruction\.reply\.text: "Yes, any order\."\n +\+ instruction\.reply\.text: "No\. The selling day must come after the buying day\."/,
    );
  });

  it("--update rewrites a recording from today's behaviour, which then checks OK", async () => {
    const lines = readLines(SCRIPTED);
    lines.find((l) => l.type === 'event' && l.event.type === 'hint_given')!.event.level = 'reveal';
    const file = writeLines(lines);
    const updated = await runCli(['replay', file, '--check', '--update']);
    assert.equal(updated.code, 0, updated.stdout);
    assert.match(updated.stdout, /updated .*edited\.jsonl/);
    const again = await runCli(['replay', file, '--check']);
    assert.equal(again.code, 0, again.stdout);
    assert.equal(readLines(file).filter((l) => l.type === 'event' && l.event.type === 'hint_given')[0]!.event.level, 'nudge');
  });

  it('checks a killed session as it was recorded (no wrap-up it never had), and says when its last line was cut short', async () => {
    const lines = readLines(SCRIPTED);
    const submit = lines.findIndex((l) => l.type === 'action' && l.action.kind === 'submit');
    const file = writeLines(lines.slice(0, submit));
    writeFileSync(file, `${readFileSync(file, 'utf8')}{"t":351,"clock":200000,"type":"act`);
    const { code, stdout } = await runCli(['replay', file, '--check']);
    assert.equal(code, 0, stdout);
    assert.match(stdout, /^OK +.*edited\.jsonl \(7 actions/);
    assert.match(stdout, /note: the recording ends mid-line \(the process died while writing it\); checked up to its last whole line/);
  });

  it('refuses a recording from a newer Vetta in one line, and fails a damaged one in the report', async () => {
    const lines = readLines(SCRIPTED);
    lines[0]!.version = 2;
    const newer = await runCli(['replay', writeLines(lines)]);
    assert.equal(newer.code, 2);
    assert.match(newer.stderr, /^vetta: .*edited\.jsonl is recording format 2, newer than this Vetta reads \(1\): upgrade Vetta\n$/);
    const dir = tempDir();
    writeFileSync(join(dir, 'broken.jsonl'), '{"format":"vetta-recording","version":1}\nnot json\n{}\n');
    const { code, stdout } = await runCli(['replay', dir, '--check']);
    assert.equal(code, 1);
    assert.match(stdout, /FAIL .*broken\.jsonl: 1 divergence/);
    assert.match(stdout, /broken\.jsonl:2: not a JSON line/);
  });
});

/** A copy of the built-in problem whose hidden test `name` now expects `expected`: the recorded solution fails it. */
function problemWithChangedTest(name: string, expected: unknown): string {
  const dir = tempDir();
  cpSync(resolve('problems', PROBLEM), join(dir, PROBLEM), { recursive: true });
  const file = join(dir, PROBLEM, 'tests.json');
  const tests = JSON.parse(readFileSync(file, 'utf8'));
  tests.tests.find((t: Line) => t.name === name).expected = expected;
  writeFileSync(file, JSON.stringify(tests));
  return dir;
}

const said = (lines: Line[]) => lines.filter((l) => l.type === 'event' && l.event.type === 'interviewer_said').map((l) => l.event.text as string);

describe('vetta replay --check --update', () => {
  it("re-runs the offline interviewer after the first divergence, so the rewritten recording says what today's Vetta says", async () => {
    const problems = problemWithChangedTest('peak before trough', 99);
    const file = writeLines(readLines(SCRIPTED));
    const updated = await runCli(['--problems', problems, 'replay', file, '--check', '--update']);
    assert.equal(updated.code, 0, updated.stdout);
    assert.match(updated.stdout, /- submit: accepted, 16 of 16 passed\n(.*\n)*? +\+ submit: wrong_answer, 15 of 16 passed/);
    assert.match(updated.stdout, /updated .*edited\.jsonl/);

    const lines = readLines(file);
    const submit = lines.findIndex((l) => l.type === 'event' && l.event.type === 'tests_ran' && l.event.run.kind === 'submit');
    const afterSubmit = said(lines.slice(submit));
    assert.match(afterSubmit[0]!, /^It passes 15 of 16 tests/, 'the comment on the submit is on the run that failed');
    assert.ok(!said(lines).some((text) => /passes all 16 tests/.test(text)), said(lines).join('\n'));
    assert.equal(lines.filter((l) => l.type === 'event' && l.event.type === 'follow_up_asked').length, 0, 'no follow-ups after a failing submit');
    // Before the divergence the recorded words are kept as they were.
    assert.deepEqual(said(lines.slice(0, submit)), said(readLines(SCRIPTED)).slice(0, said(lines.slice(0, submit)).length));
    const again = await runCli(['--problems', problems, 'replay', file, '--check']);
    assert.equal(again.code, 0, again.stdout);
  });

  it('refuses in one line to rewrite a diverging recording made with a model unless --live asks it again', async () => {
    const problems = problemWithChangedTest('peak before trough', 99);
    const file = writeLines(readLines(join(FIXTURES, 'gemini-stock.jsonl')));
    const before = readFileSync(file, 'utf8');
    const { code, stdout } = await runCli(['--problems', problems, 'replay', file, '--check', '--update']);
    assert.equal(code, 1, stdout);
    assert.match(
      stdout,
      /\n {2}not updated: recorded with the gemini interviewer, whose words after the divergence only it can say: add --live to ask it again\n/,
    );
    assert.equal(readFileSync(file, 'utf8'), before);
  });

  it('leaves a recording that checks OK byte for byte as it was', async () => {
    const file = writeLines(readLines(SCRIPTED));
    const before = readFileSync(file, 'utf8');
    const { code, stdout } = await runCli(['replay', file, '--check', '--update']);
    assert.equal(code, 0, stdout);
    assert.match(stdout, /not updated: it checks OK as recorded/);
    assert.equal(readFileSync(file, 'utf8'), before);
  });

  it('says "not updated" and fails for a damaged or newer recording', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'broken.jsonl'), '{"format":"vetta-recording","version":1}\nnot json\n{}\n');
    const newer = readLines(SCRIPTED);
    newer[0]!.version = 2;
    writeFileSync(join(dir, 'newer.jsonl'), `${newer.map((l) => JSON.stringify(l)).join('\n')}\n`);
    const { code, stdout } = await runCli(['replay', dir, '--check', '--update']);
    assert.equal(code, 1, stdout);
    assert.doesNotMatch(stdout, /updated .*from today's behaviour/);
    assert.equal(stdout.match(/not updated: it cannot be read as a recording this Vetta checks/g)?.length, 2, stdout);
  });
});

describe('vetta replay --check when the sandbox cannot start', () => {
  it('reports an error with its cause (JUnit <error>, exit 3), not a divergence, and --update leaves the recording alone', () => {
    const dir = tempDir();
    // An interpreter that is found, but cannot start a program: what a broken sandbox looks like to the judge.
    const python = join(dir, 'python3');
    writeFileSync(
      python,
      '#!/bin/sh\ncase "$*" in *sys.base_prefix*) echo "$0"; echo /usr; exit 0;; esac\necho "python3: error while loading shared libraries: libpython3.so" >&2\nexit 127\n',
    );
    chmodSync(python, 0o755);
    const file = writeLines(readLines(SCRIPTED));
    const before = readFileSync(file, 'utf8');
    const junit = join(dir, 'reports', 'nested', 'replay.xml');
    const env = { PATH: process.env.PATH, NO_COLOR: '1', XDG_CONFIG_HOME: join(dir, 'config'), VETTA_PYTHON: python };
    const vetta = (args: string[]) =>
      spawnSync(process.execPath, [resolve('bin/vetta.js'), 'replay', file, '--check', '--sandbox', 'unsafe', ...args], { env, encoding: 'utf8' });
    const checked = vetta(['--junit', junit]);
    assert.equal(checked.status, 3, checked.stdout + checked.stderr);
    assert.match(
      checked.stdout,
      /^ERROR .*edited\.jsonl: the check could not run, after action 3 at 00:00, \/edit \(file; 4 lines\): \S*python3 does not run \(.*\); set VETTA_PYTHON to a working python3$/m,
    );
    assert.doesNotMatch(checked.stdout, /wrong_answer|divergence/);
    const parsed = spawnSync(
      '/usr/bin/python3',
      [
        '-c',
        'import sys, xml.etree.ElementTree as E; r = E.parse(sys.argv[1]).getroot(); e = r.find("testsuite/testcase/error"); print(r.get("errors"), r.get("failures"), e.get("type")); print(e.get("message"))',
        junit,
      ],
      { encoding: 'utf8' },
    );
    assert.equal(parsed.status, 0, parsed.stderr);
    assert.match(parsed.stdout, /^1 0 environment\nthe check could not run: .*python3 does not run/);

    const updated = vetta(['--update']);
    assert.equal(updated.status, 3, updated.stdout);
    assert.match(updated.stdout, /not updated: the check could not run/);
    assert.equal(readFileSync(file, 'utf8'), before);
  });
});

describe('vetta replay (viewer)', () => {
  it('prints the conversation, runs, hints and phases with their interview times', async () => {
    const { code, stdout } = await runCli(['replay', SCRIPTED, '--speed', 'max']);
    assert.equal(code, 0);
    assert.match(stdout, /^best-time-to-buy-and-sell-stock in python, scripted interviewer, recorded /);
    assert.match(stdout, /\[00:00\] you: Can I sell before I buy\?\n\[00:00\] interviewer: No\. The selling day must come after the buying day\./);
    assert.match(stdout, /\[00:00\] \[run\] wrong_answer: passes 2 of 5 tests/);
    assert.match(stdout, /\[03:20\] \[hint: hint, asked for\]/);
    assert.match(stdout, /\[03:20\] -- follow up --/);
    assert.match(stdout, /scorecard\n {2}problem solving {2}3\/4/);
    const bad = await runCli(['replay', SCRIPTED, '--speed', 'fast']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--speed takes a positive number or "max", not "fast"/);
  });
});

describe('vetta practice --record', () => {
  it('keeps every planted key out of everything it writes: recording, session store, work files', async () => {
    const keys = {
      GEMINI_API_KEY: 'AIzaPLANTEDgeminiKey0123456789abcdefghij',
      OPENAI_API_KEY: 'sk-plantedOpenAiKey0123456789abcdef',
      DEEPGRAM_API_KEY: 'dg-planted-deepgram-0123456789',
      ELEVENLABS_API_KEY: 'el-planted-elevenlabs-0123456789',
    };
    const configKeys = { geminiApiKey: 'cfg-planted-gemini-987654321', deepgram: { apiKey: 'cfg-planted-deepgram-987654321' } };
    const home = tempDir();
    mkdirSync(join(home, 'config', 'vetta'), { recursive: true });
    writeFileSync(join(home, 'config', 'vetta', 'config.json'), JSON.stringify({ record: true, ...configKeys }));
    const server = await startFakeGemini(GEMINI_ANSWERS.map((text) => ({ text })));
    try {
      const env = { ...keys, GEMINI_BASE_URL: server.baseUrl, XDG_DATA_HOME: join(home, 'data'), XDG_CONFIG_HOME: join(home, 'config') };
      const { code, stderr } = await runCli(['practice', '--problem', PROBLEM, '--script', stockScript()], env);
      assert.equal(code, 0, stderr);
      assert.equal(server.requests[0]!.apiKey, keys.GEMINI_API_KEY, 'the key was used');
    } finally {
      await server.close();
    }
    // "record": true in the config file records to the default place.
    const recordings = readdirSync(join(home, 'data', 'vetta', 'recordings'));
    assert.equal(recordings.length, 1);
    assert.match(recordings[0]!, /^[0-9a-f-]{36}\.jsonl$/);
    const written = filesUnder(join(home, 'data'));
    assert.ok(
      written.some((f) => f.endsWith('sessions.db')),
      `the session store is among the files: ${written.join(', ')}`,
    );
    const planted = [...Object.values(keys), configKeys.geminiApiKey, configKeys.deepgram.apiKey];
    for (const file of written) {
      const bytes = readFileSync(file);
      for (const secret of planted) assert.equal(bytes.indexOf(secret), -1, `${secret} found in ${file}`);
    }
    const header = readLines(join(home, 'data', 'vetta', 'recordings', recordings[0]!))[0]!;
    assert.deepEqual(header.brain, { name: 'gemini', model: 'gemini-2.5-flash' });
  });

  it('records to the file it is given, and that recording checks OK', async () => {
    const file = join(tempDir(), 'mine.jsonl');
    const { code, stderr } = await runCli(['practice', '--problem', PROBLEM, '--llm', 'scripted', '--script', stockScript(), '--record', file], {
      XDG_DATA_HOME: join(tempDir(), 'data'),
    });
    assert.equal(code, 0, stderr);
    assert.match(stderr, /recorded to .*mine\.jsonl/);
    const check = await runCli(['replay', file, '--check']);
    assert.equal(check.code, 0, check.stdout);
  });
});
