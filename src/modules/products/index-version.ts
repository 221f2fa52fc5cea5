import { analyzerVersion } from '../../platform/search/analyzer.js';

/**
 * What a catalogue index was built by: the analyser's rules and the shape of the documents
 * (which facets they carry). Either changing means the indexes are rebuilt.
 */
export const catalogueIndexVersion = `${analyzerVersion}+doc2`;
