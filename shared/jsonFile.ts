// Parsing a hand-edited JSON file against a zod schema: the one way the site
// file, the sectors file and the simulator's scenarios are read. A syntax
// error names its line and column, a content error its field path; both come
// as the caller's own error class so start-up can say which file is wrong.
// Reading the file (fs) is each program's own: shared/ runs in the browser too.
import type { z } from 'zod';
import { describeIssues } from './contract';

export function parseJsonFile<S extends z.ZodType>(text: string, file: string, schema: S, fail: (message: string) => Error): z.infer<S> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw fail(`${file}: ${describeJsonError(text, error)}`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw fail(`${file}: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

/** "line 12, column 5: Unexpected token …" from V8's "at position N" messages. */
function describeJsonError(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const position = /position (\d+)/.exec(message);
  if (!position) return message;
  const before = text.slice(0, Number(position[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `line ${line}, column ${column}: ${message.replace(/ in JSON at position \d+.*$/, '')}`;
}
