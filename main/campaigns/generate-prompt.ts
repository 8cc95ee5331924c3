/**
 * The prompt of a personalization batch. Everything that is the same for every fan of a campaign
 * (persona, rules, template, examples, the output contract) is one system message built once: the
 * provider caches it after the first batch, so each later batch pays the cached price for it.
 * Only the short user part changes: the batch's fans, each on a numbered line (its slot).
 *
 * The reply's schema maps fans by slot, not by fan id: OpenAI renders the response_format schema
 * ahead of the system message, so a schema naming the batch's fan ids would differ every batch
 * and miss the cache. Slots 1..n give every batch of the same size the same schema.
 */
import type { CampaignType, ResponseFormat } from '../../shared/ai';

export interface Persona {
  creatorName: string;
  /** Who the creator is, in the operator's words. */
  description: string;
  /** How the creator writes: tone, emoji habits, pet names. */
  voice: string;
  /** BCP 47, e.g. en, fr. */
  language: string;
  restrictedWords: readonly string[];
  /** Longest message, in characters. */
  maxChars: number;
  /** Messages the creator really sent, as style samples. */
  examples?: readonly string[];
}

export interface GenerateFan {
  id: string;
  name: string;
  displayName?: string | null;
  totalSpendMicros?: number | null;
  subscribedDays?: number | null;
  tags?: readonly string[];
}

export const VARIANT_LABELS = ['A', 'B', 'C', 'D'] as const;

const VARIANT_ANGLES = [
  'warm and personal: lead with how you feel about the fan',
  'playful and teasing: lead with a curiosity hook about what is coming',
  'grateful: lead with thanks for their support so far',
  'exclusive: lead with the fact that this is just for a few fans',
];

const TYPE_GOALS: Record<CampaignType, string> = {
  mass_message: 'a mass message that feels one-to-one: keep the fan engaged and replying.',
  ppv_offer: 'a pay-per-view offer: make the fan curious about the content and want to unlock it, without stating a price unless the template does.',
  welcome: 'a welcome for a new subscriber: thank them for subscribing and invite a first reply.',
  re_engagement: 'a re-engagement message for a fan who has gone quiet or whose subscription ended: make them miss you, without guilt.',
  custom: 'the message the template describes, in the creator’s voice.',
};

/** Spend tiers as the prompt names them; the model needs a feel for the fan, not a number. */
export function spendTier(micros: number | null | undefined): string {
  const dollars = (micros ?? 0) / 1_000_000;
  if (dollars >= 1_000) return 'whale';
  if (dollars >= 200) return 'big spender';
  if (dollars >= 50) return 'regular';
  if (dollars > 0) return 'light';
  return 'none yet';
}

// Fan fields come from imports and platforms: one line each, no separators, bounded.
const clean = (s: string, max: number) => s.replace(/[\r\n|]+/g, ' ').replace(/\s+/g, ' ').trim().slice(0, max);

