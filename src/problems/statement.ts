/**
 * Turns a dataset's plain-text problem description (LeetCode's HTML flattened to lines: no bullets,
 * no headings, `Example 1:` and `Constraints:` on lines of their own) into a Markdown statement
 * whose first paragraph is a spoken summary: complete sentences, a list read out with its
 * sentence, so the interviewer's introduction never stops at "where:".
 */

export interface ImportedStatement {
  /** The first paragraph of `markdown`. */
  summary: string;
  markdown: string;
}

type Block = { kind: 'text'; lines: string[] } | { kind: 'list'; items: string[] } | { kind: 'code'; lines: string[] };

/** A summary longer than this keeps its first units only (a unit is never split). */
const SUMMARY_CHARS = 600;

const EXAMPLE = /^example\s*\d*\s*:?\s*$/i;
const CONSTRAINTS = /^constraints\s*:?\s*$/i;
const FOLLOW_UP = /^follow[- ]?up\b/i;

function clean(line: string): string {
  return line.replace(/\u00a0/g, ' ').replace(/\s+$/, '');
}

/** Lines with runs of spaces are drawings or code (a zigzag, a grid), kept verbatim. */
function looksPreformatted(lines: string[]): boolean {
  return lines.some((l) => / {3,}\S/.test(l.trim()) || /^\s{2,}\S/.test(l) || /;\s*$/.test(l));
}

/** The text between blank lines, grouped: a block after a line ending in ":" is that line's list. */
function blocksOf(lines: string[]): Block[] {
  const groups: string[][] = [];
  let current: string[] = [];
  for (const raw of lines) {
    const line = clean(raw);
    if (line.trim() === '') {
      if (current.length > 0) groups.push(current);
      current = [];
    } else current.push(line);
  }
  if (current.length > 0) groups.push(current);
  const blocks: Block[] = [];
  for (const group of groups) {
    if (looksPreformatted(group)) {
      blocks.push({ kind: 'code', lines: group });
      continue;
    }
    const previous = blocks.at(-1);
    const introducesList = previous?.kind === 'text' && previous.lines.at(-1)!.trim().endsWith(':');
    if (introducesList && group.length >= 1) blocks.push({ kind: 'list', items: group.map((l) => l.trim()) });
    else blocks.push({ kind: 'text', lines: group.map((l) => l.trim()) });
  }
  return blocks;
}

function sentence(text: string): string {
  const t = text.trim();
  return /[.?!)"']$/.test(t) ? t : `${t}.`;
}

/**
 * Spoken units: a paragraph, or a paragraph with the list it introduces read out after it; each
 * with the index of the last block it says. Units stop at the first drawing, which cannot be said.
 */
function spokenUnits(blocks: Block[]): { text: string; upTo: number }[] {
  const units: { text: string; upTo: number }[] = [];
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i]!;
    if (block.kind === 'code') break;
    if (block.kind !== 'text') continue;
    const next = blocks[i + 1];
    const lines = [...block.lines];
    // A sentence that introduces a drawing cannot be said without it.
    if (next?.kind === 'code' && lines.at(-1)!.endsWith(':')) lines.pop();
    const text = lines.map((l, k) => (k < lines.length - 1 || next?.kind !== 'list' ? sentence(l) : l)).join(' ');
    if (next?.kind === 'list') units.push({ text: `${text} ${next.items.map((item) => item.replace(/[.;]$/, '')).join('; ')}.`, upTo: i + 1 });
    else if (text) units.push({ text, upTo: i });
  }
  return units.map((u) => ({ ...u, text: u.text.replace(/`/g, '').replace(/\s+/g, ' ').trim() })).filter((u) => u.text);
}

function markdownOf(blocks: Block[]): string {
  return blocks
    .map((b) => {
      if (b.kind === 'list') return b.items.map((item) => `- ${item}`).join('\n');
      if (b.kind === 'code') return `\`\`\`text\n${b.lines.join('\n')}\n\`\`\``;
      return b.lines.join('\n\n');
    })
    .join('\n\n');
}

/** An example's lines: `Input:`/`Output:` become one line, the explanation follows verbatim. */
function exampleMarkdown(lines: string[], n: number): string {
  const text = lines.map(clean).join('\n').trim();
  return `### Example ${n}\n\n\`\`\`text\n${text}\n\`\`\``;
}

/** A Constraints line as a bullet; inequalities in code so nothing is read as Markdown. */
function constraintMarkdown(line: string): string {
  const t = line.trim();
  return /[<>=]/.test(t) && !t.includes('`') ? `- \`${t}\`` : `- ${t}`;
}

export function importStatement(description: string): ImportedStatement {
  const lines = description.replace(/\r\n?/g, '\n').split('\n');
  const intro: string[] = [];
  const examples: string[][] = [];
  const constraints: string[] = [];
  const followUp: string[] = [];
  let section: 'intro' | 'example' | 'constraints' | 'follow' = 'intro';
  for (const raw of lines) {
    const line = clean(raw).trim();
    if (EXAMPLE.test(line)) {
      section = 'example';
      examples.push([]);
      continue;
    }
    if (CONSTRAINTS.test(line)) {
      section = 'constraints';
      continue;
    }
    if (FOLLOW_UP.test(line) && section !== 'intro') section = 'follow';
    if (section === 'intro') intro.push(raw);
    else if (section === 'example') examples.at(-1)!.push(raw);
    else if (section === 'constraints') {
      if (line) constraints.push(line);
    } else if (line) followUp.push(line);
  }
  const blocks = blocksOf(intro);
  const units = spokenUnits(blocks);
  let said = units.length > 0 ? 1 : 0;
  while (said < units.length && units.slice(0, said + 1).reduce((n, u) => n + u.text.length + 1, 0) <= SUMMARY_CHARS) said++;
  const summary = units
    .slice(0, said)
    .map((u) => u.text)
    .join(' ');
  // The summary stands for the blocks it says; the rest of the intro follows as written.
  const parts = [summary, markdownOf(blocks.slice(said > 0 ? units[said - 1]!.upTo + 1 : 0))];
  if (examples.length > 0) parts.push(`## Examples\n\n${examples.map((e, i) => exampleMarkdown(e, i + 1)).join('\n\n')}`);
  if (constraints.length > 0) parts.push(`## Constraints\n\n${constraints.map(constraintMarkdown).join('\n')}`);
  if (followUp.length > 0) parts.push(`## Follow-up\n\n${followUp.join('\n\n')}`);
  return { summary, markdown: `${parts.filter(Boolean).join('\n\n')}\n` };
}

/** A statement's prose: what comes before its examples and constraints. */
export function statementProse(statement: string): string {
  return statement.split(/\n#{1,6}\s|\n\s*(?:Example|Constraints)\b/i)[0] ?? statement;
}
