"""Right-to-left text in the browser: a scenario written in Arabic (its name, issues, options, clause texts
and parties) renders right to left wherever the desk and the console show it.

Every element that shows room text carries ``dir="auto"``; the browser must then compute
``direction: rtl`` for those holding Arabic (and keep ``ltr`` for the page's own English).
Screenshots of both pages go to the test's folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from browser.conftest import Served
from browser.test_accessibility import serious_violations

ENVOY, NORTH, SOUTH = "المبعوث الخاص", "وفد الشمال", "وفد الجنوب"
VENUE, GENEVA_TEXT = "مكان المحادثات", "تُعقد المحادثات في جنيف برعاية الأمم المتحدة."
SCENARIO = f"""\
format: accord-scenario/1
name: محادثات السلام
language: ar
description: جولة من المحادثات بين وفدين بوساطة مبعوث خاص.
issues:
  - name: {VENUE}
    description: أين تُعقد الجولة القادمة.
    options:
      - {{name: جنيف, text: {GENEVA_TEXT}}}
      - {{name: أستانا, text: تُعقد المحادثات في أستانا.}}
  - name: المدة
    options:
      - {{name: يوم, text: تستمر الجولة يوماً واحداً.}}
      - {{name: أسبوع, text: تستمر الجولة أسبوعاً كاملاً.}}
parties:
  - name: {ENVOY}
    role: mediator
  - name: {NORTH}
    role: delegation
    preferences:
      weights: {{{VENUE}: 0.6, المدة: 0.4}}
      values:
        {VENUE}: {{جنيف: 1.0, أستانا: 0.2}}
        المدة: {{يوم: 0.3, أسبوع: 1.0}}
      reservation: 0.3
      red_lines:
        - when: {{{VENUE}: [أستانا], المدة: [يوم]}}
          reason: لا نقبل يوماً واحداً في أستانا
  - name: {SOUTH}
    role: delegation
    preferences:
      weights: {{{VENUE}: 0.5, المدة: 0.5}}
      values:
        {VENUE}: {{جنيف: 0.4, أستانا: 1.0}}
        المدة: {{يوم: 1.0, أسبوع: 0.2}}
      reservation: 0.25
"""

#: Computed directions of every ``dir="auto"`` element holding Arabic, and of the page's own headings.
DIRECTIONS = """
() => {
  const arabic = /[\\u0600-\\u06FF]/;
  const auto = [...document.querySelectorAll('[dir="auto"]')]
    .filter((element) => arabic.test(element.textContent));
  const shown = (element) => [element.tagName, element.textContent.trim().slice(0, 30)];
  return {
    arabic: auto.map((element) => [...shown(element), getComputedStyle(element).direction]),
    headings: [...document.querySelectorAll('h2')].map((element) => getComputedStyle(element).direction),
  };
}
"""


def _directions(page: Any) -> dict[str, Any]:
    found: dict[str, Any] = page.evaluate(DIRECTIONS)
    return found


@pytest.mark.slow
def test_arabic_renders_right_to_left_on_the_desk_and_the_console(
    browser: Any, served: Served, screenshots: Path
) -> None:
    created = served.service.create_room(SCENARIO, "one-text", agents={SOUTH: "boulware"})
    envoy = served.join(browser, created.seats[ENVOY].token)
    north = served.join(browser, created.seats[NORTH].token)
    envoy.click("#form-propose button[type=submit]:not([formmethod])")  # a draft: clauses on the table
    north.wait_for_selector("#form-critique")
    envoy.wait_for_selector("#analysis img")
    for name, page in (("desk", north), ("console", envoy)):
        found = _directions(page)
        texts = " ".join(text for _, text, _ in found["arabic"])
        # The seat's name, the agenda's clause texts and the table's clauses are all among them.
        assert GENEVA_TEXT[:30] in texts or GENEVA_TEXT[:20] in texts, name
        assert VENUE in texts and NORTH in texts, name
        wrong = [item for item in found["arabic"] if item[2] != "rtl"]
        assert not wrong, f"{name}: shown left to right: {wrong[:5]}"
        assert len(found["arabic"]) >= 10, name
        assert set(found["headings"]) == {"ltr"}, name  # the page's own English stays left to right
        assert not serious_violations(page), name
        page.screenshot(path=screenshots / f"right-to-left-{name}.png", full_page=True)
    # The red line's reason, in Arabic, is shown right to left on the desk too.
    reason = north.locator("#preferences [dir=auto]", has_text="لا نقبل يوماً واحداً").first
    assert reason.evaluate("(element) => getComputedStyle(element).direction") == "rtl"

    # A criticism in the history: the names in the page's own English sentence keep their order.
    north.select_option("#form-critique-issue-0", "أستانا")
    north.fill("#form-critique-intensity-0", "0.5")
    north.click("#form-critique button[type=submit]:not([formmethod])")
    north.wait_for_selector("#history li:has-text('intensity 0.50')")
    north.locator("#history").screenshot(path=screenshots / "right-to-left-history.png")
