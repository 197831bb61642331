import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FrontMatter } from './schema.js';

/**
 * The parsed front matter of every problem in one problems folder, keyed by its problem.md and that file's size and
 * modification time, so listing 3,000 problems reads one file instead of parsing 3,000 YAML
 * documents. An entry is used only while its file is unchanged; a rebuilt Vetta (whose schema
 * may have changed) starts a new index. Failing to read or write it only costs the parse.
 */

export interface FileStamp {
  size: number;
  mtimeMs: number;
}

/** What listing and filtering need; the rest of each front matter is in a second file. */
const SUMMARY_KEYS = ['id', 'title', 'difficulty', 'tags'] as const;
type Summary = Pick<FrontMatter, (typeof SUMMARY_KEYS)[number]>;
type Rest = Omit<FrontMatter, (typeof SUMMARY_KEYS)[number]>;

/**
 * Two files a problems folder: the summaries, which `list` and the picker read (3,000 problems in a
 * few hundred KB), and the rest of each front matter (hints, clarifications, follow-ups, rubric:
 * most of the bytes), read only when a problem's other fields are first asked for.
 */
interface IndexFile {
  build: string;
  /** The other fields' names, each set once (problems share a handful); entries point into it. */
  keySets: string[][];
  entries: Record<string, FileStamp & { summary: Summary; keys: number }>;
}

interface DetailsFile {
  build: string;
  entries: Record<string, Rest>;
}

/** Where each lazily read front matter finds the rest of its fields: its index and its file. */
const restSource = new WeakMap<object, { index: ProblemIndex; file: string }>();

/** The descriptors of a set of fields, made once a set: 3,000 problems share a handful of sets. */
const descriptorSets = new WeakMap<string[], PropertyDescriptorMap>();
function descriptorsFor(keys: string[]): PropertyDescriptorMap {
  let map = descriptorSets.get(keys);
  if (!map) {
    map = Object.fromEntries(keys.map((key) => [key, restDescriptor(key)]));
    descriptorSets.set(keys, map);
  }
  return map;
}

/** One getter a field, shared by every indexed front matter: it reads the field from the rest. */
const restDescriptors = new Map<string, PropertyDescriptor>();
function restDescriptor(key: string): PropertyDescriptor {
  let descriptor = restDescriptors.get(key);
  if (!descriptor) {
    descriptor = {
      enumerable: true,
      configurable: true,
      get(this: object) {
        const source = restSource.get(this)!;
        return (source.index.rest(source.file) as Record<string, unknown>)[key];
      },
      set(this: object, value: unknown) {
        Object.defineProperty(this, key, { value, enumerable: true, writable: true, configurable: true });
      },
    };
    restDescriptors.set(key, descriptor);
  }
  return descriptor;
}

