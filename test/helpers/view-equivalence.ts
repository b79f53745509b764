// Every page a test renders is rendered a second time by stock EJS, and the two must be the same
// byte for byte: the app's renderer compiles EJS's generated source itself (src/http/views.ts),
// and an EJS upgrade that changed what it leans on would fail here rather than in a browser.
import ejs from 'ejs';
import { ViewRenderer } from '../../src/http/views';

/** What every page a test rendered was compared in: the page's template and each partial it included. */
const compared = new Set<string>();
const differences: string[] = [];
let installed = false;
/** The partials stock EJS included in the render being compared. */
let included: string[] = [];
// One includer for every render: EJS keeps the options a template was first compiled with in its cache.
const STOCK_INCLUDER: ejs.IncluderCallback = (_name, resolved) => {
  included.push(resolved);
  return { filename: resolved };
};

/** The template files compared so far in this test file, pages and partials. */
export function comparedViews(): ReadonlySet<string> {
  return compared;
}

/** The differences found so far, forgotten once returned: each one fails the test app's close(). */
export function takeViewDifferences(): string[] {
  return differences.splice(0);
}

type Outcome = { html: string } | { error: unknown };

function attempt(render: () => string): Outcome {
  try {
    return { html: render() };
  } catch (error) {
    return { error };
  }
}

/** Where two pages first differ, with a little of each around it. */
function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i += 1;
  const around = (text: string) => JSON.stringify(text.slice(Math.max(0, i - 60), i + 60));
  return `at character ${i}: app ${around(a)}, stock EJS ${around(b)}`;
}

/** From now on, every render by any ViewRenderer is compared with stock EJS's, with EJS's own options for the same job. */
export function compareViewsWithStockEjs(): void {
  if (installed) return;
  installed = true;
  const appRender = ViewRenderer.prototype.render;
  ViewRenderer.prototype.render = function renderAndCompare(this: ViewRenderer, file: string, data: object): string {
    const mine = attempt(() => appRender.call(this, file, data));
    included = [];
    const stock = attempt(() => {
      let out: string | undefined;
      let failure: unknown;
      // rmWhitespace as the app's renderer; root resolves '/partials/…'; the includer only notes what was included.
      const options = { rmWhitespace: true, root: this.root, cache: true, includer: STOCK_INCLUDER };
      ejs.renderFile(file, data, options, (err, html) => { failure = err; out = html; });
      if (failure) throw failure;
      return out!;
    });
    let difference: string | undefined;
    if ('html' in mine && 'html' in stock) {
      if (mine.html === stock.html) {
        compared.add(file);
        for (const partial of included) compared.add(partial);
      } else {
        difference = `${file} ${firstDifference(mine.html, stock.html)}`;
      }
    } else if ('html' in mine) {
      difference = `${file}: only stock EJS failed: ${String((stock as { error: unknown }).error)}`;
    } else if ('html' in stock) {
      difference = `${file}: only the app failed: ${String(mine.error)}`;
    }
    // The page fails where it was rendered, and the test app's close() names the difference.
    if (difference) {
      differences.push(difference);
      throw new Error(`stock EJS renders this page differently: ${difference}`);
    }
    if ('error' in mine) throw mine.error;
    return mine.html;
  };
}
