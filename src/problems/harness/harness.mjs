// Runs a candidate's JavaScript or TypeScript solution against a job's test inputs, inside the
// sandbox. Same trust model as harness.py: this file decides nothing; it reports what the solution
// returned as JSON lines on stdout and the parent compares them with expected values that never
// enter the sandbox. The candidate's console output is sent to stderr, and each record starts on a
// fresh line so a stray partial write cannot swallow it.
import { readFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire, stripTypeScriptTypes } from 'node:module';
import { performance } from 'node:perf_hooks';
import vm from 'node:vm';

/** Writes all of a buffer to a file descriptor, waiting out a full non-blocking pipe. */
function writeAllSync(fd, data) {
  let buf = typeof data === 'string' ? Buffer.from(data) : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  while (buf.length > 0) {
    try {
      buf = buf.subarray(writeSync(fd, buf));
    } catch (e) {
      if (e.code !== 'EAGAIN') throw e;
    }
  }
}

function send(record) {
  writeAllSync(1, `\n${JSON.stringify(record)}\n`);
}

/**
 * The candidate's console output goes to stderr synchronously. Node queues pipe writes in memory
 * and process.exit() drops the queue, so an asynchronous write would let a flood of output escape
 * the output limit (and hide what the candidate printed).
 */
function candidateWrite(chunk, encoding, callback) {
  writeAllSync(2, typeof chunk === 'string' ? Buffer.from(chunk, typeof encoding === 'string' ? encoding : 'utf8') : chunk);
  const done = typeof encoding === 'function' ? encoding : callback;
  if (typeof done === 'function') done();
  return true;
}

class ListNode {
  constructor(val = 0, next = null) {
    this.val = val;
    this.next = next;
  }
}

class TreeNode {
  constructor(val = 0, left = null, right = null) {
    this.val = val;
    this.left = left;
    this.right = right;
  }
}

function toListNode(values) {
  let head = null;
  for (let i = (values ?? []).length - 1; i >= 0; i--) head = new ListNode(values[i], head);
  return head;
}

function toTreeNode(values) {
  if (!values || values.length === 0 || values[0] === null) return null;
  const root = new TreeNode(values[0]);
  const queue = [root];
  let i = 1;
  let qi = 0;
  while (i < values.length && qi < queue.length) {
    const node = queue[qi++];
    if (i < values.length && values[i] !== null) {
      node.left = new TreeNode(values[i]);
      queue.push(node.left);
    }
    i++;
    if (i < values.length && values[i] !== null) {
      node.right = new TreeNode(values[i]);
      queue.push(node.right);
    }
    i++;
  }
  return root;
}

function isListNode(v) {
  return v !== null && typeof v === 'object' && 'val' in v && 'next' in v && !('left' in v);
}

function isTreeNode(v) {
  return v !== null && typeof v === 'object' && 'val' in v && 'left' in v && 'right' in v;
}

function fromListNode(node) {
  const out = [];
  while (node) {
    out.push(plain(node.val));
    node = node.next;
    if (out.length > 10_000_000) throw new Error('the returned linked list has a cycle');
  }
  return out;
}

function fromTreeNode(root) {
  if (!root) return [];
  const out = [];
  const queue = [root];
  for (let qi = 0; qi < queue.length; qi++) {
    const node = queue[qi];
    if (!node) out.push(null);
    else {
      out.push(plain(node.val));
      queue.push(node.left ?? null, node.right ?? null);
    }
    if (qi > 10_000_000) throw new Error('the returned tree has a cycle');
  }
  while (out.length > 0 && out[out.length - 1] === null) out.pop();
  return out;
}

function convertIn(value, type) {
  if (type === 'ListNode') return toListNode(value);
  if (type === 'TreeNode') return toTreeNode(value);
  if (type.endsWith('[]') && Array.isArray(value) && /^(ListNode|TreeNode)/.test(type)) {
    return value.map((v) => convertIn(v, type.slice(0, -2)));
  }
  return value;
}

/** JSON has no infinity or NaN: {"$float": "inf"} in a test's input is the number itself, spelled as Python spells it. */
function decodeSpecial(_key, value) {
  if (value && typeof value === 'object' && !Array.isArray(value) && typeof value.$float === 'string' && Object.keys(value).length === 1) {
    return value.$float === 'nan' ? Number.NaN : value.$float.startsWith('-') ? -Infinity : Infinity;
  }
  return value;
}

/**
 * The JSON form of a returned value. Arrays that need no conversion are returned as they are, so
 * a 100 000-element answer is not copied (the copy and its garbage cost more than the solution).
 */
function plain(value) {
  if (value === undefined || value === null) return null;
  switch (typeof value) {
    case 'number':
      return Number.isFinite(value) ? value : { $float: Number.isNaN(value) ? 'nan' : value > 0 ? 'inf' : '-inf' };
    case 'string':
    case 'boolean':
      return value;
    case 'bigint':
      return Number(value);
    default:
      break;
  }
  if (Array.isArray(value)) {
    let out = null;
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      const converted = plain(item);
      if (out === null && converted !== item) out = value.slice(0, i);
      if (out !== null) out.push(converted);
    }
    return out ?? value;
  }
  if (ArrayBuffer.isView(value)) return Array.from(value, plain);
  if (value instanceof Set) return [...value].map(plain).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), plain(v)]));
  if (isListNode(value)) return fromListNode(value);
  if (isTreeNode(value)) return fromTreeNode(value);
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  throw new TypeError(`returned a ${typeof value}, which cannot be compared`);
}

