/**
 * The built-in price catalog: current models of Anthropic, OpenAI and Google with
 * their published list prices (standard tier, no batch discount), in USD per
 * million tokens. Each entry carries the day the price took effect and where it
 * was published. Figures were checked on 2026-11-22 against the providers'
 * pricing pages and copies of them found by search; keel.yaml `models:` and
 * `keel prices import` correct or extend them without a release.
 */
import type { LongContextRates, ModelEntry, PriceRates } from './catalog-types.ts';

const ANTHROPIC = 'https://platform.claude.com/docs/en/about-claude/pricing (checked 2026-11-22)';
const OPENAI = 'https://platform.openai.com/docs/pricing (checked 2026-11-22)';
const GOOGLE = 'https://ai.google.dev/gemini-api/docs/pricing (checked 2026-11-22)';

interface Spec {
  id: string;
  provider: string;
  aliases?: string[];
  tier: string;
  contextWindow: number;
  prices: {
    effective: string;
    rates: PriceRates;
    longContext?: LongContextRates;
    source: string;
  }[];
}

// Anthropic prices 5-minute cache writes at 1.25× input, 1-hour writes at 2×, hits at 0.1×.
const OPUS_4: PriceRates = {
  input: 15,
  output: 75,
  cacheRead: 1.5,
  cacheWrite: 18.75,
  cacheWrite1h: 30,
};
const OPUS_45: PriceRates = {
  input: 5,
  output: 25,
  cacheRead: 0.5,
  cacheWrite: 6.25,
  cacheWrite1h: 10,
};
const SONNET_4: PriceRates = {
  input: 3,
  output: 15,
  cacheRead: 0.3,
  cacheWrite: 3.75,
  cacheWrite1h: 6,
};
// Sonnet 4 / 4.5 with the 1M-token context window: a prompt over 200K tokens bills the whole call higher.
const SONNET_4_LONG: LongContextRates = {
  aboveTokens: 200_000,
  rates: { input: 6, output: 22.5, cacheRead: 0.6, cacheWrite: 7.5, cacheWrite1h: 12 },
};
const HAIKU_45: PriceRates = {
  input: 1,
  output: 5,
  cacheRead: 0.1,
  cacheWrite: 1.25,
  cacheWrite1h: 2,
};

