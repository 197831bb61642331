/**
 * Parses the Python literals LeetCode-style datasets write test cases in
 * (`nums = [2,7,11,15], target = 9`, `head = list_node([1, 2])`, `'abc'`, `True`, `None`)
 * into JSON values. `list_node(...)` and `tree_node(...)` become their list serialisation.
 */
export class PyLiteralError extends Error {}

class Parser {
  private pos = 0;
  constructor(private readonly text: string) {}

  private ws(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
  }

  private fail(what: string): never {
    throw new PyLiteralError(`${what} at character ${this.pos + 1} of ${JSON.stringify(this.text.slice(0, 80))}`);
  }

  private eat(ch: string): boolean {
    this.ws();
    if (this.text[this.pos] === ch) {
      this.pos++;
      return true;
    }
    return false;
  }

  atEnd(): boolean {
    this.ws();
    return this.pos >= this.text.length;
  }

  identifier(): string {
    this.ws();
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(this.pos));
    if (!m) this.fail('expected a name');
    this.pos += m[0].length;
    return m[0];
  }

  expect(ch: string): void {
    if (!this.eat(ch)) this.fail(`expected "${ch}"`);
  }

  value(): unknown {
    this.ws();
    const ch = this.text[this.pos];
    if (ch === '[' || ch === '(') return this.sequence(ch === '[' ? ']' : ')');
    if (ch === '{') return this.dict();
    if (ch === '"' || ch === "'") return this.string(ch);
    const special = /^(-?)(inf|nan)\b/.exec(this.text.slice(this.pos));
    if (special) {
      this.pos += special[0].length;
      // JSON has no infinity; the harnesses write one this way too.
      return { $float: special[2] === 'nan' ? 'nan' : `${special[1]}inf` };
    }
    const num = /^-?(\d+\.?\d*(e[-+]?\d+)?|\.\d+(e[-+]?\d+)?)/i.exec(this.text.slice(this.pos));
    if (num) {
      this.pos += num[0].length;
      return Number(num[0]);
    }
    const name = this.identifier();
    // Datasets write LeetCode's JSON spellings as often as Python's.
    if (name === 'True' || name === 'true') return true;
    if (name === 'False' || name === 'false') return false;
    if (name === 'None' || name === 'null') return null;
    if (name === 'list_node' || name === 'tree_node') {
      this.expect('(');
      const inner = this.value();
      this.expect(')');
      return inner;
    }
    return this.fail(`unsupported value "${name}"`);
  }

  private sequence(close: string): unknown[] {
    this.pos++;
    const items: unknown[] = [];
    while (!this.eat(close)) {
      items.push(this.value());
      if (!this.eat(',')) {
        this.expect(close);
        break;
      }
    }
    return items;
  }

  private dict(): Record<string, unknown> {
    this.pos++;
    const out: Record<string, unknown> = {};
    while (!this.eat('}')) {
      const key = this.value();
      this.expect(':');
      out[String(key)] = this.value();
      if (!this.eat(',')) {
        this.expect('}');
        break;
      }
    }
    return out;
  }

  private string(quote: string): string {
    this.pos++;
    let out = '';
    while (this.pos < this.text.length) {
      const c = this.text[this.pos++]!;
      if (c === quote) return out;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = this.text[this.pos++];
      const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0' };
      if (e !== undefined && e in simple) out += simple[e];
      else if (e === 'u' || e === 'x') {
        const len = e === 'u' ? 4 : 2;
        out += String.fromCharCode(Number.parseInt(this.text.slice(this.pos, this.pos + len), 16));
        this.pos += len;
      } else out += `\\${e ?? ''}`;
    }
    return this.fail('unterminated string');
  }
}

export function parsePyValue(text: string): unknown {
  const p = new Parser(text);
  const v = p.value();
  if (!p.atEnd()) throw new PyLiteralError(`unexpected text after the value in ${JSON.stringify(text.slice(0, 80))}`);
  return v;
}

/** `a = 1, b = [2]` -> { a: 1, b: [2] } */
export function parsePyArgs(text: string): Record<string, unknown> {
  const p = new Parser(text);
  const out: Record<string, unknown> = {};
  while (!p.atEnd()) {
    const name = p.identifier();
    p.expect('=');
    out[name] = p.value();
    if (p.atEnd()) break;
    p.expect(',');
  }
  return out;
}
