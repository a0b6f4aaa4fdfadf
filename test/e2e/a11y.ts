/**
 * Accessibility checks inside a VS Code webview: axe-core run in the page's own frame (its rules, the
 * theme's real colours), and a walk with the Tab key that must reach every action with a visible focus.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';

/** One axe-core rule broken in the page, with up to five of the elements that break it. */
export interface Violation {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

/** Finds the webview frame whose document holds `selector` (the workbench nests two iframes per webview). */
export async function webviewFrame(page: Page, selector: string, timeoutMs = 60_000): Promise<Frame> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline;) {
    for (const f of page.frames()) {
      if (f === page.mainFrame() || f.isDetached()) continue;
      const n = await f
        .locator(selector)
        .count()
        .catch(() => 0);
      if (n > 0) return f;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no webview frame holds ${selector}`);
}

/**
 * Runs axe-core in the frame and returns every violation. The library's source is evaluated through the
 * DevTools protocol, which the page's Content-Security-Policy does not restrict, so nothing is added to
 * the page's own code.
 */
export async function axeViolations(frame: Frame, repoRoot: string): Promise<Violation[]> {
  const source = readFileSync(join(repoRoot, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
  await frame.evaluate(source);
  // The test tier's TypeScript has no DOM library: the page-side code is given as text.
  return frame.evaluate<Violation[]>(`(async () => {
    const res = await globalThis.axe.run(document, { resultTypes: ['violations'] });
    return res.violations.map((v) => ({ id: v.id, impact: v.impact || 'unknown', help: v.help,
      targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ') + ' — ' + (n.failureSummary || '').replace(/\\s+/g, ' ').slice(0, 300)) }));
  })()`);
}

/** Only what a user could not work around: axe's "serious" and "critical" impacts. */
export function blocking(violations: readonly Violation[]): Violation[] {
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** What the keyboard walk found. */
export interface KeyboardWalk {
  /** Enabled, visible actions in the page: buttons, links, form fields, summaries, focusable regions. */
  actions: string[];
  /** Actions that Tab never reached. */
  unreached: string[];
  /** Actions that got the focus without a visible outline or ring. */
  invisibleFocus: string[];
}

const ACTIONS =
  'button:not([disabled]), a[href], select:not([disabled]), input:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';

/**
 * Presses Tab from the top of the page until the focus leaves it, noting every action it reaches and
 * whether the focused element shows a visible focus indicator (an outline or a box shadow).
 */
export async function walkWithKeyboard(page: Page, frame: Frame, start = 'h1'): Promise<KeyboardWalk> {
  const actions = await frame.evaluate<string[]>(`(() => {
    const list = [...document.querySelectorAll(${JSON.stringify(ACTIONS)})].filter((e) => e.getClientRects().length > 0);
    return list.map((e, i) => { e.setAttribute('data-a11y-walk', String(i)); return (e.tagName.toLowerCase() + ' ' + (e.getAttribute('aria-label') || e.textContent || '').trim()).slice(0, 80); });
  })()`);
  // A click on the heading puts the focus in the page without activating anything.
  await frame.locator(start).first().click();
  const reached = new Set<number>();
  const invisible = new Set<number>();
  for (let i = 0; i < actions.length + 20; i++) {
    await page.keyboard.press('Tab');
    const at = await frame.evaluate<{ index: number; visible: boolean } | null>(`(() => {
      const e = document.activeElement;
      if (!document.hasFocus() || !e || e === document.body) return null;
      const cs = getComputedStyle(e);
      const outline = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0;
      return { index: Number(e.getAttribute('data-a11y-walk') ?? -1), visible: outline || cs.boxShadow !== 'none' };
    })()`);
    if (!at) break;
    if (at.index < 0) continue;
    if (reached.has(at.index)) break;
    reached.add(at.index);
    if (!at.visible) invisible.add(at.index);
  }
  return {
    actions,
    unreached: actions.filter((_, i) => !reached.has(i)),
    invisibleFocus: [...invisible].map((i) => actions[i]!),
  };
}
