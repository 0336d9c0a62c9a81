"""axe-core in real Chromium: inject the engine into the open page, run the WCAG 2.2 A/AA rules (with
`label-content-name-mismatch`, WCAG 2.5.3, switched on by name), and say exactly what failed and where.

The engine is the npm package that scripts/test.sh installs into .cache/axe (ignored by git); its file is a constant
of the package, never user input, so it is run as it is.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from selenium.webdriver.remote.webdriver import WebDriver

ROOT = Path(__file__).resolve().parents[2]
AXE_PACKAGE = ROOT / '.cache' / 'axe' / 'node_modules' / 'axe-core'
TAGS = ('wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa')
# Voice-control users say what they see: the accessible name must contain the visible label (WCAG 2.5.3). axe 4
# keeps this rule out of its default set; naming it here runs it whatever its tags.
EXTRA_RULES = ('label-content-name-mismatch',)
OPTIONS = {
    'runOnly': {'type': 'tag', 'values': list(TAGS)},
    'rules': {rule: {'enabled': True} for rule in EXTRA_RULES},
    'resultTypes': ['violations'],  # passes and the like are counted, not detailed: the run stays quick
}

RUN_JS = r"""
const [options, done] = arguments;
// What a person sees of a failing element: its tag, visible text and aria-label (NiceGUI's ids say nothing).
const seen = (target) => {
  const el = target.length === 1 ? document.querySelector(String(target[0])) : null;
  if (!el) return '';
  const text = (el.innerText || el.value || '').replace(/\s+/g, ' ').trim().slice(0, 80);
  const label = el.getAttribute('aria-label');
  return `<${el.tagName.toLowerCase()}> "${text}"` + (label === null ? '' : ` aria-label="${label}"`);
};
axe.run(document, options).then(
  (r) => done({
    version: r.testEngine.version,
    violations: r.violations.map((v) => ({
      rule: v.id, impact: v.impact, help: v.help, url: v.helpUrl, tags: v.tags,
      nodes: v.nodes.map((n) => ({ target: n.target.map(String).join(' '), html: n.html,
                                   summary: n.failureSummary || '', seen: seen(n.target) })),
    })),
    ran: [...r.violations, ...r.passes, ...r.incomplete].map((v) => v.id),
    incomplete: r.incomplete.map((v) => v.id),
  }),
  (e) => done({ error: String(e) }),
);
"""


def engine() -> str:
    """The text of axe.min.js; a clear failure (not a skip) when it was not installed."""
    path = AXE_PACKAGE / 'axe.min.js'
    if not path.is_file():
        pytest.fail(
            f'axe-core is not installed at {path}: scripts/test.sh installs it '
            '(npm install --no-save --prefix .cache/axe axe-core@<version>)'
        )
    return path.read_text(encoding='utf-8')


def version() -> str:
    """The installed axe-core version, from its package.json."""
    return json.loads((AXE_PACKAGE / 'package.json').read_text(encoding='utf-8'))['version']


@dataclass(frozen=True)
class Node:
    target: str  # CSS selector of the failing element
    seen: str  # its tag, visible text and aria-label
    html: str  # its opening markup, as axe quotes it
    summary: str  # what to fix, in axe's words


@dataclass(frozen=True)
class Violation:
    rule: str
    impact: str
    help: str
    url: str
    nodes: tuple[Node, ...]


@dataclass
class Result:
    """One axe run over one page at one size."""

    where: str  # the screen and size, as the report names it
    version: str
    violations: list[Violation]
    ran: set[str] = field(default_factory=set)  # every rule that applied to something on the page
    incomplete: list[str] = field(default_factory=list)  # rules axe could not decide ("needs review")

    def counts(self) -> dict[str, int]:
        """Failing elements per rule."""
        return {v.rule: len(v.nodes) for v in self.violations}

    def report(self) -> str:
        """What failed and where, one element a line, readable in a test failure."""
        if not self.violations:
            return f'{self.where}: no violations'
        lines = [f'{self.where}: {sum(self.counts().values())} failing element(s) (axe-core {self.version})']
        for violation in self.violations:
            lines.append(f'  [{violation.rule}] ({violation.impact}) {violation.help} — {violation.url}')
            for node in violation.nodes:
                lines.append(f'    at {node.target} {node.seen}')
                lines.append(f'       {node.html[:220]}')
                for reason in node.summary.splitlines():
                    if reason.strip():
                        lines.append(f'       | {reason.strip()}')
        return '\n'.join(lines)


def check(driver: WebDriver, where: str) -> Result:
    """Run axe on the page the driver shows now (the engine is injected once per page load)."""
    if not driver.execute_script('return typeof window.axe === "object"'):
        driver.execute_script(engine())
    driver.set_script_timeout(60)
    raw = driver.execute_async_script(RUN_JS, OPTIONS)
    if 'error' in raw:
        raise AssertionError(f'{where}: axe-core failed to run: {raw["error"]}')
    violations = [
        Violation(
            rule=v['rule'],
            impact=v['impact'] or '',
            help=v['help'],
            url=v['url'],
            nodes=tuple(Node(n['target'], n['seen'], n['html'], n['summary']) for n in v['nodes']),
        )
        for v in raw['violations']
    ]
    return Result(where, raw['version'], violations, set(raw['ran']), list(raw['incomplete']))
