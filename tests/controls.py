"""Find every control on a Streamlit page and operate it, checking for crashes after each step.

Controls are discovered from the DOM by Streamlit's ``data-testid``s, so a control added later
is covered without changing this file; a control kind it cannot operate fails the test. A
control is operated once per page: widgets in a list (one "+1" button per contribution) or
re-keyed per chosen object (a layer's metadata form) count once, by their key with numbers and
store ids taken out. After each step the page may show no exception, no "unexpected error" and
the server log no traceback; other error boxes are the page's answer to an input and are listed.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from harness import TIMEOUT_S, sign_in, wait_until

from geo import clock
from geo.i18n import LANGUAGES, t

WIDGETS = (
    "stFileUploader", "stDownloadButton", "stFormSubmitButton", "stPageLink", "stPopover",
    "stSelectbox", "stMultiSelect", "stCheckbox", "stRadio", "stSlider", "stDateInput", "stTimeInput",
    "stTextInput", "stNumberInput", "stTextArea", "stColorPicker", "stButton", "stCustomComponentV1",
)  # fmt: skip
# elements with links or buttons of their own that are not the app's controls (anchors of
# headings, toolbars of tables and charts, links in text, help icons, fullscreen images)
DISPLAYS = (
    "stHeading", "stFullScreenFrame", "stDataFrame", "stVegaLiteChart", "stArrowVegaLiteChart",
    "stImage", "stMarkdown", "stCaptionContainer", "stCode", "stMetric", "stAlert", "stHtml", "stText",
)  # fmt: skip
REVEALERS = ("stExpander", "stTab", "stPopover")  # operated once everything visible is done
NARROWING = ("stSlider",)  # at its ends a slider may leave nothing to show (no event in the period)
DEFERRED = ("sign_out", "lang_select")  # in this order, after everything else on the page

DISCOVER_JS = """([widgets, displays]) => {
  const visible = e => { const r = e.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && e.checkVisibility({visibilityProperty: true})
      && !e.closest('[inert]'); };
  const roots = document.querySelectorAll(
    '[data-testid=stMain], [data-testid=stSidebar], [data-testid=stPopoverBody]');
  const out = [], forms = new Set();
  document.querySelectorAll('[data-ctl]').forEach(e => e.removeAttribute('data-ctl'));
  const sel = '[data-testid=stElementContainer], [data-testid=stExpander], [data-testid=stTab], '
    + '[data-testid=stPopover]';
  const interactive = 'input, textarea, button, select, a[href], [role=slider], [contenteditable=true], '
    + 'iframe';
  for (const root of roots) for (const el of root.querySelectorAll(sel)) {
    if (!visible(el)) continue;
    let kind = el.dataset.testid;
    const form = el.closest('[data-testid=stForm]');
    if (form && form.querySelector('input[autocomplete=username]')) {
      if (forms.has(form)) continue;
      forms.add(form); kind = 'signin';
    } else if (kind === 'stElementContainer') {
      const inner = [...el.querySelectorAll('[data-testid]')].map(k => k.dataset.testid);
      kind = widgets.find(k => inner.includes(k)) || displays.find(k => inner.includes(k))
        || (el.querySelector(interactive) ? 'unknown:' + inner.slice(0, 3).join(',') : '');
      if (!kind || kind === 'stPopover') continue;
    }
    const n = out.length;
    (kind === 'signin' ? form : el).setAttribute('data-ctl', String(n));
    const label = el.querySelector('[data-testid=stWidgetLabel], summary [data-testid=stMarkdownContainer], '
      + 'button [data-testid=stMarkdownContainer]');
    const frame = el.querySelector('iframe');
    out.push({n, kind, where: root.dataset.testid, inForm: !!form,
      key: ((el.className || '').match(/st-key-(\\S+)/) || [])[1] || '',
      label: (label ? label.innerText : el.innerText).trim().split('\\n')[0].slice(0, 80),
      title: frame ? frame.title : '',
      // a number input at its end has one step button disabled, and is still to operate
      disabled: !!el.querySelector(kind === 'stNumberInput' ? 'input:disabled'
        : 'button:disabled, input:disabled') && kind !== 'signin'});
  }
  return out;
}"""
LISTBOX_JS = """() => { const lb = document.querySelector('[role=listbox]');
  if (!lb) return null;
  const text = o => o ? o.innerText.trim() : null, focused = lb.querySelector('[role=option][data-focused]');
  const selected = lb.querySelector('[aria-selected=true]');
  return [text(focused), focused ? focused.dataset.key : null, text(selected)];
}"""
MAP_JS = """() => { const g = window.__GLOBAL_DATA__ || {}; const m = window.map;
  let at = null;
  if (m) m.eachLayer(l => { if (!at && l.feature && (l.getLatLng || l.getBounds)) {
    const ll = l.getLatLng ? l.getLatLng() : l.getBounds().getCenter();
    if (m.getBounds().contains(ll)) at = m.latLngToContainerPoint(ll); } });
  return [g.returned_objects || [], at ? [at.x, at.y] : null]; }"""
ALERTS_JS = """() => ['stException', 'stAlertContentError'].map(id =>
  [...document.querySelectorAll(`[data-testid=${id}]`)].map(e => e.innerText))"""
# the app's one answer to a bug (dashboard.py's error boundary), in every language
CRASH_TEXTS = tuple(
    t("ui.unexpected_error", lang, at="\0").split("\0")[0].split(".")[0] for lang in LANGUAGES
)
OPEN_JS = """f => f.getAttribute('aria-expanded') === 'true'
  && document.querySelectorAll('[role=listbox] [role=option]').length > 0"""
# options a selectbox is taken through before its last one: the whole sweep of every option took
# minutes per language (21 municipalities, 30 indicators); 0 sweeps through all
SWEEP = int(os.environ.get("SMART_REGION_CONTROLS_SWEEP", "3"))
# selectboxes that are one widget shown on every page: swept on the first page, then the first
# option and the last (the choice follows the user, so both are changes)
SAME_ON_EVERY_PAGE = ("basemap",)
NOTHING = ("No results",)  # the entry of a multiselect's list when every option is chosen
BULK = re.compile(r"^Select (all|\d+ matches)$")


@dataclass
class Control:
    n: int
    kind: str
    where: str
    inForm: bool  # noqa: N815 - the field name the discovery script reports
    key: str
    label: str
    title: str
    disabled: bool
    ident: str = ""


@dataclass
class Explorer:
    """Operates the controls of one page in one tab; `log` lists every step taken."""

    page: object
    server: object
    lang: str
    values: dict  # texts to type, by widget key (or "*")
    account: tuple[str, str]
    upload: Path  # the file the uploader gets
    back: Callable[[], None]  # returns to the page after a page link led away
    ids: tuple[str, ...] = ()  # store ids that appear in widget keys
    log: list = field(default_factory=list)
    answers: list = field(default_factory=list)  # error boxes that answer an input
    crashes: list = field(default_factory=list)
    page_name: str = ""
    swept: set = field(default_factory=set)  # keys of SAME_ON_EVERY_PAGE swept on an earlier page

    # --- discovery and checks -----------------------------------------------------------------

    def discover(self) -> list[Control]:
        """The visible controls in page order, each with its identity on this page.

        Identity is the key (else the label and its place among equal labels) with numbers
        taken out, so rows of a list count once; store ids are taken out too, so a form keyed
        by the chosen layer counts once, unless several such controls show at once (one
        checkbox per layer), which are different controls.
        """
        found = [Control(**c) for c in self.page.evaluate(DISCOVER_JS, [list(WIDGETS), list(DISPLAYS)])]
        named = [(c, self.name(c)) for c in found]
        family: dict[str, set[str]] = {}
        for _c, name in named:
            family.setdefault(self.without_ids(name), set()).add(name)
        seen: dict[str, int] = {}
        for c, name in named:
            general = self.without_ids(name)
            c.ident = name if len(family[general]) > 1 else general
            if not c.key and c.kind != "signin":
                seen[c.ident] = seen.get(c.ident, 0) + 1
                c.ident += f"#{seen[c.ident]}"
        return found

    @staticmethod
    def name(c: Control) -> str:
        if re.fullmatch(r"[0-9a-f]{32,}", c.key):  # a key Streamlit made up (components)
            c.key = ""
        return f"{c.kind}:{c.where}:" + re.sub(r"[0-9]+", "#", c.key or c.label or c.title)

    def without_ids(self, name: str) -> str:
        for store_id in self.ids:
            name = name.replace(re.sub(r"[0-9]+", "#", store_id), "<id>")
        return name

    def locate(self, c: Control, block: str = "center"):
        """The control's element, scrolled to the middle of its pane: focusing a field near the
        pane's edge scrolls it, and a click whose press and release land apart counts as none.
        A popover's button goes to the top (below the app's header): its body opens beneath it
        and cannot be scrolled into view."""
        el = self.page.locator(f"[data-ctl='{c.n}']")
        el.evaluate("(e, block) => { e.style.scrollMarginTop = '80px'; e.scrollIntoView({block}); }", block)
        return el

    def check(self, what: str) -> None:
        """No exception, no unexpected-error box, no traceback in the server log since the last
        step; a crash is recorded (the test lists them all at the end) and the page goes on."""
        where = f"{self.page_name}: after {what}"
        exceptions, errors = self.page.evaluate(ALERTS_JS)
        self.crashes += [f"{where}: exception shown: {text}" for text in exceptions]
        for text in errors:
            if any(crash in text for crash in CRASH_TEXTS):
                self.crashes.append(f"{where}: {text}")
            elif text not in self.answers:
                self.answers.append(text)
        log = self.server.new_log()
        if "Traceback" in log:
            trace = log[log.index("Traceback") :][-3000:]
            self.crashes.append(f"{where}: traceback in the server log:\n{trace}")

    def step(self, c: Control, what: str, action, rerun=True) -> None:
        """One user action, then wait for the run it starts (if `rerun`, or if ``rerun()`` says
        so after the action; inside a form only for its submit button) and check the page."""
        runs = self.page.runs
        before, started = runs.requests, time.monotonic()
        action()
        if (rerun() if callable(rerun) else rerun) and (not c.inForm or c.kind == "stFormSubmitButton"):
            runs.wait_settled(after=before)
        self.log.append((self.page_name, c.kind.removeprefix("st"), c.label or c.key or c.title, what))
        print(*self.log[-1], f"{time.monotonic() - started:.2f}s", sep=" | ")
        self.check(f"{c.kind} {c.label or c.key!r}: {what}")

    # --- the loop -------------------------------------------------------------------------------

    def explore(self, page_name: str, done: set[str]) -> set[str]:
        """Operate every control not in `done` once (revealers and deferred ones last), adding
        them to `done`; returns the identities of controls seen but never operated."""
        self.page_name, seen, self.done = page_name, set(), done
        self.check("opening")
        while True:
            controls = self.discover()
            unknown = sorted({c.kind for c in controls if c.kind.startswith("unknown:")})
            assert not unknown, f"{page_name}: control kinds this test cannot operate: {unknown}"
            controls = [c for c in controls if c.kind not in DISPLAYS]
            seen |= {c.ident for c in controls}
            todo = [c for c in controls if c.ident not in done and not c.disabled]
            if not todo:
                return seen - done
            c = min(todo, key=self.order)
            done.add(c.ident)
            steps = len(self.log)
            getattr(self, "op_" + c.kind.removeprefix("st").lower())(c, self.locate(c))
            if len(self.log) == steps:
                self.log.append((page_name, c.kind.removeprefix("st"), c.label or c.key, "nothing to do"))

    def order(self, c: Control) -> tuple[int, int]:
        if c.key in DEFERRED:
            return 3 + DEFERRED.index(c.key), c.n
        return (2 if c.kind in NARROWING else 1 if c.kind in REVEALERS else 0), c.n

    # --- operators, one per control kind -------------------------------------------------------

    def op_signin(self, c: Control, el) -> None:
        self.step(c, "sign in", lambda: sign_in(self.page, *self.account, form=el), rerun=False)

    def op_expander(self, c: Control, el) -> None:
        details = el.get_by_test_id("stExpanderDetails").first
        if details.get_attribute("inert") is None:
            self.log.append((self.page_name, "Expander", c.label, "open already"))
            return
        self.step(c, "open", lambda: el.locator("summary").first.click(), rerun=False)
        wait_until(lambda: details.get_attribute("inert") is None, TIMEOUT_S, f"{c.label} did not open")

    def op_tab(self, c: Control, el) -> None:
        if el.get_attribute("aria-selected") == "true":
            self.log.append((self.page_name, "Tab", c.label, "shown already"))
            return
        self.step(c, "show", el.click, rerun=False)
        wait_until(lambda: el.get_attribute("aria-selected") == "true", TIMEOUT_S, f"tab {c.label}")

    def op_popover(self, c: Control, el) -> None:
        """Open the popover and operate every control inside it (opening it again where a run
        closed it), then close it."""
        body = self.page.get_by_test_id("stPopoverBody").first
        for _ in range(20):
            again = next((x for x in self.discover() if x.ident == c.ident), None)
            if again is not None:  # its button on top again (a run may have moved it), the body below
                button = self.locate(again, "start").locator("button").first
            if not body.is_visible():
                if again is None:
                    break
                self.step(c, "open", button.click, rerun=False)
                body.wait_for(timeout=TIMEOUT_S * 1000)
            inside = [
                x
                for x in self.discover()
                if x.where == "stPopoverBody" and x.kind not in DISPLAYS and x.ident not in self.done
            ]
            todo = [x for x in inside if not x.disabled]
            if not todo:
                break
            x = min(todo, key=self.order)
            self.done.add(x.ident)
            getattr(self, "op_" + x.kind.removeprefix("st").lower())(x, self.locate(x))
        if body.is_visible():
            self.step(c, "close", lambda: self.page.keyboard.press("Escape"), rerun=False)
            body.wait_for(state="hidden", timeout=TIMEOUT_S * 1000)

    def _listbox(self, el, down: int | None = None) -> tuple[str | None, str | None, str | None]:
        """Open the dropdown of `el` from the keyboard (a click on its arrow is not always
        taken) and, with `down`, focus option number `down`; return the focused option's text
        and index and the selected option's text.

        A run that starts meanwhile (a map reporting its view) may close the dropdown before it
        shows: then wait for that run and open it again.
        """
        field = el.locator("input[role=combobox]").first
        for attempt in range(3):
            before = self.page.runs.requests
            field.focus()
            self.page.keyboard.press("ArrowDown")
            try:
                wait_until(lambda b=before: self.page.runs.requests > b or field.evaluate(OPEN_JS), 10)
            except AssertionError:  # the key press went nowhere (a redraw took the focus): again
                assert attempt < 2, f"{self.page_name}: the dropdown of {el} did not open"
                continue
            if self.page.runs.requests == before:
                break
            self.page.runs.wait_settled(after=before)
            if field.evaluate(OPEN_JS):
                break
        if down is not None:
            self.page.keyboard.press("Home")
            for _ in range(down):
                self.page.keyboard.press("ArrowDown")
        return tuple(self.page.evaluate(LISTBOX_JS) or (None, None, None))

    def _choosable(self, el) -> list[str]:
        """Open the dropdown of a multiselect; the options one can still choose."""
        self._listbox(el)
        texts = self.page.locator("[role=listbox] [role=option]").all_inner_texts()
        return [x for x in texts if not BULK.match(x) and x not in NOTHING]

    def _close_listbox(self) -> None:
        self.page.keyboard.press("Escape")
        self.page.locator("[role=listbox]").first.wait_for(state="detached", timeout=TIMEOUT_S * 1000)

    def op_selectbox(self, c: Control, el) -> None:
        """Through the options from the first, at most `SWEEP` of them and then the last (all of
        them with ``SMART_REGION_CONTROLS_SWEEP=0``). Opened from the keyboard, the dropdown
        focuses the option after the chosen one, so each step moves on by one."""
        if c.key == "lang_select":
            return self.op_language(c, el)
        sweep = 1 if c.key in self.swept else SWEEP
        if c.key in SAME_ON_EVERY_PAGE:
            self.swept.add(c.key)
        chosen, expected = 0, 0
        focused, index, selected = self._listbox(el, 0)
        while index == str(expected) and not (sweep and expected >= sweep):
            if focused == selected:
                self._close_listbox()
            else:
                self.step(c, f"choose {focused!r}", lambda: self.page.keyboard.press("Enter"))
                chosen += 1
            expected += 1
            if not el.locator("input[role=combobox]").count():  # the choice took the box away
                index = None
                break
            focused, index, selected = self._listbox(el)
        if index == str(expected):  # more options than the sweep: the last one too
            self.page.keyboard.press("End")
            focused, index, selected = self.page.evaluate(LISTBOX_JS)
            if focused != selected:
                self.step(c, f"choose the last, {focused!r}", lambda: self.page.keyboard.press("Enter"))
                chosen += 1
        if self.page.locator("[role=listbox]").count():
            self._close_listbox()
        if not chosen:
            what = f"{expected} option(s), nothing else to choose"
            self.log.append((self.page_name, "Selectbox", c.label, what))

    def op_language(self, c: Control, el) -> None:
        """Switch to the other language and back; both runs must draw the page without error."""
        for _ in range(2):
            focused, _, selected = self._listbox(el, 0)
            keys = ("ArrowDown", "Enter") if focused == selected else ("Enter",)
            self.step(c, "switch language", lambda k=keys: [self.page.keyboard.press(x) for x in k])
            self.locate_again(c)
            el = self.locate(c)

    def locate_again(self, c: Control) -> None:
        """Find `c` again after a rerun (by identity) and point its number at the new element."""
        match = next((x for x in self.discover() if x.ident == c.ident), None)
        assert match is not None, f"{self.page_name}: {c.ident} gone"
        c.n = match.n

    def op_multiselect(self, c: Control, el) -> None:
        """Two chosen (as far as there are), one removed, all removed (and all chosen again where
        all were chosen)."""
        tags = el.locator("[data-tag]")
        options = self.page.locator("[role=listbox] [role=option]")
        had_all = tags.count() and not self._choosable(el)
        self._close_listbox()
        while tags.count() < 2:
            choosable = self._choosable(el)
            if choosable:
                self.step(c, f"choose {choosable[0]!r}", options.filter(has_text=choosable[0]).first.click)
            self._close_listbox()
            if not choosable:
                break
        if tags.count():
            self.step(c, "remove one", lambda: self._remove_last(el, tags))
        if tags.count():  # one chosen (a multiselect of only the chosen ones) leaves none to clear
            clear = el.locator("button[aria-label='Clear all']")  # a mouse click is not always taken
            self.step(c, "remove all", lambda: (clear.focus(), clear.press("Enter")))
        if had_all and not el.locator("input:disabled").count():  # none left to offer: disabled
            self._listbox(el)
            bulk = options.filter(has_text=BULK)
            if bulk.count():  # a multiselect of only the chosen ones offers none once they are gone
                self.step(c, "choose all", bulk.first.click)
            self._close_listbox()

    def _remove_last(self, el, tags) -> None:
        """A click on the last tag's ×; a click that a redraw swallowed (no rerun asked for, the
        tag still there) is followed by Backspace in the field, which removes the last tag."""
        count, before = tags.count(), self.page.runs.requests
        tags.last.locator("button").click()
        try:
            wait_until(lambda: self.page.runs.requests > before or tags.count() < count, 5, "no removal")
        except AssertionError:
            el.locator("input[role=combobox]").first.focus()
            self.page.keyboard.press("Backspace")

    def op_checkbox(self, c: Control, el) -> None:
        """Toggled and toggled back, unless the first toggle enabled another control."""
        disabled = self.page.locator("button:disabled")
        before = disabled.count()
        self.step(c, "toggle", lambda: el.locator("label").first.click())
        if disabled.count() >= before:
            self.step(c, "toggle back", lambda: el.locator("label").first.click())

    def op_radio(self, c: Control, el) -> None:
        options = el.get_by_test_id("stRadioOption")
        for i in range(options.count()):
            option = options.nth(i)
            if option.count() and option.get_attribute("data-selected") != "true":
                self.step(c, f"choose {option.inner_text().strip()!r}", option.click)

    def op_slider(self, c: Control, el) -> None:
        """Each thumb to its lowest and highest value."""
        thumbs = el.get_by_role("slider")
        for i in range(thumbs.count()):
            thumb = thumbs.nth(i)
            for key in ("Home", "End"):
                before = thumb.input_value()
                thumb.focus()
                self.step(c, f"thumb {i + 1} {key}", lambda k=key: self.page.keyboard.press(k),
                          rerun=lambda b=before, th=thumb: th.input_value() != b)  # fmt: skip

    def _segments(self, c: Control, el, digits: dict[str, str], what: str) -> None:
        """Type a value into a date or time field segment by segment; it counts once focus
        moves on to another field (a plain blur does not count)."""
        segments = el.locator("[role=spinbutton]")
        before = segments.all_inner_texts()
        order = [s.get_attribute("data-type") for s in segments.all()]
        text = [digits[kind] for kind in order]

        def enter():
            segments.first.click()
            self.page.keyboard.type("".join(text))
            while el.evaluate("e => e.contains(document.activeElement)"):  # on to the next field
                self.page.keyboard.press("Tab")

        self.step(c, f"{what} {'.'.join(text)}", enter, rerun=before != text)

    def op_dateinput(self, c: Control, el) -> None:
        day = clock.today() + timedelta(days=30)
        self._segments(c, el, {"day": f"{day:%d}", "month": f"{day:%m}", "year": f"{day:%Y}"}, "date")

    def op_timeinput(self, c: Control, el) -> None:
        at = clock.local_now() + timedelta(hours=2)
        self._segments(c, el, {"hour": f"{at:%H}", "minute": "30"}, "time")

    def _type(self, c: Control, field, commit: str) -> None:
        for value in self.values.get(c.key, self.values["*"]):
            changed = field.input_value() != value
            self.step(c, f"type {value!r}", lambda v=value: (field.fill(v), field.press(commit)), changed)

    def op_textinput(self, c: Control, el) -> None:
        self._type(c, el.locator("input").first, "Tab" if c.inForm else "Enter")

    def op_textarea(self, c: Control, el) -> None:
        self._type(c, el.locator("textarea").first, "Tab" if c.inForm else "Control+Enter")

    def op_numberinput(self, c: Control, el) -> None:
        """A step and the step back (down first at the upper end, e.g. the last page)."""
        up, down = el.get_by_test_id("stNumberInputStepUp"), el.get_by_test_id("stNumberInputStepDown")
        steps = [("step up", up), ("step down", down)]
        for name, button in steps if up.is_enabled() else steps[::-1]:
            self.step(c, name, button.click)

    def op_colorpicker(self, c: Control, el) -> None:
        el.locator("button").first.click()
        dialog = self.page.get_by_role("dialog").last
        field = dialog.locator("input").first
        field.wait_for(timeout=TIMEOUT_S * 1000)
        self.step(c, "colour #d55e00", lambda: (field.fill("#d55e00"), field.press("Enter")), rerun=False)
        self.page.keyboard.press("Escape")
        dialog.wait_for(state="hidden", timeout=TIMEOUT_S * 1000)

    def op_button(self, c: Control, el) -> None:
        """Pressed; a button that then reads differently (play/pause) is pressed again."""
        self.step(c, "press", lambda: el.locator("button").first.click())
        again = next((x for x in self.discover() if x.key and x.key == c.key), None)
        if again and again.label != c.label and not again.disabled:
            self.step(again, "press again", lambda: self.locate(again).locator("button").first.click())

    def op_formsubmitbutton(self, c: Control, el) -> None:
        self.step(c, "submit", lambda: el.locator("button").first.click(), rerun=True)

    def op_downloadbutton(self, c: Control, el) -> None:
        with self.page.expect_download(timeout=TIMEOUT_S * 1000) as download:
            self.step(c, "download", lambda: el.locator("button").first.click())  # it reruns, too
        size = len(open(download.value.path(), "rb").read())  # noqa: SIM115 - read at once
        assert size > 0, f"{self.page_name}: {c.label} downloaded an empty file"
        self.log[-1] = (*self.log[-1][:3], f"download {download.value.suggested_filename} ({size} bytes)")

    def op_fileuploader(self, c: Control, el) -> None:
        path = self.upload
        self.step(c, f"upload {path.name}", lambda: el.locator("input[type=file]").set_input_files(str(path)))

    def op_pagelink(self, c: Control, el) -> None:
        self.step(c, "follow", lambda: el.locator("a").first.click())
        self.back()

    def op_customcomponentv1(self, c: Control, el) -> None:
        """Maps: a click where the page listens for one (a place, or a feature for details)."""
        assert "streamlit_folium" in c.title, f"{self.page_name}: unknown component {c.title!r}"
        frame = el.locator("iframe").first.element_handle().content_frame()
        frame.wait_for_selector(".leaflet-container", timeout=TIMEOUT_S * 1000)
        returned, feature = frame.evaluate(MAP_JS)
        box = frame.locator(".leaflet-container").bounding_box()
        if "last_clicked" in returned:
            at, what = (box["width"] / 2, box["height"] / 2), "click the middle"
        elif feature and {"last_active_drawing", "last_object_clicked"} & set(returned):
            at, what = tuple(feature), "click a feature"
        else:
            self.log.append((self.page_name, "map", c.title, f"returns no clicks ({returned})"))
            return
        container = frame.locator(".leaflet-container")
        self.step(c, what, lambda: container.click(position={"x": at[0], "y": at[1]}))