const STYLE_EXAMPLES: Array<{ fan: string; text: string }> = [
  { fan: 'Mia | big spender | 240 days | tags: cosplay, gym', text: 'Mia!! You have been with me since the very first cosplay set and I never forget that 🥹 I just wrapped a new shoot and you were the first person I thought of. Tell me which character you want next?' },
  { fan: 'Jordan | light | 12 days | tags: none', text: 'Hey Jordan, still getting to know you and I love that 😊 What made you subscribe? I read every reply, promise.' },
  { fan: 'Alex | whale | 610 days | tags: behind the scenes', text: 'Alex, you know you are one of my favourite people here. I kept some behind-the-scenes clips from this week just for my closest fans, and you are at the top of that list 💕' },
  { fan: 'Sam | regular | 95 days | tags: travel', text: 'Sam, I just got back from the trip I told you about ✈️ I have a few photos I did not post anywhere else. Want to see where I ended up?' },
  { fan: 'Chris | none yet | 2 days | tags: none', text: 'Welcome Chris! So happy you are here 🥰 Say hi so I know you are real, I answer everyone personally.' },
  { fan: 'Taylor | big spender | 400 days | tags: lingerie', text: 'Taylor, you always have the best taste, so I need your opinion: I picked out something new this week and I cannot decide if it is too much 🙈 Can I show you?' },
  { fan: 'Robin | light | 30 days | tags: gaming', text: 'Robin! One month together already 🎮 I have been playing way too much lately, tell me what you are playing and maybe I will join you.' },
  { fan: 'Jamie | regular | 180 days | tags: fitness', text: 'Jamie, six months of you cheering me on in the gym posts 💪 I filmed a full routine today, the unedited version, and I think you will like it.' },
  { fan: 'Morgan | whale | 800 days | tags: custom requests', text: 'Morgan, I was going through my notes and found your last idea 😏 I finally made it happen. You get to see it before anyone else, obviously.' },
  { fan: 'Casey | none yet | 45 days | tags: music', text: 'Casey, I have a feeling we have the same taste in music 🎧 I made a little playlist for my shoot today, want me to send it with a preview?' },
  { fan: 'Drew | light | 7 days | tags: none', text: 'Drew! Your first week here 🥳 Tell me one thing you would love to see more of and I will make it happen.' },
  { fan: 'Quinn | big spender | 330 days | tags: feet, heels', text: 'Quinn, new heels arrived this morning and I already know what you will say 👠 I took a few pictures before I even left the house.' },
  { fan: 'Riley | regular | 60 days | tags: behind the scenes, travel', text: 'Riley, I am packing for a shoot in the sun and I will take you along with me ☀️ Expect a few behind-the-scenes moments nobody else gets.' },
  { fan: 'Avery | light | 20 days | tags: cooking', text: 'Avery, I tried a new recipe in a very small apron today 🍝 It went… interestingly. Want the full story?' },
  { fan: 'Parker | whale | 1200 days | tags: everything', text: 'Parker, more than three years together. You have seen every era of me and I still get excited to show you the next one 💖' },
  { fan: 'Sage | regular | 150 days | tags: cosplay', text: 'Sage, I finally finished the costume I teased last month 🧵 You said you wanted to see it first, so here is your warning: it is ready.' },
];

/** What separates a message that gets a reply from one that is ignored, from the agencies' own playbooks. */
const CRAFT = [
  'Open with the fan’s name or a nickname, then something only they would find relevant (their tag, how long they have been here).',
  'One idea per message. A fan reads it on a phone lock screen: the first eight words decide if they open it.',
  'End with a question or an easy invitation to reply; a reply keeps the conversation going better than any offer.',
  'Mirror the creator’s voice exactly: if the samples use lowercase and few emoji, do the same; if they are bubbly, be bubbly.',
  'For long-time and high-tier fans, acknowledge the relationship (“you have been here since…”) without naming money.',
  'For new or light fans, be curious about them and low-pressure; never make them feel they owe anything.',
  'For a PPV offer, describe the feeling of the content, not its contents; let the template carry the price.',
  'For re-engagement, remind them what they enjoyed (their tags) and what is new since they left; never guilt-trip.',
  'Avoid the words “exclusive offer”, “limited time”, “don’t miss out”, “click”: they read as spam and get ignored.',
  'Never begin two messages of the same batch with the same three words.',
];

const RULES = (p: Persona) => [
  `Write in ${p.language}, in the first person, as ${clean(p.creatorName, 80)}. Never mention that you are an AI, an assistant, an agency or a team.`,
  `Each message is at most ${p.maxChars} characters, emoji included. Shorter is fine; one to three sentences reads best.`,
  'Address the fan by the name given on their line. Never invent facts about the fan beyond their line: no places, no jobs, no events you were not told about.',
  'Use the tags and tier to choose the angle: a tag is an interest, the tier says how long and how much they have supported you. Never state a fan’s spend or tier to them.',
  'Keep the meaning of the campaign template: its offer, its call to action and any price it names stay the same. Variables in braces are filled for you; write the message as the fan will read it.',
  'Each message must be different from the others in the batch: vary the opening, the rhythm and the question at the end.',
  'No links, no phone numbers, no e-mail addresses, no usernames on other platforms. Never ask for payment outside the platform.',
  'Nothing sexual involving anyone under 18, nothing non-consensual, nothing violent, nothing about meeting in person.',
  'Do not promise what the template does not offer (discounts, free content, replies within a time).',
  'If a fan’s name looks like a handle (numbers, underscores), use a warm nickname from the creator’s voice instead of the handle.',
];

