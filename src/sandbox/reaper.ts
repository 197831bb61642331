import { spawn } from 'node:child_process';
import type { ChildProcessByStdio } from 'node:child_process';
import type { Writable } from 'node:stream';

/**
 * What a run must not leave when vetta dies without running any handler of its own (SIGKILL, the
 * OOM killer, a crash of Node itself). bwrap's --die-with-parent does not cover it: bwrap arms
 * the parent-death signal of the sandbox's pid 1 only once the sandbox is set up (in its init,
 * 10-40 ms after the start), so when vetta dies during the set-up, bwrap's outer process dies with
 * it, the sandbox's pid 1 arms itself against a parent already gone, and the program runs on under
 * no timer at all (an endless loop for ever). A Docker container outlives its client whenever
 * that dies. A run's cgroup stays too.
 *
 * So each vetta process that runs candidate code has a reaper: a small shell in a session of its
 * own (a Ctrl-C or a kill of vetta's process group does not reach it), reading a pipe from vetta.
 * Before a run vetta tells it how to undo the run, after the run that it ended. When the pipe
 * closes (the kernel closes it however vetta ends, so this does not race like a parent-death
 * signal) it undoes the runs that had not ended: it kills every process in their cgroups, every
 * process whose command line holds their box folder (the launcher and the copy of it that is the
 * sandbox's pid 1: when that dies the kernel kills the whole pid namespace), runs their own
 * command (removing a container), and removes their cgroups; twice more 200 ms apart, for a
 * process that was still starting. Then it exits; after a normal exit it has nothing to do.
 */
const SCRIPT = String.raw`
kill_cgroups() {
  for d; do
    [ -f "$d/cgroup.kill" ] && echo 1 > "$d/cgroup.kill" 2>/dev/null
    n=0
    while [ $n -lt 50 ] && pids=$(cat "$d/cgroup.procs" 2>/dev/null) && [ -n "$pids" ]; do
      kill -9 $pids 2>/dev/null
      n=$((n + 1))
    done
  done
  for d; do
    n=0
    while [ -d "$d" ] && ! rmdir "$d" 2>/dev/null && [ $n -lt 20 ]; do sleep 0.05; n=$((n + 1)); done
  done
}
kill_matching() {
  pids=$(printf '%s\n' "$1" | grep -lsFf - /proc/[0-9]*/cmdline | sed 's#^/proc/\([0-9]*\)/cmdline$#\1#')
  [ -n "$pids" ] && kill -9 $pids 2>/dev/null
}
ids=
while read -r op id cmd; do
  case $op in
    +) eval "run_$id=\$cmd"; ids="$ids $id" ;;
    -) unset "run_$id" ;;
  esac
done
left=
for id in $ids; do eval "cmd=\$run_$id"; [ -n "$cmd" ] && left="$left $id"; done
[ -z "$left" ] && exit 0
for pass in 1 2 3; do
  for id in $left; do eval "cmd=\$run_$id"; eval "$cmd"; done
  [ $pass -lt 3 ] && sleep 0.2
done
`;

let reaper: ChildProcessByStdio<Writable, null, null> | null = null;
let nextId = 0;

/** The text as one shell word. */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}

export interface Undo {
  /** The run's cgroup folders: every process in them is killed, then they are removed. */
  cgroups?: string[];
  /** Text in the command line of the run's processes (its box folder): they are killed. */
  matching?: string;
  /** A command to run (docker rm --force NAME). */
  command?: string[];
}

/** The shell line that undoes a run. */
export function undoLine(undo: Undo): string {
  const parts: string[] = [];
  if (undo.cgroups?.length) parts.push(`kill_cgroups ${undo.cgroups.map(shellQuote).join(' ')}`);
  if (undo.matching) parts.push(`kill_matching ${shellQuote(undo.matching)}`);
  if (undo.command?.length) parts.push(`${undo.command.map(shellQuote).join(' ')} >/dev/null 2>&1`);
  return parts.join('; ');
}

function startReaper(): ChildProcessByStdio<Writable, null, null> | null {
  try {
    const child = spawn('/bin/sh', ['-c', SCRIPT], { detached: true, stdio: ['pipe', 'ignore', 'ignore'], cwd: '/' });
    child.on('error', () => {
      reaper = null;
    });
    child.stdin.on('error', () => {});
    // Neither the reaper nor its pipe keeps vetta running: its exit is what the reaper waits for.
    child.unref();
    (child.stdin as unknown as { unref?: () => void }).unref?.();
    return child;
  } catch {
    return null;
  }
}

/**
 * Tells the reaper how to undo a run that is about to start; call the function returned once the
 * run is over. Call it before starting the run's first process: the line is in the pipe (a small
 * write to a pipe that is read completes at once) before anything it would have to undo exists.
 */
export function undoIfVettaDies(undo: Undo): () => void {
  const line = undoLine(undo);
  if (!line || line.includes('\n')) return () => {};
  reaper ??= startReaper();
  const pipe = reaper?.stdin;
  if (!pipe || pipe.destroyed) return () => {};
  const id = ++nextId;
  pipe.write(`+ ${id} ${line}\n`);
  return () => {
    if (!pipe.destroyed) pipe.write(`- ${id}\n`);
  };
}
