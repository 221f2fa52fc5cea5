import { rmSync } from 'node:fs';
import { screenshotDir } from './browser.js';

/** Starts each run with an empty screenshot folder, so every picture kept belongs to this run. */
export default function clearScreenshots(): void {
  rmSync(screenshotDir, { recursive: true, force: true });
}
