import { VettaError } from '../core/errors.js';
import { DEFAULT_GEMINI_MODEL, GeminiBrain } from '../providers/gemini/brain.js';
import { OpenAiCompatibleBrain } from '../providers/openai/brain.js';
import { ScriptedBrain } from '../providers/scripted/brain.js';
import type { Brain } from '../providers/spec.js';
import type { CliContext } from './main.js';

/**
 * Which providers a command uses, from flags, the environment and the config file. One place, so
 * `vetta practice` and `vetta doctor` never disagree.
 */

/** Ollama's OpenAI-compatible endpoint and a small model it serves, for a local interviewer. */
export const DEFAULT_OPENAI_BASE_URL = 'http://127.0.0.1:11434/v1';
export const DEFAULT_OPENAI_MODEL = 'llama3.2';

export interface BrainFlags {
  llm: 'auto' | 'scripted' | 'gemini' | 'openai';
  model?: string;
}

/** The interviewer's brain from --llm, keys and settings; keys are read, never printed. */
export function chooseBrain(opts: BrainFlags, ctx: CliContext, notice: (message: string) => void): Brain {
  const geminiKey = ctx.env.GEMINI_API_KEY || ctx.env.GOOGLE_API_KEY;
  const llm = opts.llm === 'auto' ? (geminiKey ? 'gemini' : 'scripted') : opts.llm;
  if (opts.llm === 'auto' && llm === 'scripted') {
    notice('no GEMINI_API_KEY, so the offline interviewer leads; set it, or use --llm openai with a local model');
  }
  if (llm === 'gemini') {
    if (!geminiKey) throw new VettaError('usage', '--llm gemini needs a key: set GEMINI_API_KEY (or GOOGLE_API_KEY)');
    return new GeminiBrain({ apiKey: geminiKey, model: opts.model || ctx.env.GEMINI_MODEL || DEFAULT_GEMINI_MODEL, ...(ctx.env.GEMINI_BASE_URL ? { baseUrl: ctx.env.GEMINI_BASE_URL } : {}) });
  }
  if (llm === 'openai') {
    return new OpenAiCompatibleBrain({
      baseUrl: ctx.env.OPENAI_BASE_URL || DEFAULT_OPENAI_BASE_URL,
      model: opts.model || ctx.env.OPENAI_MODEL || DEFAULT_OPENAI_MODEL,
      ...(ctx.env.OPENAI_API_KEY ? { apiKey: ctx.env.OPENAI_API_KEY } : {}),
    });
  }
  return new ScriptedBrain();
}
