"""What a reader sees of a page's text: every visible text's font size and its contrast ratio
(WCAG 2.1) against the backgrounds behind it, computed in the browser (icon ligatures such as
Material icons' "print" are glyphs, not text, and left out)."""

from __future__ import annotations

# Colours are composed the way the browser paints them: the text colour (times the opacity of
# every ancestor) over the stack of background colours up to the first opaque one (else white).
VISIBLE_TEXTS_JS = """() => {
    const rgba = s => (s.match(/[\\d.]+/g) || [0, 0, 0, 0]).map(Number).concat([1]).slice(0, 4);
    const over = (top, bottom) => {
        const a = top[3] + bottom[3] * (1 - top[3]);
        if (!a) return [255, 255, 255, 0];
        return [0, 1, 2].map(i => (top[i] * top[3] + bottom[i] * bottom[3] * (1 - top[3])) / a).concat([a]);
    };
    const channel = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    const luminance = c => 0.2126 * channel(c[0]) + 0.7152 * channel(c[1]) + 0.0722 * channel(c[2]);
    const behind = el => {
        let colour = [0, 0, 0, 0];
        for (let e = el; e; e = e.parentElement) {
            colour = over(colour, rgba(getComputedStyle(e).backgroundColor));
            if (colour[3] >= 1) return colour;
        }
        return over(colour, [255, 255, 255, 1]);
    };
    const texts = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const el = node.parentElement, text = node.textContent.trim();
        if (!text || !el || ['SCRIPT', 'STYLE', 'NOSCRIPT'].includes(el.tagName)) continue;
        if (el.closest('[data-testid=stIconMaterial]')) continue;  // an icon's ligature, not text
        if (!el.checkVisibility({opacityProperty: true, visibilityProperty: true})) continue;
        const box = el.getBoundingClientRect();
        if (box.width < 1 || box.height < 1) continue;
        let opacity = 1;
        for (let e = el; e; e = e.parentElement) opacity *= Number(getComputedStyle(e).opacity);
        const style = getComputedStyle(el), ground = behind(el), fg = rgba(style.color);
        const shown = over([fg[0], fg[1], fg[2], fg[3] * opacity], ground);
        const [hi, lo] = [luminance(shown), luminance(ground)].sort((a, b) => b - a);
        texts.push({text: text.slice(0, 60), px: parseFloat(style.fontSize),
                    contrast: Math.round((hi + 0.05) / (lo + 0.05) * 100) / 100});
    }
    return texts;
}"""


def visible_texts(frame) -> list[dict]:
    """``{"text", "px", "contrast"}`` of every visible text in `frame` (a page or an iframe)."""
    return frame.evaluate(VISIBLE_TEXTS_JS)