const SPECS: Spec[] = [
  {
    id: 'claude-opus-4-5',
    provider: 'anthropic',
    aliases: ['claude-opus-4-5-20251101'],
    tier: 'frontier',
    contextWindow: 200_000,
    prices: [{ effective: '2025-11-24', rates: OPUS_45, source: ANTHROPIC }],
  },
  {
    id: 'claude-opus-4-1',
    provider: 'anthropic',
    aliases: ['claude-opus-4-1-20250805'],
    tier: 'frontier',
    contextWindow: 200_000,
    prices: [{ effective: '2025-08-05', rates: OPUS_4, source: ANTHROPIC }],
  },
  {
    id: 'claude-opus-4-0',
    provider: 'anthropic',
    aliases: ['claude-opus-4', 'claude-opus-4-20250514'],
    tier: 'frontier',
    contextWindow: 200_000,
    prices: [{ effective: '2025-05-22', rates: OPUS_4, source: ANTHROPIC }],
  },
  {
    id: 'claude-sonnet-4-5',
    provider: 'anthropic',
    aliases: ['claude-sonnet-4-5-20250929'],
    tier: 'standard',
    contextWindow: 200_000,
    prices: [
      { effective: '2025-09-29', rates: SONNET_4, longContext: SONNET_4_LONG, source: ANTHROPIC },
    ],
  },
  {
    id: 'claude-sonnet-4-0',
    provider: 'anthropic',
    aliases: ['claude-sonnet-4', 'claude-sonnet-4-20250514'],
    tier: 'standard',
    contextWindow: 200_000,
    prices: [
      { effective: '2025-05-22', rates: SONNET_4, longContext: SONNET_4_LONG, source: ANTHROPIC },
    ],
  },
  {
    id: 'claude-haiku-4-5',
    provider: 'anthropic',
    aliases: ['claude-haiku-4-5-20251001'],
    tier: 'economy',
    contextWindow: 200_000,
    prices: [{ effective: '2025-10-15', rates: HAIKU_45, source: ANTHROPIC }],
  },
  // OpenAI: cached input is a discounted input rate; reasoning tokens bill as output.
  {
    id: 'gpt-5.2',
    provider: 'openai',
    aliases: ['gpt-5.2-2025-12-11'],
    tier: 'frontier',
    contextWindow: 400_000,
    prices: [
      {
        effective: '2025-12-11',
        rates: { input: 1.75, output: 14, cacheRead: 0.175 },
        source: OPENAI,
      },
    ],
  },
  {
    id: 'gpt-5.1',
    provider: 'openai',
    aliases: ['gpt-5.1-2025-11-13'],
    tier: 'frontier',
    contextWindow: 400_000,
    prices: [
      {
        effective: '2025-11-13',
        rates: { input: 1.25, output: 10, cacheRead: 0.125 },
        source: OPENAI,
      },
    ],
  },
  {
    id: 'gpt-5',
    provider: 'openai',
    aliases: ['gpt-5-2025-08-07'],
    tier: 'frontier',
    contextWindow: 400_000,
    prices: [
      {
        effective: '2025-08-07',
        rates: { input: 1.25, output: 10, cacheRead: 0.125 },
        source: OPENAI,
      },
    ],
  },
  {
    id: 'gpt-5-mini',
    provider: 'openai',
    aliases: ['gpt-5-mini-2025-08-07'],
    tier: 'standard',
    contextWindow: 400_000,
    prices: [
      {
        effective: '2025-08-07',
        rates: { input: 0.25, output: 2, cacheRead: 0.025 },
        source: OPENAI,
      },
    ],
  },
  {
    id: 'gpt-5-nano',
    provider: 'openai',
    aliases: ['gpt-5-nano-2025-08-07'],
    tier: 'economy',
    contextWindow: 400_000,
    prices: [
      {
        effective: '2025-08-07',
        rates: { input: 0.05, output: 0.4, cacheRead: 0.005 },
        source: OPENAI,
      },
    ],
  },
  {
    id: 'gpt-4.1',
    provider: 'openai',
    aliases: ['gpt-4.1-2025-04-14'],
    tier: 'standard',
    contextWindow: 1_047_576,
    prices: [
      { effective: '2025-04-14', rates: { input: 2, output: 8, cacheRead: 0.5 }, source: OPENAI },
    ],
  },
  {
    id: 'gpt-4.1-mini',
    provider: 'openai',
    aliases: ['gpt-4.1-mini-2025-04-14'],
    tier: 'economy',
    contextWindow: 1_047_576,
    prices: [
      {
        effective: '2025-04-14',
        rates: { input: 0.4, output: 1.6, cacheRead: 0.1 },
        source: OPENAI,
      },
    ],
  },
  {
    id: 'gpt-4.1-nano',
    provider: 'openai',
    aliases: ['gpt-4.1-nano-2025-04-14'],
    tier: 'economy',
    contextWindow: 1_047_576,
    prices: [
      {
        effective: '2025-04-14',
        rates: { input: 0.1, output: 0.4, cacheRead: 0.025 },
        source: OPENAI,
      },
    ],
  },
  {
    id: 'o3',
    provider: 'openai',
    aliases: ['o3-2025-04-16'],
    tier: 'frontier',
    contextWindow: 200_000,
    // OpenAI cut o3 by 80% on 2025-06-10; calls before that keep the launch price.
    prices: [
      { effective: '2025-04-16', rates: { input: 10, output: 40, cacheRead: 2.5 }, source: OPENAI },
      { effective: '2025-06-10', rates: { input: 2, output: 8, cacheRead: 0.5 }, source: OPENAI },
    ],
  },
  {
    id: 'o4-mini',
    provider: 'openai',
    aliases: ['o4-mini-2025-04-16'],
    tier: 'standard',
    contextWindow: 200_000,
    prices: [
      {
        effective: '2025-04-16',
        rates: { input: 1.1, output: 4.4, cacheRead: 0.275 },
        source: OPENAI,
      },
    ],
  },
  // Google: thinking tokens bill as output; explicit-cache storage (per hour) is not a token price.
  {
    id: 'gemini-2.5-pro',
    provider: 'google',
    tier: 'frontier',
    contextWindow: 1_048_576,
    prices: [
      {
        effective: '2025-06-17',
        rates: { input: 1.25, output: 10, cacheRead: 0.125 },
        longContext: { aboveTokens: 200_000, rates: { input: 2.5, output: 15, cacheRead: 0.25 } },
        source: GOOGLE,
      },
    ],
  },
  {
    id: 'gemini-2.5-flash',
    provider: 'google',
    tier: 'standard',
    contextWindow: 1_048_576,
    prices: [
      {
        effective: '2025-06-17',
        rates: { input: 0.3, output: 2.5, cacheRead: 0.03 },
        source: GOOGLE,
      },
    ],
  },
  {
    id: 'gemini-2.5-flash-lite',
    provider: 'google',
    tier: 'economy',
    contextWindow: 1_048_576,
    prices: [
      {
        effective: '2025-07-22',
        rates: { input: 0.1, output: 0.4, cacheRead: 0.01 },
        source: GOOGLE,
      },
    ],
  },
];

/** The models keel knows without configuration, with dated prices. */
export const BUILT_IN_MODELS: readonly ModelEntry[] = SPECS.map((s) => ({
  id: s.id,
  provider: s.provider,
  aliases: s.aliases ?? [],
  tier: s.tier,
  contextWindow: s.contextWindow,
  local: false,
  origin: 'built-in',
  prices: s.prices.map((p) => ({
    id: `built-in:${s.provider}/${s.id}@${p.effective}`,
    effective: p.effective,
    rates: p.rates,
    ...(p.longContext ? { longContext: p.longContext } : {}),
    source: p.source,
    origin: 'built-in' as const,
  })),
}));
