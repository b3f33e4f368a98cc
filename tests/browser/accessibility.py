"""axe-core (the npm package in node_modules, never a CDN) run on a page and inside each of
its sandboxed frames: WCAG 2.1 A/AA, and no serious or critical violation allowed."""

from __future__ import annotations

from functools import cache
from typing import Any

from tf_system.settings import PROJECT_ROOT

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}

# A frame's policy allows only scripts carrying its nonce: load axe through that nonce.
LOAD_WITH_NONCE = """(source) => {
  if (window.axe) return;
  const script = document.createElement("script");
  script.nonce = document.querySelector("script[nonce]").nonce;
  script.textContent = source;
  document.head.appendChild(script);
}"""
RUN = """async (tags) => {
  const only = { type: "tag", values: tags };
  const result = await axe.run(document, { runOnly: only, iframes: false });
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ") + ": " + n.failureSummary),
  }));
}"""


@cache
def axe_source() -> str:
    return (PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js").read_text()


def violations(page: Any) -> list[str]:
    """Serious and critical violations on the page and in every sandboxed frame in it."""
    found = []
    for frame in page.frames:
        if frame != page.main_frame and "/sandbox/" not in frame.url:
            continue  # a preview frame not loaded yet
        if frame == page.main_frame:
            frame.evaluate(axe_source())  # the page's own CSP does not apply to the driver
            where = page.url
        else:
            frame.wait_for_selector("#root > *")  # rendered, not an empty document
            frame.evaluate(LOAD_WITH_NONCE, axe_source())
            frame.wait_for_function("() => !!window.axe")
            where = f"frame {frame.url}"
        for v in frame.evaluate(RUN, WCAG_21_AA):
            if v["impact"] in BLOCKING:
                found.append(f"{where}: {v['id']} ({v['impact']}) {v['help']}: {v['nodes']}")
    return found


def assert_accessible(page: Any) -> None:
    found = violations(page)
    assert not found, "\n".join(found)
