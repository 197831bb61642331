import { Box, Text, useApp, useInput, useWindowSize } from 'ink';
import { useEffect, useState, useSyncExternalStore } from 'react';
import type { Action } from '../interview/actions.js';
import { parseAction } from '../interview/actions.js';
import type { TranscriptSnapshot } from '../interview/transcript.js';
import type { Line } from './layout.js';
import { clock, conversationLines, latencyLines, statementLines, topWindow, visibleWindow } from './layout.js';

export interface TranscriptSource {
  get(): TranscriptSnapshot;
  subscribe(listener: () => void): () => void;
}

/** Hands the terminal to a child process (the editor) and takes it back with a full redraw. */
export type SuspendTerminal = (during: () => void | Promise<void>) => Promise<void>;

export interface PracticeAppProps {
  title: string;
  difficulty: string;
  language: string;
  statement: string;
  transcript: TranscriptSource;
  now: () => number;
  color: boolean;
  /** A candidate action from a key or a typed line. */
  onAction: (action: Action) => void;
  /** The candidate confirmed they want to stop. */
  onQuit: () => void;
  /** Called once mounted, with the way to suspend the terminal for the editor. */
  onReady?: (suspend: SuspendTerminal) => void;
}

export const KEY_BINDINGS: readonly { key: string; label: string; help: string }[] = [
  { key: 'e', label: 'edit', help: 'open your editor on the solution; saving and quitting runs the visible tests' },
  { key: 'r', label: 'run', help: 'run the visible tests on your latest code' },
  { key: 's', label: 'submit', help: 'run all the tests, hidden ones included' },
  { key: 'n', label: 'hint', help: 'ask for a hint (one level at a time: nudge, hint, reveal)' },
  { key: 'p', label: 'problem', help: 'show or hide the problem statement' },
  { key: 'l', label: 'latency', help: 'show or hide the voice timings: a waterfall per spoken turn' },
  { key: 'k', label: 'keys', help: 'show or hide this help' },
  { key: 'q', label: 'quit', help: 'end the interview (asks first; the session is kept)' },
];

const TONES = (color: boolean): Record<Line['tone'], { color?: string; bold?: boolean; dimColor?: boolean }> => ({
  interviewer: color ? { color: 'cyan', bold: true } : { bold: true },
  candidate: color ? { color: 'green', bold: true } : { bold: true },
  pass: color ? { color: 'green' } : {},
  fail: color ? { color: 'red' } : {},
  dim: { dimColor: true },
  notice: color ? { color: 'yellow' } : {},
  heading: { bold: true },
  code: color ? { color: 'cyan' } : {},
  plain: {},
});

type Overlay = 'none' | 'problem' | 'keys' | 'latency';

/**
 * The practice screen: the conversation (or the problem, or the keys) in a pane, a status line, the
 * input line and the key bar. A view over the transcript; every decision is the session's.
 */
