import { VettaError } from '../core/errors.js';
import { BubblewrapSandbox } from './bubblewrap.js';
import type { Sandbox } from './spec.js';
import { UnsafeSandbox } from './unsafe.js';

export const SANDBOX_NAMES = ['auto', 'bubblewrap', 'unsafe'] as const;
export type SandboxName = (typeof SANDBOX_NAMES)[number];

/**
 * The sandbox to run candidate code in. `auto` takes the first isolating backend that works here
 * and never falls back to `unsafe`: that one runs only when asked for by name.
 */
export function selectSandbox(name: string = 'auto', env: NodeJS.ProcessEnv = process.env): Sandbox {
  if (!(SANDBOX_NAMES as readonly string[]).includes(name)) {
    throw new VettaError('usage', `unknown sandbox "${name}": expected one of ${SANDBOX_NAMES.join(', ')}`);
  }
  if (name === 'unsafe') return new UnsafeSandbox();
  const bwrap = BubblewrapSandbox.detect(env);
  if (typeof bwrap !== 'string') return bwrap;
  throw new VettaError(
    'sandbox_unavailable',
    `no sandbox can run here: ${bwrap}; or run untrusted code at your own risk with --sandbox unsafe`,
  );
}
