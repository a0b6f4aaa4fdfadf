/**
 * `greenlens analyze --format markdown` escapes workspace text as the report's Markdown export does: a file
 * name cannot inject HTML and a model id with a backtick cannot break out of its cell.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { main } from '../../src/cli/main';

const dir = mkdtempSync(path.join(tmpdir(), 'gl-md-'));
after(() => rmSync(dir, { recursive: true, force: true }));

void test(
  'file names and model ids from the workspace are escaped in the Markdown table',
  { skip: process.platform === 'win32' && 'file names with < and >' },
  async () => {
    const name = '<img src=x onerror=alert(1)>.py';
    writeFileSync(path.join(dir, name), 'import timm\nm = timm.create_model("res`<b>net</b>` | x")\n');
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(['analyze', dir, '--format', 'markdown'], {
      out: (t) => out.push(t),
      err: (t) => err.push(t),
      isTTY: false,
      cwd: dir,
    });
    assert.equal(code, 0, err.join('\n'));
    const text = out.join('\n');
    const row = text.split('\n').find((l) => l.includes('model') && l.startsWith('| &lt;img'));
    assert.ok(row, text);
    assert.doesNotMatch(text, /<img|<b>/, 'no raw HTML from the workspace');
    assert.match(row, /^\| &lt;img src=x onerror=alert\(1\)&gt;\.py \| 2 \| model \| /);
    assert.ok(row.includes('res\\`&lt;b&gt;net&lt;/b&gt;\\` \\| x'), row);
    // No code span a backtick could close, and the row keeps its four cells.
    assert.equal(row.split(/(?<!\\)\|/).length - 2, 4, row);
  },
);