export function PracticeApp(props: PracticeAppProps) {
  const { transcript, color } = props;
  const snapshot = useSyncExternalStore(transcript.subscribe, transcript.get);
  const { columns, rows } = useWindowSize();
  const { suspendTerminal } = useApp();
  const [draft, setDraft] = useState('');
  const [overlay, setOverlay] = useState<Overlay>('none');
  const [scroll, setScroll] = useState(0);
  const [confirmQuit, setConfirmQuit] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [, setTick] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: told once, when the screen is first drawn
  useEffect(() => props.onReady?.(suspendTerminal), []);
  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), 1000);
    return () => clearInterval(timer);
  }, []);

  const wide = columns >= 120;
  const paneHeight = Math.max(3, rows - 6);
  const sideWidth = wide ? Math.floor(columns * 0.4) : 0;
  const mainWidth = columns - sideWidth;
  const tones = TONES(color);
  const showsConversation = overlay === 'none' || (overlay === 'problem' && wide);

  const act = (action: Action) => {
    setError(null);
    setScroll(0);
    props.onAction(action);
  };

  useInput((input, key) => {
    if (confirmQuit) {
      setConfirmQuit(false);
      if (input === 'y' || input === 'Y') props.onQuit();
      return;
    }
    if (key.ctrl && (input === 'c' || input === 'q')) return setConfirmQuit(true);
    if (key.ctrl) {
      switch (input) {
        case 'e':
          return act({ kind: 'edit' });
        case 'r':
          return act({ kind: 'run' });
        case 's':
          return act({ kind: 'submit' });
        case 'n':
          return act({ kind: 'hint' });
        case 'p':
          setScroll(0);
          return setOverlay((o) => (o === 'problem' ? 'none' : 'problem'));
        case 'k':
          setScroll(0);
          return setOverlay((o) => (o === 'keys' ? 'none' : 'keys'));
        case 'l':
          setScroll(0);
          return setOverlay((o) => (o === 'latency' ? 'none' : 'latency'));
        case 'u':
          return setDraft('');
        case 'w':
          return setDraft((d) => d.replace(/\S+\s*$/, ''));
        default:
          return;
      }
    }
    if (key.escape) return setOverlay('none');
    // The conversation is anchored at its newest line, the problem and the help at their first.
    const page = Math.max(1, paneHeight - 2) * (showsConversation ? 1 : -1);
    if (key.pageUp || (key.shift && key.upArrow)) return setScroll((s) => Math.max(0, s + page));
    if (key.pageDown || (key.shift && key.downArrow)) return setScroll((s) => Math.max(0, s - page));
    if (key.return) return submit(draft);
    if (key.backspace || key.delete) return setDraft((d) => d.slice(0, -1));
    if (!input || key.meta || key.tab || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow) return;
    // Fast typing and pastes arrive as one chunk, line breaks included: each break sends a line.
    const pieces = input.split(/\r\n|\r|\n/);
    if (pieces.length === 1) return setDraft((d) => d + input);
    submit(draft + pieces[0]);
    for (const piece of pieces.slice(1, -1)) submit(piece);
    setDraft(pieces.at(-1)!);
  });

  const submit = (line: string) => {
    setDraft('');
    try {
      const action = parseAction(line, 'input');
      if (action?.kind === 'quit') setConfirmQuit(true);
      else if (action?.kind === 'wait') setError('/wait is for scripts; in the terminal, time passes by itself');
      else if (action) act(action);
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const { state, busy, entries, hearing } = snapshot;
  const conversation = conversationLines(entries, mainWidth - 4);
  const statement = statementLines(props.statement, (wide ? sideWidth : mainWidth) - 4);
  const paneLines: Line[] =
    overlay === 'keys'
      ? keyHelpLines()
      : overlay === 'latency'
        ? latencyLines(state.timings, mainWidth - 4)
        : overlay === 'problem' && !wide
          ? statement
          : conversation;
  // The pane's first line is its title.
  const view = showsConversation ? visibleWindow(paneLines, paneHeight - 1, scroll) : topWindow(paneLines, paneHeight - 1, scroll);
  const paneTitle = overlay === 'keys' || overlay === 'latency' ? overlay : showsConversation ? 'conversation' : 'problem';
  const lastRun = state.testRuns.at(-1);
  const elapsed = clock(props.now() - state.startedAtMs);
  const status = [
    state.phase.replace('_', '-'),
    elapsed,
    `hints ${state.hintsGiven.length}`,
    lastRun ? `${lastRun.kind} ${lastRun.passed}/${lastRun.total}` : 'no runs yet',
  ].join(' · ');

  return (
    <Box flexDirection="column" width={columns} height={rows}>
      <Box width={columns}>
        <Text bold>{heading(props, columns - status.length - 2)}</Text>
        <Text {...(color && lastRun ? { color: lastRun.verdict === 'accepted' ? 'green' : 'red' } : {})}>{` ${status} `}</Text>
      </Box>
      <Box flexDirection="row" height={paneHeight + 2}>
        <Pane title={view.more ? `${paneTitle} (${view.more})` : paneTitle} width={mainWidth} height={paneHeight} lines={view.lines} tones={tones} />
        {wide ? <Pane title="problem" width={sideWidth} height={paneHeight} lines={statement.slice(0, paneHeight - 1)} tones={tones} /> : null}
      </Box>
      <Text wrap="truncate" {...(error ? tones.notice : tones.dim)}>
        {` ${error ?? (hearing !== null ? `hearing you: ${hearing || '…'}` : null) ?? busy ?? (state.phase === 'ended' ? 'the interview is over' : 'type to talk to the interviewer; Enter sends')}`}
      </Text>
      {confirmQuit ? (
        <Text wrap="truncate" {...tones.notice}>
          {' End the interview now? Your session is kept either way. y = end, any other key = carry on'}
        </Text>
      ) : (
        <Text wrap="truncate">{` > ${draft.slice(-(columns - 5))}█`}</Text>
      )}
      <Text wrap="truncate" dimColor>
        {` ${KEY_BINDINGS.map((b) => `^${b.key.toUpperCase()} ${b.label}`).join('  ')}`}
      </Text>
    </Box>
  );
}

function Pane(props: { title: string; width: number; height: number; lines: Line[]; tones: ReturnType<typeof TONES> }) {
  return (
    <Box flexDirection="column" borderStyle="round" width={props.width} height={props.height + 2} paddingX={1} overflow="hidden">
      <Text bold wrap="truncate">
        {props.title}
      </Text>
      {props.lines.map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a pane's rows are places on the screen; what is in them changes
        <Text key={i} wrap="truncate" {...props.tones[line.tone]}>
          {line.text || ' '}
        </Text>
      ))}
    </Box>
  );
}

/** The problem's title, with its difficulty and language when they fit too. */
function heading(props: PracticeAppProps, width: number): string {
  const full = ` ${props.title} (${props.difficulty}, ${props.language})`;
  return fit(full.length <= width ? full : ` ${props.title}`, width);
}

/** Exactly `width` columns: padded, or cut with an ellipsis. */
function fit(text: string, width: number): string {
  if (width <= 0) return '';
  return text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width);
}

function keyHelpLines(): Line[] {
  return [
    { text: 'Keys (Ctrl and a letter; typing never triggers them)', tone: 'heading' },
    ...KEY_BINDINGS.map((b) => ({ text: `  Ctrl-${b.key.toUpperCase()}  ${b.help}`, tone: 'plain' as const })),
    { text: '  PgUp/PgDn  scroll the pane; Esc closes this help', tone: 'plain' },
    { text: '', tone: 'plain' },
    { text: 'Typed commands work too', tone: 'heading' },
    { text: '  /edit  /run  /submit  /hint  /quit', tone: 'plain' },
    { text: '  anything else you type is said to the interviewer', tone: 'plain' },
  ];
}
