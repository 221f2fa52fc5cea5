/** The longest page path stored; longer ones are not counted. */
export const maxPathLength = 200;

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Sections whose ids name public things (a company, a product, a category): counted per thing. */
const publicSections = new Set(['companies', 'products', 'categories']);
/** Sections that are not pages people read. */
const notPages = new Set(['api', 'assets', 'dev']);

/**
 * The path a page view is counted under, or null when it is not counted. Only the path (never a
 * query string, which may hold search words or tokens). A segment longer than an id becomes
 * `:token`, since only secrets are that long (invitation links); an id outside the public
 * catalogue (a message thread, a shop being edited) becomes `:id`, so a person's own area is
 * counted by kind and not by thing.
 * @example pagePath('/invitations/Zk3…43 chars') // '/invitations/:token'
 * @example pagePath('/messages/1f0c…-…?x=1') // '/messages/:id'
 */
export function pagePath(raw: string): string | null {
  const path = raw.split(/[?#]/, 1)[0] ?? '';
  // Browsers send paths percent-encoded: only the characters a URL path may hold.
  if (!path.startsWith('/') || path.startsWith('//') || !/^[\w\-.~!$&'()*+,;=:@%/]+$/.test(path)) return null;
  const segments = path.slice(1).split('/');
  const section = segments[0] ?? '';
  if (notPages.has(section)) return null;
  const counted = segments.map((segment, index) => {
    if (segment.length > 36) return ':token';
    if (uuid.test(segment) && !(index === 1 && publicSections.has(section))) return ':id';
    return segment;
  });
  const result = `/${counted.join('/')}`;
  return result.length > maxPathLength ? null : result;
}
