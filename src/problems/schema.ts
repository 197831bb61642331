import { z } from 'zod';

/** The problem format (docs/problem-format.md) as zod schemas; the loader turns issues into
 *  `file: path.to.field: message` lines. */

const BASE_TYPES = ['int', 'float', 'bool', 'string', 'char', 'ListNode', 'TreeNode'] as const;

export const TypeName = z.string().refine((t) => t === 'void' || BASE_TYPES.includes(t.replace(/(\[\])+$/, '') as (typeof BASE_TYPES)[number]), {
  message: `expected a type such as int, int[], string, bool, float, ListNode, TreeNode, void`,
});

export const Param = z.strictObject({
  name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an identifier'),
  type: TypeName,
});

const Identifier = z.string().regex(/^[A-Za-z_$][A-Za-z0-9_$]*$/, 'expected an identifier');
const PythonEntry = z.string().regex(/^([A-Za-z_][A-Za-z0-9_]*\.)?[A-Za-z_][A-Za-z0-9_]*$/, 'expected "Solution.method" or "function_name"');

export const FunctionSpec = z.strictObject({
  params: z.array(Param),
  returns: TypeName,
  python: PythonEntry,
  javascript: Identifier,
  typescript: Identifier.optional(),
});

export const MethodSpec = z.strictObject({
  params: z.array(Param),
  returns: TypeName,
});

export const DesignSpec = z.strictObject({
  class: Identifier,
  constructor: z.array(Param),
  methods: z.record(Identifier, MethodSpec).refine((m) => Object.keys(m).length > 0, 'expected at least one method'),
});

export const Comparator = z.enum(['exact', 'unordered', 'unordered-deep', 'float']);

/** A level may be empty (an imported problem has no hints); validate warns about it. */
const HintList = z.array(z.string().min(1), { error: 'expected a list of strings' }).default([]);

export const FrontMatter = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'expected lowercase letters, digits and dashes'),
    title: z.string().min(1),
    difficulty: z.enum(['easy', 'medium', 'hard']),
    tags: z.array(z.string().min(1), { error: 'expected a list of strings' }).min(1),
    function: FunctionSpec.optional(),
    design: DesignSpec.optional(),
    compare: Comparator.default('exact'),
    tolerance: z.number().positive().default(1e-5),
    limits: z
      .strictObject({
        time_ms: z.number().int().positive().optional(),
        test_time_ms: z.number().int().positive().optional(),
        memory_mb: z.number().int().positive().optional(),
      })
      .default({}),
    hints: z.strictObject({ nudge: HintList, hint: HintList, reveal: HintList }).default({ nudge: [], hint: [], reveal: [] }),
    clarifications: z.array(z.strictObject({ q: z.string().min(1), a: z.string().min(1), keywords: z.array(z.string()).optional() })).default([]),
    pitfalls: z.array(z.strictObject({ when: z.array(z.string().min(1)).min(1, 'expected at least one phrase'), reply: z.string().min(1) })).default([]),
    follow_ups: z.array(z.string().min(1), { error: 'expected a list of strings' }).default([]),
    rubric: z.array(z.string().min(1), { error: 'expected a list of strings' }).default([]),
    complexity: z.strictObject({ time: z.string(), space: z.string() }).optional(),
  })
  .superRefine((fm, ctx) => {
    if (!fm.function === !fm.design) {
      ctx.addIssue({ code: 'custom', path: ['function'], message: 'expected exactly one of "function" or "design"' });
    }
  });

export type FrontMatter = z.output<typeof FrontMatter>;
export type FunctionSpec = z.output<typeof FunctionSpec>;
export type DesignSpec = z.output<typeof DesignSpec>;
export type Comparator = z.output<typeof Comparator>;

const TestCommon = {
  name: z.string().min(1),
  expected: z.unknown(),
  tags: z.array(z.string().min(1), { error: 'expected a list of strings' }).default([]),
  hidden: z.boolean().default(false),
  compare: Comparator.optional(),
  tolerance: z.number().positive().optional(),
};

export const FunctionTest = z.strictObject({ ...TestCommon, args: z.record(z.string(), z.unknown()) });
/** ops/args may be generator objects; they are checked again after expansion. */
export const DesignTest = z.strictObject({ ...TestCommon, ops: z.unknown(), args: z.unknown() });

export const TestsFile = z.strictObject({ tests: z.array(z.unknown()).min(1, 'expected at least one test') });

/** Formats a zod issue path the way the error lines show it: hints.nudge, tests[3].args */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

/** Whether the field at `path` of `input` is absent (its parent is there, it is not). */
function isMissing(input: unknown, path: readonly PropertyKey[]): boolean {
  let node = input;
  for (const part of path.slice(0, -1)) {
    if (node === null || typeof node !== 'object') return false;
    node = (node as Record<PropertyKey, unknown>)[part];
  }
  return node !== null && typeof node === 'object' && path.length > 0 && (node as Record<PropertyKey, unknown>)[path.at(-1)!] === undefined;
}

/** `input` is what was parsed: a field that is not there at all is reported as "missing". */
export function issuesOf(error: z.ZodError, input?: unknown, prefix: readonly PropertyKey[] = []): string[] {
  return error.issues.map((issue) => {
    const path = formatPath([...prefix, ...issue.path]);
    const message = input !== undefined && issue.code !== 'custom' && isMissing(input, issue.path) ? 'missing' : issue.message;
    return path ? `${path}: ${message}` : message;
  });
}
