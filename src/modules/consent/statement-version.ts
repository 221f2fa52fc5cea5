let inEffect: (() => string) | null = null;

/**
 * Tells consent where the version of the privacy statement in effect comes from: the legal
 * module's published versions. The app does this once at startup.
 * @example useStatementVersion(() => legal.statementVersion())
 */
export function useStatementVersion(source: () => string): void {
  inEffect = source;
}

/**
 * The version of the privacy statement a consent is given under: the SHA-256 content hash of the
 * version in effect now.
 * @example currentStatementVersion() // '3f2a…' (64 hex digits)
 */
export function currentStatementVersion(): string {
  if (!inEffect) throw new Error('No privacy statement is loaded: the app registers one at startup');
  return inEffect();
}
