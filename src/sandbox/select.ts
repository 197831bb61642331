import { VettaError } from '../core/errors.js';
import { BubblewrapSandbox } from './bubblewrap.js';
import { DockerSandbox } from './docker.js';
import { NsjailSandbox } from './nsjail.js';
import type { Sandbox } from '../core/sandbox.js';
import { UnsafeSandbox } from './unsafe.js';

export const SANDBOX_NAMES = ['auto', 'nsjail', 'bubblewrap', 'docker', 'unsafe'] as const;

/**
 * `auto` tries the isolating backends in this order: nsjail (namespaces plus its own hardening),
 * bubblewrap (the same namespaces, a few ms per run), Docker (isolation of its own, but a cold
 * start of 150-200 ms per submission). It never falls back to `unsafe`, which runs only by name.
 */
const AUTO_ORDER: { name: string; detect: (env: NodeJS.ProcessEnv) => Sandbox | string }[] = [
  { name: 'nsjail', detect: (env) => NsjailSandbox.detect(env) },
  { name: 'bubblewrap', detect: (env) => BubblewrapSandbox.detect(env) },
  { name: 'docker', detect: (env) => DockerSandbox.detect(env) },
];

export function selectSandbox(name: string = 'auto', env: NodeJS.ProcessEnv = process.env): Sandbox {
  if (!(SANDBOX_NAMES as readonly string[]).includes(name)) {
    throw new VettaError('usage', `unknown sandbox "${name}": expected one of ${SANDBOX_NAMES.join(', ')}`);
  }
  if (name === 'unsafe') return new UnsafeSandbox();
  const candidates = name === 'auto' ? AUTO_ORDER : AUTO_ORDER.filter((b) => b.name === name);
  const reasons: string[] = [];
  for (const backend of candidates) {
    const found = backend.detect(env);
    if (typeof found !== 'string') return found;
    reasons.push(found);
  }
  if (name !== 'auto') throw new VettaError('sandbox_unavailable', `sandbox ${name} cannot run here: ${reasons[0]}`);
  throw new VettaError(
    'sandbox_unavailable',
    `no sandbox can run here (${reasons.join('; ')}); install bubblewrap (apt-get install bubblewrap), or run untrusted code at your own risk with --sandbox unsafe`,
  );
}