function indexPath(env: NodeJS.ProcessEnv, root: string): string {
  const name = `${basename(root).replace(/[^\w.-]/g, '_')}-${createHash('sha1').update(root).digest('hex').slice(0, 12)}.json`;
  return join(env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache'), 'vetta', 'problem-index', name);
}

/**
 * Which code wrote an index: the index's own module and the front-matter schema, by content. A
 * modification time would not do: npm gives every installed file the same one, so an upgrade that
 * adds a front-matter field would keep serving entries parsed without it.
 */
function buildStamp(): string {
  const hash = createHash('sha1');
  for (const url of [import.meta.url, new URL('./schema.js', import.meta.url).href.replace(/\.js$/, import.meta.url.endsWith('.ts') ? '.ts' : '.js')]) {
    try {
      hash.update(readFileSync(fileURLToPath(url)));
    } catch {
      hash.update(url);
    }
  }
  return hash.digest('hex').slice(0, 16);
}

export class ProblemIndex {
  private readonly file: string;
  private readonly build = buildStamp();
  private readonly detailsFile: string;
  private entries: IndexFile['entries'] | undefined;
  private keySets: string[][] = [];
  private details: DetailsFile['entries'] | undefined;
  private changed = false;

  /** `root` is the problems folder whose problems this index holds. */
  constructor(
    env: NodeJS.ProcessEnv,
    root: string,
    /** Parses a problem.md whose details went missing from the second file. */
    private readonly parse: (file: string) => FrontMatter,
  ) {
    this.file = indexPath(env, root);
    this.detailsFile = this.file.replace(/\.json$/, '.details.json');
  }

  private allDetails(): DetailsFile['entries'] {
    if (!this.details) {
      this.details = {};
      try {
        const parsed = JSON.parse(readFileSync(this.detailsFile, 'utf8')) as DetailsFile;
        if (parsed.build === this.build && parsed.entries && typeof parsed.entries === 'object') this.details = parsed.entries;
      } catch {
        // Missing or unreadable: each problem asked for is parsed from its problem.md instead.
      }
    }
    return this.details;
  }

  /** The fields of `file`'s front matter beyond its summary. */
  rest(file: string): Rest {
    const details = this.allDetails();
    const found = details[file];
    if (found) return found;
    const { id: _id, title: _title, difficulty: _difficulty, tags: _tags, ...rest } = this.parse(file);
    details[file] = rest;
    return rest;
  }

  private read(): IndexFile['entries'] {
    if (!this.entries) {
      this.entries = {};
      try {
        const parsed = JSON.parse(readFileSync(this.file, 'utf8')) as IndexFile;
        if (parsed.build === this.build && parsed.entries && typeof parsed.entries === 'object' && Array.isArray(parsed.keySets)) {
          this.entries = parsed.entries;
          this.keySets = parsed.keySets;
        }
      } catch {
        // No index yet, or an unreadable one: it is rebuilt.
      }
    }
    return this.entries;
  }

  /** The front matter parsed from `file` when it had this stamp, if it is known. */
  get(file: string, stamp: FileStamp): FrontMatter | undefined {
    const entry = this.read()[file];
    const keys = entry ? this.keySets[entry.keys] : undefined;
    if (!entry || !keys || entry.size !== stamp.size || entry.mtimeMs !== stamp.mtimeMs || !entry.summary) return undefined;
    const meta = { ...entry.summary };
    Object.defineProperties(meta, descriptorsFor(keys));
    restSource.set(meta, { index: this, file });
    return meta as FrontMatter;
  }

  set(file: string, stamp: FileStamp, meta: FrontMatter): void {
    const { id, title, difficulty, tags, ...rest } = meta;
    const entries = this.read();
    const names = Object.keys(rest);
    let keys = this.keySets.findIndex((set) => set.length === names.length && set.every((name, i) => name === names[i]));
    if (keys < 0) keys = this.keySets.push(names) - 1;
    entries[file] = { size: stamp.size, mtimeMs: stamp.mtimeMs, summary: { id, title, difficulty, tags }, keys };
    this.allDetails()[file] = rest;
    this.changed = true;
  }

  /** Writes the index when something was added; written whole and renamed so readers never see half. */
  save(): void {
    if (!this.changed) return;
    try {
      // Problems deleted since they were indexed (an import into a temporary folder) are dropped.
      const entries = this.read();
      const details = this.allDetails();
      for (const file of Object.keys(entries)) {
        if (existsSync(file)) continue;
        delete entries[file];
        delete details[file];
      }
      mkdirSync(dirname(this.file), { recursive: true });
      // The details first: an index entry whose details are not written yet is parsed again.
      for (const [path, data] of [
        [this.detailsFile, { build: this.build, entries: details }],
        [this.file, { build: this.build, keySets: this.keySets, entries }],
      ] as const) {
        const temporary = `${path}.${process.pid}`;
        writeFileSync(temporary, JSON.stringify(data));
        renameSync(temporary, path);
      }
      this.changed = false;
    } catch {
      // A read-only home: listing stays correct, only slower.
    }
  }
}
