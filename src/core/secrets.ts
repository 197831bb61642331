/**
 * Secrets must never reach a file Vetta writes (a session, a recording). The values to look for
 * come from the environment and the config file, by name; anything shaped like a provider key is
 * caught too.
 */
const SECRET_NAME = /(key|token|secret|passw(or)?d|credential|auth)/i;
/** Shapes of provider keys worth catching even when they came from nowhere we know of. */
const KEY_SHAPES = [/AIza[0-9A-Za-z_-]{35}/g, /\bsk-[A-Za-z0-9_-]{20,}/g];
export const REDACTED = '[redacted]';

/** Secret-looking values: environment variables and config settings named like keys, tokens or passwords. */
export function secretValues(env: NodeJS.ProcessEnv, config: unknown = {}): string[] {
  const found = new Set<string>();
  for (const [name, value] of Object.entries(env)) if (value && value.length >= 6 && SECRET_NAME.test(name)) found.add(value);
  const walk = (value: unknown, name: string) => {
    if (typeof value === 'string' && value.length >= 6 && SECRET_NAME.test(name)) found.add(value);
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, Array.isArray(value) ? name : k);
  };
  walk(config, '');
  // Longest first, so a secret that contains another is replaced whole.
  return [...found].sort((a, b) => b.length - a.length);
}

/** Replaces every secret, as written and as JSON would escape it, and anything shaped like a key. */
export function scrubber(secrets: readonly string[]): (text: string) => string {
  const forms = [...new Set(secrets.flatMap((s) => [s, JSON.stringify(s).slice(1, -1)]))];
  return (text) => {
    let out = text;
    for (const form of forms) if (out.includes(form)) out = out.split(form).join(REDACTED);
    for (const shape of KEY_SHAPES) out = out.replace(shape, REDACTED);
    return out;
  };
}

/** A JSON-shaped value with every secret in its strings replaced. */
export function scrubValue<T>(value: T, scrub: (text: string) => string): T {
  return JSON.parse(scrub(JSON.stringify(value))) as T;
}
