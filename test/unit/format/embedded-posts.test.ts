import { describe, expect, it } from 'vitest';
import { storyFrom } from '../../../harness/story-files.js';
import { rewriteEmbeddedPosts } from '../../../src/format/embedded-posts.js';
import { render } from '../../../src/format/render.js';
import { defaultRenderOptions } from '../../../src/format/render-options.js';

const TITLE = 'Polish regulator opens probe into token issuer';

describe('embedded social posts', () => {
  it('turns a post copied with its attribution into a quote, without the handle or the image link', () => {
    const body = [
      'The KNF said it had opened proceedings on Monday.',
      'NEW: Poland’s KNF confirms it is examining the issuer’s white paper after complaints from retail buyers pic.twitter.com/Ab12Cd34Ef — Marta Nowak (@martanowak_fin) May 30, 2025',
      'The issuer did not respond to a request for comment.',
    ].join('\n\n');
    const { body: out, changes } = rewriteEmbeddedPosts(TITLE, body);
    expect(out).toBe(
      [
        'The KNF said it had opened proceedings on Monday.',
        '“NEW: Poland’s KNF confirms it is examining the issuer’s white paper after complaints from retail buyers” — Marta Nowak on X, May 30, 2025',
        'The issuer did not respond to a request for comment.',
      ].join('\n\n'),
    );
    expect(changes).toEqual([{ author: 'Marta Nowak', action: 'quoted' }]);
  });

  it('takes the post text from the paragraph above an attribution that stands alone, and defuses mentions', () => {
    const body =
      'Lawmakers argued for hours.\n\nWe will not let @ExampleExchange write its own rules. Hearing resumes Tuesday https://t.co/xyz123\n\n— Sen. Dana Reyes (@SenDanaReyes) 3 June 2025\n\nThe vote is next week.';
    const { body: out } = rewriteEmbeddedPosts('Senate hearing on exchange rules', body);
    expect(out).toBe(
      'Lawmakers argued for hours.\n\n“We will not let ExampleExchange write its own rules. Hearing resumes Tuesday” — Sen. Dana Reyes on X, 3 June 2025\n\nThe vote is next week.',
    );
    expect(out).not.toMatch(/@\w/);
  });

  it('drops a post that only repeats the story, or has no words at all', () => {
    const body =
      'Polish regulator opens probe into token issuer, the KNF said.\n\nPolish regulator opens probe into token issuer pic.twitter.com/ZZ — KNF (@knf_gov_pl) May 30, 2025\n\npic.twitter.com/QQ — Someone (@someone) May 30, 2025\n\nMore to come.';
    const { body: out, changes } = rewriteEmbeddedPosts(TITLE, body);
    expect(out).toBe('Polish regulator opens probe into token issuer, the KNF said.\n\nMore to come.');
    expect(changes.map((c) => c.action)).toEqual(['dropped', 'dropped']);
  });

  it('removes stray image links and leaves text without embeds alone', () => {
    expect(rewriteEmbeddedPosts(TITLE, 'A photo pic.twitter.com/abc of the filing.').body).toBe(
      'A photo of the filing.',
    );
    const plain = 'The SEC — led by its chair — said so.\n\nEmail press@example.com (@ not a post).';
    expect(rewriteEmbeddedPosts(TITLE, plain)).toEqual({ body: plain, changes: [] });
  });

  it('reaches X as a quote with no live mention', () => {
    const story = storyFrom({
      title: TITLE,
      body: 'Officials spoke on Monday.\n\nBREAKING: KNF suspends sales of the token pending review pic.twitter.com/Ab12 — Marta Nowak (@martanowak_fin) May 30, 2025',
      tags: [],
    });
    expect(story.changes).toContain('Turned the embedded post by Marta Nowak into a quote');
    const x = render(story, defaultRenderOptions)
      .x.map((p) => p.text)
      .join('\n');
    expect(x).toContain(
      '“BREAKING: KNF suspends sales of the token pending review” — Marta Nowak on X, May 30, 2025',
    );
    expect(x).not.toMatch(/@|pic\.twitter/);
  });
});
