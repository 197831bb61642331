import { Box, Text, useInput, useWindowSize } from 'ink';
import { useMemo, useState } from 'react';
import { visibleWindow } from './layout.js';

export interface PickerItem {
  id: string;
  title: string;
  difficulty: string;
  tags: readonly string[];
}

const DIFFICULTY_COLOR: Record<string, string> = { easy: 'green', medium: 'yellow', hard: 'red' };

/** What a query is matched against, built once per item rather than on every keystroke. */
const haystacks = new WeakMap<PickerItem, string>();

function haystackOf(item: PickerItem): string {
  let text = haystacks.get(item);
  if (text === undefined) {
    text = `${item.id} ${item.title} ${item.difficulty} ${item.tags.join(' ')}`.toLowerCase();
    haystacks.set(item, text);
  }
  return text;
}

/** Case-insensitive match on id, title, difficulty and tags: every typed word must appear. */
export function filterItems(items: readonly PickerItem[], query: string): PickerItem[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...items];
  return items.filter((item) => {
    const haystack = haystackOf(item);
    return words.every((w) => haystack.includes(w));
  });
}

/**
 * Chooses the problem to practise: type to filter (by name, difficulty or topic), arrows to move,
 * Enter to start, Esc or Ctrl-C to leave.
 */
export function ProblemPicker(props: { items: readonly PickerItem[]; color: boolean; onPick: (id: string | null) => void }) {
  const { columns, rows } = useWindowSize();
  const [query, setQuery] = useState('');
  const [cursor, setCursor] = useState(0);
  const shown = useMemo(() => filterItems(props.items, query), [props.items, query]);
  const selected = Math.min(cursor, Math.max(0, shown.length - 1));

  useInput((input, key) => {
    if (key.escape || (key.ctrl && input === 'c')) return props.onPick(null);
    if (key.return) {
      const item = shown[selected];
      if (item) props.onPick(item.id);
      return;
    }
    if (key.upArrow) return setCursor(Math.max(0, selected - 1));
    if (key.downArrow) return setCursor(Math.min(shown.length - 1, selected + 1));
    if (key.backspace || key.delete) {
      setCursor(0);
      return setQuery((q) => q.slice(0, -1));
    }
    if (key.ctrl && input === 'u') return setQuery('');
    if (input && !key.ctrl && !key.meta && !key.tab) {
      setCursor(0);
      setQuery((q) => q + input);
    }
  });

  const height = Math.max(3, rows - 4);
  // Keep the cursor in view: scroll so the selected row is the last visible one when it is low.
  const scroll = Math.max(0, shown.length - Math.max(selected + 1, height));
  const view = visibleWindow(shown, height, scroll);
  const first = shown.length - scroll - view.lines.length;
  const idWidth = useMemo(
    () =>
      Math.min(
        32,
        props.items.reduce((w, i) => Math.max(w, i.id.length), 10),
      ),
    [props.items],
  );
  return (
    <Box flexDirection="column" width={columns}>
      <Text bold>{` Choose a problem (${shown.length} of ${props.items.length})`}</Text>
      <Text>{` filter: ${query}█`}</Text>
      {view.lines.map((item, i) => {
        const active = first + i === selected;
        return (
          <Text key={item.id} wrap="truncate" inverse={active}>
            {`${active ? '›' : ' '} ${item.id.padEnd(idWidth)} `}
            <Text {...(props.color ? { color: DIFFICULTY_COLOR[item.difficulty] ?? 'white' } : {})}>{item.difficulty.padEnd(7)}</Text>
            {` ${item.tags.join(', ')}`}
          </Text>
        );
      })}
      {shown.length === 0 ? <Text dimColor>{' nothing matches; Backspace to widen'}</Text> : null}
      <Text dimColor>{' type to filter · ↑/↓ move · Enter start · Esc leave'}</Text>
    </Box>
  );
}
