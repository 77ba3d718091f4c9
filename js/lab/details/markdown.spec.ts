// A description's Markdown (markdown.ts) under JupyterLab's own sanitizer: formatting is
// kept, raw HTML and script are text, links are safe and open apart.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';

import { Sanitizer } from '@jupyterlab/apputils/lib/sanitizer';

import { renderMarkdown } from './markdown';

const render = (source: string): string => renderMarkdown(source, new Sanitizer());

test('Markdown formatting becomes HTML', () => {
  const html = render('# Why\n\nA **strong** baseline with `lr=0.1`:\n\n- one\n- two');
  assert.match(html, /<h1[^>]*>Why<\/h1>/);
  assert.match(html, /<strong>strong<\/strong>/);
  assert.match(html, /<code>lr=0.1<\/code>/);
  assert.match(html, /<ul>\s*<li>one<\/li>/);
});

test('raw HTML is shown as text, so no element is injected', () => {
  const html = render('before <img src=x onerror=alert(1)> after\n\n<script>alert(2)</script>');
  assert.ok(!/<img|<script/i.test(html), html);
  assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt;/);
  assert.match(html, /&lt;script&gt;alert\(2\)&lt;\/script&gt;/);
});

test('links open apart with rel=noopener; other schemes are not links', () => {
  const html = render('[docs](https://mlflow.org "MLflow") and [bad](javascript:alert(1))');
  assert.match(
    html,
    /<a href="https:\/\/mlflow.org" title="MLflow" target="_blank" rel="noopener noreferrer nofollow">docs<\/a>/
  );
  assert.ok(!html.includes('javascript:'), html);
  assert.match(html, /and bad/);
});

test('images become links to the picture, fetched only when followed', () => {
  const html = render('![loss curve](https://example.org/loss.png)');
  assert.ok(!html.includes('<img'), html);
  assert.match(html, /<a href="https:\/\/example.org\/loss.png"[^>]*>loss curve<\/a>/);
});
