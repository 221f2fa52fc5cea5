import { readFileSync } from 'node:fs';
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';

const tradeDictUrl = new URL('./trade-dict.txt', import.meta.url);

let segmenter: Jieba | undefined;

/**
 * The process-wide jieba segmenter with its default dictionary plus Silkline's trade dictionary,
 * created on first use (loading takes a few hundred milliseconds, so processes that never search pay nothing).
 *
 * Both dictionaries are lower-cased because the analyser lower-cases text before segmenting:
 * entries such as `T恤` or `U盘` must still match `t恤` and `u盘`.
 */
export function getSegmenter(): Jieba {
  segmenter ??= createSegmenter();
  return segmenter;
}

function createSegmenter(): Jieba {
  const defaultDict = Buffer.from(dict.buffer, dict.byteOffset, dict.byteLength).toString('utf8');
  const jieba = Jieba.withDict(Buffer.from(defaultDict.toLowerCase(), 'utf8'));
  jieba.loadDict(Buffer.from(readTradeDict(), 'utf8'));
  return jieba;
}

/** The trade dictionary without its comment and blank lines, which jieba would reject. */
function readTradeDict(): string {
  return readFileSync(tradeDictUrl, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .join('\n')
    .toLowerCase();
}
