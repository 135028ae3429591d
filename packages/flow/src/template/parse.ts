/**
 * The template language of step inputs: `{{root.path}}` inside strings, where root is a step
 * name (or `trigger`) and the path is `.key`, `[0]` or `['any key']` segments. Nothing else is
 * evaluated: no expressions, no calls.
 */

export interface TemplateReference {
  /** The step whose output is read (`trigger` for the trigger). */
  stepName: string;
  /** The path below that output; numbers come from `[n]`. */
  path: (string | number)[];
  /** The reference as written, braces included. */
  expression: string;
}

export type TemplatePart =
  | { kind: 'text'; text: string }
  | {
      kind: 'reference';
      reference: TemplateReference;
      /** Where the root name sits inside `expression` (to rename it). */
      rootStart: number;
      rootEnd: number;
    }
  | { kind: 'malformed'; expression: string; reason: string };

/** `{{connections['id']}}` names a connection, not a step. */
export const connectionsRoot = 'connections';

/** Path segments refused anywhere: they lead to prototypes, never to data. */
const refusedSegments: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

const identifierStart = /[A-Za-z_]/;
const identifierPart = /[A-Za-z0-9_]/;
const keyPart = /[A-Za-z0-9_$]/;
const digit = /[0-9]/;

export function parseTemplate(text: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let textStart = 0;
  const pushText = (end: number) => {
    if (end > textStart) parts.push({ kind: 'text', text: text.slice(textStart, end) });
  };
  for (let open = text.indexOf('{{'); open >= 0; open = text.indexOf('{{', textStart)) {
    const read = readReference(text, open);
    if ('reason' in read) {
      const close = text.indexOf('}}', open + 2);
      // An unclosed `{{` is plain text.
      if (close < 0) break;
      pushText(open);
      parts.push({
        kind: 'malformed',
        expression: text.slice(open, close + 2),
        reason: read.reason,
      });
      textStart = close + 2;
      continue;
    }
    pushText(open);
    parts.push({
      kind: 'reference',
      reference: { stepName: read.root, path: read.path, expression: text.slice(open, read.end) },
      rootStart: read.rootStart - open,
      rootEnd: read.rootStart - open + read.root.length,
    });
    textStart = read.end;
  }
  pushText(text.length);
  return parts;
}

type Read =
  | { root: string; rootStart: number; path: (string | number)[]; end: number }
  | { reason: string };

const notAReference = 'is not a reference: write {{step_name.field}}';

/** Reads `{{ root segments }}` from `open`; `end` is just past the closing braces. */
function readReference(text: string, open: number): Read {
  let i = skipSpace(text, open + 2);
  const rootStart = i;
  if (!identifierStart.test(text.charAt(i))) return { reason: notAReference };
  while (identifierPart.test(text.charAt(i))) i++;
  const root = text.slice(rootStart, i);
  if (refusedSegments.has(root)) return refused(root);
  const path: (string | number)[] = [];
  for (;;) {
    const c = text.charAt(i);
    if (c === '.') {
      const start = ++i;
      while (keyPart.test(text.charAt(i))) i++;
      if (i === start) return { reason: notAReference };
      path.push(text.slice(start, i));
    } else if (c === '[') {
      i = skipSpace(text, i + 1);
      const q = text.charAt(i);
      if (digit.test(q)) {
        const start = i;
        while (digit.test(text.charAt(i))) i++;
        path.push(Number(text.slice(start, i)));
      } else if (q === "'" || q === '"') {
        const read = readQuoted(text, i);
        if (!read) return { reason: notAReference };
        path.push(read.value);
        i = read.end;
      } else {
        return { reason: notAReference };
      }
      i = skipSpace(text, i);
      if (text.charAt(i) !== ']') return { reason: notAReference };
      i++;
    } else {
      break;
    }
    const last = path.at(-1);
    if (typeof last === 'string' && refusedSegments.has(last)) return refused(last);
  }
  i = skipSpace(text, i);
  if (!text.startsWith('}}', i)) return { reason: notAReference };
  return { root, rootStart, path, end: i + 2 };
}

/** A quoted key; `\` escapes the next character. */
function readQuoted(text: string, start: number): { value: string; end: number } | null {
  const quote = text.charAt(start);
  let value = '';
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charAt(i);
    if (c === quote) return { value, end: i + 1 };
    if (c === '\\') {
      i++;
      if (i >= text.length) return null;
      value += text.charAt(i);
    } else {
      value += c;
    }
  }
  return null;
}

function skipSpace(text: string, i: number): number {
  let j = i;
  while (j < text.length && /\s/.test(text.charAt(j))) j++;
  return j;
}

function refused(segment: string): { reason: string } {
  return { reason: `reads "${segment}", which templates may not read` };
}