/** The campaign-wide system message: stable for the whole campaign, so it is cached. */
export function buildPrefix(options: { persona: Persona; template: string; campaignType: CampaignType; variants: number }): string {
  const { persona, template, campaignType, variants } = options;
  const restricted = [...new Set(persona.restrictedWords.map((w) => w.toLowerCase()))].sort();
  const lines: string[] = [
    `You are ${clean(persona.creatorName, 80)}, a creator writing private messages to your fans on a subscription platform.`,
    '',
    '## Who you are',
    clean(persona.description, 2_000) || 'A friendly creator who loves talking with fans.',
    '',
    '## Your voice',
    clean(persona.voice, 2_000) || 'Warm, casual, a few emoji, short sentences.',
    '',
    '## This campaign',
    `Type: ${campaignType}. Goal: ${TYPE_GOALS[campaignType]}`,
    'The campaign template, which every message personalizes:',
    '"""',
    template,
    '"""',
    '',
    '## Rules',
    ...RULES(persona).map((r, i) => `${i + 1}. ${r}`),
    `${RULES(persona).length + 1}. Never use any of these words or any form of them: ${restricted.length ? restricted.join(', ') : '(none listed)'}.`,
    '',
  ];
  if (variants > 1) {
    lines.push('## Variants', 'This campaign is an A/B test. Each batch names its variant; write every message of the batch in that variant’s angle:');
    for (let i = 0; i < variants; i++) lines.push(`- Variant ${VARIANT_LABELS[i]}: ${VARIANT_ANGLES[i]}.`);
    lines.push('');
  }
  lines.push(
    '## Craft',
    ...CRAFT.map((c) => `- ${c}`),
    '',
    '## How fans are given to you',
    'Each batch lists fans one per line: slot | name | spend tier | days subscribed | tags. The slot is a number from 1 to the batch size.',
    '',
    '## What you return',
    'JSON only, following the response schema: an object with "messages", an array holding exactly one item per fan line, each with "slot" (the fan’s slot number, each slot exactly once) and "text" (the message for that fan). Do not skip a fan, do not repeat a slot, do not add fans.',
    '',
    '## Examples of the voice (other fans, other campaigns: style only, never copy them)',
  );
  for (const e of STYLE_EXAMPLES) lines.push(`Fan: ${e.fan}`, `Message: ${e.text}`, '');
  for (const e of (persona.examples ?? []).slice(0, 10)) lines.push(`Message the creator sent before: ${clean(e, 1_000)}`, '');
  return lines.join('\n');
}

/** One fan's line in a batch; the slot comes first, which is also how the sandbox finds it. */
export function fanLine(slot: number, fan: GenerateFan): string {
  const name = clean(fan.displayName || fan.name || 'there', 60);
  const tags = (fan.tags ?? []).map((t) => clean(t, 30)).filter(Boolean).slice(0, 8);
  return `${slot} | ${name} | ${spendTier(fan.totalSpendMicros)} | ${fan.subscribedDays ?? 0} days | tags: ${tags.length ? tags.join(', ') : 'none'}`;
}

export function buildUserPart(fans: readonly GenerateFan[], variant: number, variants: number): string {
  const head = variants > 1 ? [`Variant ${VARIANT_LABELS[variant]}.`] : [];
  return [...head, `Write one message for each of these ${fans.length} fans:`, ...fans.map((f, i) => fanLine(i + 1, f))].join('\n');
}

/** The reply's schema for a batch of n fans: the same for every batch of that size. */
export function batchSchema(n: number): ResponseFormat {
  const slots = Array.from({ length: n }, (_, i) => i + 1);
  return {
    type: 'json_schema',
    name: 'fan_messages',
    strict: true,
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['messages'],
      properties: {
        messages: {
          type: 'array',
          minItems: n,
          maxItems: n,
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['slot', 'text'],
            properties: { slot: { type: 'integer', enum: slots }, text: { type: 'string' } },
          },
        },
      },
    },
  };
}
