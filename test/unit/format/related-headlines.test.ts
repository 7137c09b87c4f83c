import { describe, expect, it } from 'vitest';
import { storyFrom } from '../../../harness/story-files.js';
import { dropRelatedHeadlines } from '../../../src/format/related-headlines.js';

describe('other stories’ headlines', () => {
  it('drops `Headline - Outlet` lines', () => {
    const body =
      'The ministry published the draft on Thursday.\n\nVietnam Drafts Rules for Licensed Crypto Exchanges - Saigon Ledger\n\nComments close in August.';
    expect(dropRelatedHeadlines(body)).toEqual({
      body: 'The ministry published the draft on Thursday.\n\n\nComments close in August.',
      removed: ['Vietnam Drafts Rules for Licensed Crypto Exchanges - Saigon Ledger'],
    });
  });

  it('drops a related-stories header and the headlines under it', () => {
    const body =
      'Comments close in August.\n\nRelated:\n- Singapore tightens rules for retail crypto lending\n- What MiCA means for stablecoin issuers\n\nThe ministry will hold hearings.';
    const { body: out, removed } = dropRelatedHeadlines(body);
    expect(out.replace(/\n{3,}/g, '\n\n')).toBe(
      'Comments close in August.\n\nThe ministry will hold hearings.',
    );
    expect(removed).toHaveLength(3);
  });

  it('drops a run of title-case headlines at the end', () => {
    const body =
      'The rules take effect next year.\n\nSouth Africa Licenses 59 Crypto Platforms Under New Regime\nNigeria’s SEC Names First Approved Digital Asset Exchanges';
    expect(dropRelatedHeadlines(body).removed).toHaveLength(2);
  });

  it.each([
    ['a subheading', 'What the draft says\n\nThe draft requires licences.'],
    [
      'a list',
      'The FCA listed:\n\n- operating a trading platform for cryptoassets\n- dealing in cryptoassets as principal',
    ],
    ['a sentence with a dash', 'The fine is large - the largest the agency has imposed.'],
    ['a sentence ending in a name', 'The licence was granted today - Reuters reported it first.'],
    ['one title-case subheading', 'Why The Rules Matter For Exchanges\n\nExchanges must now register.'],
  ])('keeps %s', (_name, body) => {
    expect(dropRelatedHeadlines(body)).toEqual({ body, removed: [] });
  });

  it('reports the removed headlines as story changes', () => {
    const story = storyFrom({
      title: 'Vietnam drafts exchange rules',
      body: 'The ministry published the draft.\n\nHong Kong Opens Consultation on Staking Services - Harbour Crypto Daily',
      tags: [],
    });
    expect(story.body).toBe('The ministry published the draft.');
    expect(story.changes).toContain(
      'Removed a related-stories line “Hong Kong Opens Consultation on Staking Services - Harbour Crypto Daily”',
    );
  });
});
