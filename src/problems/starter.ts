import type { FunctionSpec } from './schema.js';

/** Starter code written from a function signature, in LeetCode's conventions. */

function tsType(type: string): string {
  if (type.endsWith('[]')) {
    const inner = tsType(type.slice(0, -2));
    return /\|/.test(inner) ? `(${inner})[]` : `${inner}[]`;
  }
  switch (type) {
    case 'int':
    case 'float':
      return 'number';
    case 'bool':
      return 'boolean';
    case 'string':
    case 'char':
      return 'string';
    case 'ListNode':
      return 'ListNode | null';
    case 'TreeNode':
      return 'TreeNode | null';
    default:
      return 'void';
  }
}

function pyType(type: string): string {
  if (type.endsWith('[]')) return `List[${pyType(type.slice(0, -2))}]`;
  const map: Record<string, string> = { int: 'int', float: 'float', bool: 'bool', string: 'str', char: 'str', ListNode: 'Optional[ListNode]', TreeNode: 'Optional[TreeNode]', void: 'None' };
  return map[type] ?? 'object';
}

export function javascriptStarter(spec: FunctionSpec): string {
  const doc = [...spec.params.map((p) => ` * @param {${tsType(p.type)}} ${p.name}`), ` * @return {${tsType(spec.returns)}}`];
  return `/**\n${doc.join('\n')}\n */\nfunction ${spec.javascript}(${spec.params.map((p) => p.name).join(', ')}) {\n\n}\n`;
}

export function typescriptStarter(spec: FunctionSpec): string {
  const name = spec.typescript ?? spec.javascript;
  return `function ${name}(${spec.params.map((p) => `${p.name}: ${tsType(p.type)}`).join(', ')}): ${tsType(spec.returns)} {\n\n}\n`;
}

export function pythonStarter(spec: FunctionSpec): string {
  const [cls, method] = spec.python.includes('.') ? spec.python.split('.') : [null, spec.python];
  const params = spec.params.map((p) => `${p.name}: ${pyType(p.type)}`);
  if (!cls) return `def ${method}(${params.join(', ')}) -> ${pyType(spec.returns)}:\n    pass\n`;
  return `class ${cls}:\n    def ${method}(${['self', ...params].join(', ')}) -> ${pyType(spec.returns)}:\n        pass\n`;
}