/** Like plain(), but an empty linked list or tree (null) is written as [] like LeetCode does. */
function plainAs(value, type) {
  if ((value === null || value === undefined) && (type === 'ListNode' || type === 'TreeNode')) return [];
  return plain(value);
}

function candidateTrace(error, fileName) {
  if (!(error instanceof Error)) return String(error);
  const lines = String(error.stack ?? '').split('\n');
  const head = `${error.name}: ${error.message}`;
  const frames = lines.filter((l) => l.trimStart().startsWith('at ') && l.includes(fileName));
  return [head, ...frames].join('\n');
}

function errorRecord(error, fileName) {
  const trace = candidateTrace(error, fileName).slice(0, 8000);
  const m = new RegExp(`${fileName.replace('.', '\\.')}:(\\d+)`).exec(trace);
  return {
    type: error instanceof Error ? error.name : typeof error,
    message: (error instanceof Error ? error.message : String(error)).slice(0, 2000),
    trace,
    line: m ? Number(m[1]) : null,
  };
}

function compileError(error) {
  // V8 and Node's TypeScript stripper put "file:line" on the first line of the stack.
  const first = String(error.stack ?? '').split('\n')[0] ?? '';
  const m = /:(\d+)$/.exec(first);
  send({ t: 'compile_error', line: m ? Number(m[1]) : null, message: `${error.name}: ${error.message}` });
}

function main() {
  const text = readFileSync(process.argv[2], 'utf8');
  // A reviver is called for every value: on 100 000 operations it costs most of a second.
  const job = text.includes('"$float"') ? JSON.parse(text, decodeSpecial) : JSON.parse(text);
  // Before any candidate code, once the job is read (the parent's clock for loading starts here):
  // tells the parent the sandbox and interpreter came up.
  send({ t: 'hello' });
  const typescript = job.language === 'typescript';
  const fileName = typescript ? 'solution.ts' : 'solution.js';
  let source = readFileSync(join(dirname(process.argv[2]), job.solution), 'utf8');
  if (typescript) {
    try {
      source = stripTypeScriptTypes(source, { mode: 'transform', sourceUrl: fileName });
    } catch (error) {
      compileError(error);
      return;
    }
  }
  const names = job.kind === 'design' ? [job.design.class] : [job.entry];
  const exportsOf = names.map((n) => `${JSON.stringify(n)}: typeof ${n} !== 'undefined' ? ${n} : undefined`).join(', ');
  // The wrapper opens on the source's first line so reported line numbers match the file.
  const wrapped = `(function (module, exports, require, ListNode, TreeNode) {${source}\n;return { ${exportsOf} };\n})`;
  let factory;
  try {
    factory = new vm.Script(wrapped, { filename: fileName }).runInThisContext();
  } catch (error) {
    compileError(error);
    return;
  }
  const module = { exports: {} };
  let defined;
  try {
    defined = factory(module, module.exports, createRequire(import.meta.url), ListNode, TreeNode);
  } catch (error) {
    send({ t: 'load_error', error: errorRecord(error, fileName) });
    return;
  }
  const lookup = (name) =>
    defined[name] ?? module.exports?.[name] ?? (typeof module.exports === 'function' && module.exports.name === name ? module.exports : undefined);
  const target = lookup(names[0]);
  if (typeof target !== 'function') {
    const what = job.kind === 'design' ? `class ${names[0]}` : `function ${names[0]}`;
    send({ t: 'compile_error', line: null, message: `define ${what}` });
    return;
  }
  send({ t: 'ready' });

  const cap = job.outputCap ?? 4096;
  let captured = '';
  const capture = (chunk, ...rest) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    if (captured.length < cap) captured += text.slice(0, cap - captured.length);
    return candidateWrite(chunk, ...rest);
  };
  process.stdout.write = capture;

  for (const test of job.tests) {
    captured = '';
    // The clock covers the solution's own work, not building its arguments or encoding its
    // answer, so a large input or output does not eat into the candidate's time.
    let started = performance.now();
    let record;
    try {
      let value;
      let ms;
      if (job.kind === 'design') {
        const { design } = job;
        const [ctorArgs, ...rest] = test.args;
        const obj = new target(...ctorArgs.map((a, k) => convertIn(a, design.constructor[k])));
        value = [null];
        test.ops.slice(1).forEach((op, k) => {
          const spec = design.methods[op];
          if (typeof obj[op] !== 'function') throw new TypeError(`class ${design.class} has no method ${op}`);
          const r = obj[op](...rest[k].map((a, j) => convertIn(a, spec.params[j])));
          value.push(spec.returns === 'void' ? null : plainAs(r, spec.returns));
        });
        ms = performance.now() - started;
      } else {
        const args = test.args.map((a, k) => convertIn(a, job.params[k]));
        started = performance.now();
        const raw = target(...args);
        ms = performance.now() - started;
        value = plainAs(raw, job.returns);
      }
      record = { t: 'result', i: test.i, value, ms: Math.round(ms * 1000) / 1000 };
    } catch (error) {
      record = { t: 'error', i: test.i, error: errorRecord(error, fileName), ms: Math.round((performance.now() - started) * 1000) / 1000 };
    }
    record.out = captured;
    send(record);
  }
  send({ t: 'done' });
}

process.stdout.write = candidateWrite;
process.stderr.write = candidateWrite;
main();
process.exit(0);
