import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
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

interface IndexFile {
  build: number;
  entries: Record<string, FileStamp & { meta: FrontMatter }>;
}

function indexPath(env: NodeJS.ProcessEnv, root: string): string {
  const name = `${basename(root).replace(/[^\w.-]/g, '_')}-${createHash('sha1').update(root).digest('hex').slice(0, 12)}.json`;
  return join(env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache'), 'vetta', 'problem-index', name);
}

/** When this code was built: an index from another build is not trusted. */
function buildStamp(): number {
  try {
    return statSync(fileURLToPath(import.meta.url)).mtimeMs;
  } catch {
    return 0;
  }
}

export class ProblemIndex {
  private readonly file: string;
  private readonly build = buildStamp();
  private entries: IndexFile['entries'] | undefined;
  private changed = false;

  /** `root` is the problems folder whose problems this index holds. */
  constructor(env: NodeJS.ProcessEnv, root: string) {
    this.file = indexPath(env, root);
  }

  private read(): IndexFile['entries'] {
    if (!this.entries) {
      this.entries = {};
      try {
        const parsed = JSON.parse(readFileSync(this.file, 'utf8')) as IndexFile;
        if (parsed.build === this.build && parsed.entries && typeof parsed.entries === 'object') this.entries = parsed.entries;
      } catch {
        // No index yet, or an unreadable one: it is rebuilt.
      }
    }
    return this.entries;
  }

  /** The front matter parsed from `file` when it had this stamp, if it is known. */
  get(file: string, stamp: FileStamp): FrontMatter | undefined {
    const entry = this.read()[file];
    return entry && entry.size === stamp.size && entry.mtimeMs === stamp.mtimeMs ? entry.meta : undefined;
  }

  set(file: string, stamp: FileStamp, meta: FrontMatter): void {
    this.read()[file] = { size: stamp.size, mtimeMs: stamp.mtimeMs, meta };
    this.changed = true;
  }

  /** Writes the index when something was added; written whole and renamed so readers never see half. */
  save(): void {
    if (!this.changed) return;
    try {
      // Problems deleted since they were indexed (an import into a temporary folder) are dropped.
      const entries = this.read();
      for (const file of Object.keys(entries)) if (!existsSync(file)) delete entries[file];
      mkdirSync(dirname(this.file), { recursive: true });
      const temporary = `${this.file}.${process.pid}`;
      writeFileSync(temporary, JSON.stringify({ build: this.build, entries: this.read() }));
      renameSync(temporary, this.file);
      this.changed = false;
    } catch {
      // A read-only home: listing stays correct, only slower.
    }
  }
}
