// What the browser suite checks on a page as a person sees it: axe finds no serious or critical
// violation, and the layout hides nothing: no table cut off, nothing wider than the window, no
// field meant to be hidden shown. checkAtEveryWidth does all of it at a desktop and a phone width.
import AxeBuilder from '@axe-core/playwright';
import type { Page, TestInfo } from '@playwright/test';
import { expect } from './fixtures';

/** A laptop screen and a phone screen (an iPhone 12 to 15 in portrait). */
export const SCREEN_WIDTHS = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
] as const;

/** axe's serious and critical violations on the page, each naming the rule, its help and the elements. */
async function seriousViolations(page: Page): Promise<string[]> {
  const scan = await new AxeBuilder({ page }).analyze();
  return scan.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

function where(page: Page): string {
  const url = new URL(page.url());
  return `${url.pathname}${url.search}`;
}

/** Fails on every serious or critical violation. */
export async function expectNoSeriousViolations(page: Page): Promise<void> {
  expect(await seriousViolations(page), `axe on ${where(page)}`).toEqual([]);
}

/**
 * What hides content from a person on this page, as sentences; empty when nothing does.
 * - A table wider than an element that clips it, unless that element scrolls sideways and shows it
 *   does: a scrollbar drawn in its box, with a name and a keyboard stop so every user can scroll it.
 *   Phones, and Chromium as the suite runs it, draw no scrollbar until one scrolls: there a table
 *   has to fit.
 * - The document wider than the window (the page scrolls sideways).
 * - An element with the `hidden` attribute, or an input of type hidden, that is rendered.
 * - A stray list bullet: a list item that shows its marker though it is laid out as a row or grid
 *   item, or is itself a box (border or background), like a list of buttons or of panels.
 */
export async function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const describe = (el: Element): string => {
      const testId = el.getAttribute('data-testid');
      const id = el.id ? `#${el.id}` : '';
      const classes = el.classList.length > 0 ? `.${Array.from(el.classList).join('.')}` : '';
      return `${el.tagName.toLowerCase()}${id}${classes}${testId ? `[data-testid="${testId}"]` : ''}`;
    };
    const px = (value: string): number => Number.parseFloat(value) || 0;

    /** True when the element scrolls sideways and shows it: a visible scrollbar, a name, a tab stop. */
    const visiblyScrolls = (el: HTMLElement): boolean => {
      const style = getComputedStyle(el);
      if (style.overflowX !== 'auto' && style.overflowX !== 'scroll') return false;
      const scrollbarHeight = el.offsetHeight - el.clientHeight - px(style.borderTopWidth) - px(style.borderBottomWidth);
      const named = el.hasAttribute('aria-label') || el.hasAttribute('aria-labelledby');
      return scrollbarHeight > 0 && named && el.tabIndex >= 0;
    };

    for (const table of Array.from(document.querySelectorAll('table'))) {
      const style = getComputedStyle(table);
      if (style.display === 'none' || style.visibility === 'hidden') continue;
      let right = table.getBoundingClientRect().right;
      for (let box = table.parentElement; box && box !== document.documentElement; box = box.parentElement) {
        const boxStyle = getComputedStyle(box);
        if (boxStyle.overflowX === 'visible') continue;
        const inner = box.getBoundingClientRect().left + box.clientLeft + box.clientWidth;
        if (right <= inner + 1) continue;
        if (visiblyScrolls(box)) {
          right = box.getBoundingClientRect().right;
          continue;
        }
        const columns = Array.from(table.tHead?.rows[0]?.cells ?? []);
        const cut = columns.filter((cell) => cell.getBoundingClientRect().right > inner + 1).map((cell) => cell.textContent?.trim() || '(unnamed)');
        problems.push(`table ${describe(table)} is ${Math.round(right - inner)}px wider than ${describe(box)}, which clips it with no visible scrollbar${cut.length > 0 ? `; columns cut: ${cut.join(', ')}` : ''}`);
        right = inner;
        break;
      }
      if (right > window.innerWidth + 1) problems.push(`table ${describe(table)} ends at ${Math.round(right)}px, past the ${window.innerWidth}px window`);
    }

    const documentWidth = document.scrollingElement?.scrollWidth ?? 0;
    if (documentWidth > window.innerWidth) {
      const widest = Array.from(document.body.querySelectorAll('*'))
        .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
        .filter((el) => !Array.from(el.children).some((child) => child.getBoundingClientRect().right > window.innerWidth + 1))
        .slice(0, 5)
        .map(describe);
      problems.push(`the page is ${documentWidth}px wide in a ${window.innerWidth}px window (sticking out: ${widest.join(', ')})`);
    }

    for (const el of Array.from(document.querySelectorAll<HTMLElement>('[hidden], input[type="hidden"]'))) {
      const rect = el.getBoundingClientRect();
      if (getComputedStyle(el).display !== 'none' && (rect.width > 0 || rect.height > 0)) {
        problems.push(`${describe(el)}${el.getAttribute('name') ? `[name="${el.getAttribute('name')}"]` : ''} is meant to be hidden but shows a ${Math.round(rect.width)}×${Math.round(rect.height)} box`);
      }
    }
    for (const item of Array.from(document.querySelectorAll('li'))) {
      const style = getComputedStyle(item);
      if (style.display !== 'list-item' || style.listStyleType === 'none' || !item.parentElement) continue;
      const parentDisplay = getComputedStyle(item.parentElement).display;
      const laidOut = /flex|grid/.test(parentDisplay);
      const boxed = px(style.borderLeftWidth) > 0 || style.backgroundColor !== 'rgba(0, 0, 0, 0)';
      if (laidOut || boxed) {
        problems.push(`${describe(item)} in ${describe(item.parentElement)} shows a list bullet (${style.listStyleType}) though it is ${laidOut ? `a ${parentDisplay} item` : 'a box'}: "${item.textContent?.trim().replace(/\s+/g, ' ').slice(0, 50)}"`);
      }
    }
    return problems;
  });
}

/**
 * Checks the page as it is now at each screen width: axe, a full-page screenshot in the test's
 * output folder (`<state>-<width>.png`, for a person to look at), and layoutProblems. The page is
 * not reloaded, so a state reached by posting a form is checked as it was answered. Failures are
 * soft: the test goes on and reports every problem of every state and width at its end.
 */
export async function checkAtEveryWidth(page: Page, testInfo: TestInfo, state: string): Promise<void> {
  const original = page.viewportSize();
  for (const screen of SCREEN_WIDTHS) {
    await page.setViewportSize({ width: screen.width, height: screen.height });
    // Two frames: the page's resize handlers have run and its layout is the new width's.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    const label = `${state} (${where(page)}) at ${screen.width}×${screen.height}`;
    const file = testInfo.outputPath(`${state.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}-${screen.width}.png`);
    await page.screenshot({ path: file, fullPage: true });
    expect.soft(await seriousViolations(page), `axe on ${label}`).toEqual([]);
    expect.soft(await layoutProblems(page), `layout of ${label}`).toEqual([]);
  }
  if (original) await page.setViewportSize(original);
}
