// Card tiers, card states, and the service line behind each tier.

export const CARD_TIERS = ['standard', 'premium', 'business', 'prepaid'] as const;
export type CardTier = (typeof CARD_TIERS)[number];

export const CARD_STATES = ['active', 'suspended', 'lost_stolen', 'cancelled'] as const;
export type CardState = (typeof CARD_STATES)[number];

export const CARD_STATE_LABELS: Record<CardState, string> = {
  active: 'Active',
  suspended: 'Suspended',
  lost_stolen: 'Lost or stolen',
  cancelled: 'Cancelled',
};

export interface ServiceLine {
  tier: CardTier;
  name: string;
  phone: string;
  hours: string;
  supportTier: string;
}

/** Fictional 555 numbers; the Help Desk number itself is the contract's 800-633-6973. */
export const SERVICE_LINES: Record<CardTier, ServiceLine> = {
  standard: { tier: 'standard', name: 'Corporate Card Service', phone: '800-555-0110', hours: 'Mon–Fri 8am–8pm ET', supportTier: 'Standard support' },
  premium: { tier: 'premium', name: 'Premium Corporate Service', phone: '800-555-0120', hours: '24 hours, 7 days', supportTier: 'Priority support with a dedicated team' },
  business: { tier: 'business', name: 'Business Card Service', phone: '800-555-0130', hours: 'Mon–Sat 7am–10pm ET', supportTier: 'Business support' },
  prepaid: { tier: 'prepaid', name: 'Prepaid Card Service', phone: '800-555-0140', hours: 'Mon–Fri 9am–6pm ET', supportTier: 'Self-service first, then standard support' },
};

export function isCardTier(value: string): value is CardTier {
  return (CARD_TIERS as readonly string[]).includes(value);
}

export function isCardState(value: string): value is CardState {
  return (CARD_STATES as readonly string[]).includes(value);
}
