import { render } from 'ink';
import type { PracticeAppProps, SuspendTerminal } from './practice-app.js';
import { PracticeApp } from './practice-app.js';
import type { PickerItem } from './problem-picker.js';
import { ProblemPicker } from './problem-picker.js';

export interface TerminalIo {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

// Interactive whenever the output is a terminal: Ink would otherwise draw nothing until exit when
// a CI variable is set, as it is in CI jobs that drive a terminal.
const options = (io: TerminalIo) => ({
  stdin: io.stdin,
  stdout: io.stdout,
  stderr: io.stderr,
  exitOnCtrlC: false,
  patchConsole: false,
  alternateScreen: true,
  interactive: Boolean(io.stdout.isTTY),
});

/** Shows the picker on the whole screen; resolves with the chosen id, or null when the user left. */
export async function pickProblem(items: readonly PickerItem[], color: boolean, io: TerminalIo): Promise<string | null> {
  let chosen: string | null = null;
  const app = render(
    <ProblemPicker
      items={items}
      color={color}
      onPick={(id) => {
        chosen = id;
        app.unmount();
      }}
    />,
    options(io),
  );
  await app.waitUntilExit();
  return chosen;
}

/** The running practice screen: `suspend` hands the terminal to the editor, `close` restores it. */
export interface PracticeScreen {
  suspend: SuspendTerminal;
  close(): Promise<void>;
}

export async function showPractice(props: Omit<PracticeAppProps, 'onReady'>, io: TerminalIo): Promise<PracticeScreen> {
  let ready: (suspend: SuspendTerminal) => void = () => {};
  const mounted = new Promise<SuspendTerminal>((resolve) => (ready = resolve));
  const app = render(<PracticeApp {...props} onReady={(suspend) => ready(suspend)} />, options(io));
  // A view that fails to render ends the app: say why instead of waiting for it forever.
  const suspend = await Promise.race([mounted, app.waitUntilExit().then(() => Promise.reject(new Error('the practice screen closed before it was drawn')))]);
  return {
    suspend,
    async close() {
      app.unmount();
      await app.waitUntilExit();
    },
  };
}
