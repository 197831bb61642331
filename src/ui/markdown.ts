import type { Style } from './style.js';

/**
 * Renders a problem statement's Markdown for the terminal: headings in bold, code spans and
 * blocks set apart, emphasis markers removed, lists kept, paragraphs wrapped to the width.
 */
export function renderMarkdown(markdown: string, style: Style, width = 80): string {
  const out: string[] = [];
  let inCode = false;
  let paragraph: string[] = [];
  const flush = () => {
    if (paragraph.length > 0) out.push(...wrapText(inline(paragraph.join(' '), style), width));
    paragraph = [];
  };
  for (const raw of markdown.split('\n')) {
    const line = raw.replace(/\s+$/, '');
    if (/^```/.test(line)) {
      flush();
      inCode = !inCode;
      continue;
    }
    if (inCode) {
      out.push(style.cyan(`    ${line}`));
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      flush();
      if (out.length > 0 && out[out.length - 1] !== '') out.push('');
      out.push(style.bold(inline(heading[2]!, style)));
      continue;
    }
    const item = /^(\s*)([-*+]|\d+\.)\s+(.*)$/.exec(line);
    if (item) {
      flush();
      const indent = ' '.repeat(item[1]!.length);
      const bullet = /\d/.test(item[2]!) ? item[2]! : '•';
      const lines = wrapText(inline(item[3]!, style), width - indent.length - bullet.length - 1);
      for (const [i, l] of lines.entries()) out.push(`${indent}${i === 0 ? bullet : ' '.repeat(bullet.length)} ${l}`);
      continue;
    }
    if (line.trim() === '') {
      flush();
      if (out.length > 0 && out[out.length - 1] !== '') out.push('');
      continue;
    }
    paragraph.push(line.trim());
  }
  flush();
  return out.join('\n').trim();
}

function inline(text: string, style: Style): string {
  return text
    .replace(/`([^`]+)`/g, (_, code: string) => style.cyan(code))
    .replace(/\*\*([^*]+)\*\*/g, (_, s: string) => style.bold(s))
    .replace(/(^|[^\w*])\*([^*\s][^*]*)\*/g, (_, pre: string, s: string) => `${pre}${s}`)
    .replace(/(^|\W)_([^_\s][^_]*)_(?=\W|$)/g, (_, pre: string, s: string) => `${pre}${s}`);
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: it matches terminal colour codes, which start with ESC
const ANSI = /\u001b\[[0-9;]*m/g;

function wrapText(text: string, width: number): string[] {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = '';
  let len = 0;
  for (const word of words) {
    const wlen = word.replace(ANSI, '').length;
    if (len > 0 && len + 1 + wlen > width) {
      lines.push(line);
      line = word;
      len = wlen;
    } else {
      line = len > 0 ? `${line} ${word}` : word;
      len += (len > 0 ? 1 : 0) + wlen;
    }
  }
  if (line) lines.push(line);
  return lines;
}
