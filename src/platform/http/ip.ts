import { isIPv4, isIPv6 } from 'node:net';

/**
 * Truncates an address so it no longer identifies one device: IPv4 keeps two octets, IPv6 a /48.
 * @example truncateIp('203.0.113.77') // '203.0.0.0'
 */
export function truncateIp(ip: string | undefined): string {
  if (!ip) return '';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)?.[1];
  const address = mapped ?? ip;
  if (isIPv4(address)) {
    const [a, b] = address.split('.');
    return `${a}.${b}.0.0`;
  }
  if (isIPv6(address)) {
    const full = expandIpv6(address);
    return `${full.slice(0, 3).join(':')}::`;
  }
  return '';
}

function expandIpv6(address: string): string[] {
  const [head = '', tail = ''] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const missing = address.includes('::') ? 8 - left.length - right.length : 0;
  return [...left, ...Array<string>(missing).fill('0'), ...right].map((part) => part.toLowerCase() || '0');
}
