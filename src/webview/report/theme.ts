/**
 * Chart colours from the page's CSS custom properties (media/report.css maps them to VS Code's theme
 * variables, with fallbacks for the exported page), read again whenever the theme changes.
 */
export interface ChartTheme {
  fg: string;
  muted: string;
  grid: string;
  background: string;
  series: { model: string; variant: string; alternative: string; frontier: string };
  bar: string;
  whisker: string;
}

function cssVar(style: CSSStyleDeclaration, name: string, fallback: string): string {
  return style.getPropertyValue(name).trim() || fallback;
}

export function readTheme(): ChartTheme {
  const s = getComputedStyle(document.body);
  return {
    fg: cssVar(s, '--gl-fg', '#1f2328'),
    muted: cssVar(s, '--gl-muted', '#6e7781'),
    grid: cssVar(s, '--gl-grid', 'rgba(128,128,128,0.25)'),
    background: cssVar(s, '--gl-bg', '#ffffff'),
    series: {
      model: cssVar(s, '--gl-series-model', '#e5534b'),
      variant: cssVar(s, '--gl-series-variant', '#1a85ff'),
      alternative: cssVar(s, '--gl-series-alternative', '#8b949e'),
      frontier: cssVar(s, '--gl-series-frontier', '#2da44e'),
    },
    bar: cssVar(s, '--gl-bar', '#1a85ff'),
    whisker: cssVar(s, '--gl-fg', '#1f2328'),
  };
}

/** Calls `onChange` when VS Code switches theme: it swaps the body's class and the root's variables. */
export function watchTheme(onChange: () => void): void {
  let pending = false;
  const observer = new MutationObserver(() => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      onChange();
    });
  });
  observer.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind'] });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
}
