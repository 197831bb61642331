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

export function javascriptStarter(spec: FunctionSpec): string {
  const doc = [...spec.params.map((p) => ` * @param {${tsType(p.type)}} ${p.name}`), ` * @return {${tsType(spec.returns)}}`];
  return `/**\n${doc.join('\n')}\n */\nfunction ${spec.javascript}(${spec.params.map((p) => p.name).join(', ')}) {\n\n}\n`;
}

export function typescriptStarter(spec: FunctionSpec): string {
  const name = spec.typescript ?? spec.javascript;
  return `function ${name}(${spec.params.map((p) => `${p.name}: ${tsType(p.type)}`).join(', ')}): ${tsType(spec.returns)} {\n\n}\n`;
}
