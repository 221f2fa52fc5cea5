import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const statementFile = fileURLToPath(new URL('../../../content/legal-statement.zh.txt', import.meta.url));
let cached: string | undefined;

/**
 * The version of the legal statement a consent is given under: for now the SHA-256 of the
 * statement text. The versioned-statement work replaces this one function.
 * @example currentStatementVersion() // '3f2a…' (64 hex digits)
 */
export function currentStatementVersion(): string {
  cached ??= createHash('sha256').update(readFileSync(statementFile)).digest('hex');
  return cached;
}
