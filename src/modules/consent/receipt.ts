import { randomUUID } from 'node:crypto';
import { isGranted, optionalPurposes, type OptionalPurpose } from './purposes.js';
import type { CurrentChoice } from './service.js';

/** The categories of personal information each purpose uses, for the receipt. */
const piiCategories: Record<OptionalPurpose, string[]> = {
  preferences: ['site preferences'],
  analytics: ['truncated IP address', 'browser family', 'pages viewed'],
  personalisation: ['subscriptions', 'service logs'],
  marketing: ['email address', 'email opens'],
  surveys: ['email address', 'survey answers'],
};

const purposeCategories: Record<OptionalPurpose, string> = {
  preferences: 'Personalisation',
  analytics: 'Improve performance',
  personalisation: 'Personalisation',
  marketing: 'Marketing',
  surveys: 'Improve performance',
};

export interface ReceiptInput {
  current: CurrentChoice;
  /** The account id, or the anonymous browser's consent id. */
  principalId: string;
  language: string;
  publicUrl: string;
  privacyEmail: string;
  gpc: boolean;
}

/**
 * A Kantara Consent Receipt v1.1 for the choice in force: one service, listing the purposes the
 * person has granted (all explicit, all withdrawable). `publicKey` is omitted: the receipt is
 * not signed.
 */
export function buildReceipt(input: ReceiptInput) {
  const granted = optionalPurposes.filter((p) => isGranted(input.current.choice, p, input.gpc));
  return {
    version: 'KI-CR-v1.1.0',
    jurisdiction: 'CN',
    consentTimestamp: Math.floor(new Date(input.current.decidedAt).getTime() / 1000),
    collectionMethod: input.current.method,
    consentReceiptID: randomUUID(),
    language: input.language,
    piiPrincipalId: input.principalId,
    piiControllers: [
      {
        piiController: 'Silkline 丝路',
        contact: 'Privacy officer 个人信息保护负责人',
        address: { streetAddress: 'See the contact page', addressCountry: 'CN' },
        email: input.privacyEmail,
        url: `${input.publicUrl}/contact`,
      },
    ],
    policyUrl: `${input.publicUrl}/legal`,
    services: [
      {
        service: 'Silkline',
        purposes: granted.map((purpose) => ({
          purpose,
          purposeCategory: [purposeCategories[purpose]],
          consentType: 'EXPLICIT',
          piiCategory: piiCategories[purpose],
          primaryPurpose: false,
          termination: 'withdrawal',
          thirdPartyDisclosure: false,
        })),
      },
    ],
    sensitive: false,
    spiCat: [] as string[],
  };
}
