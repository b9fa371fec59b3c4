"""Module bodies as Markdown with `:::` blocks, to and from StreamField raw data.

Markdown is rendered by Python-Markdown with raw HTML switched off and links limited to
http(s), mailto and in-site targets, so a curriculum file cannot inject markup.
"""

import re
import uuid

import markdown
from markdown.treeprocessors import Treeprocessor
from markdownify import markdownify

from learning.catalogue import calculators

BLOCK_OPEN = re.compile(r"^:::([a-z_]+)(?:[ \t]+(.*))?$")
BLOCK_CLOSE = ":::"
CALLOUT_KINDS = ("tip", "note", "warning")
SAFE_HREF = re.compile(r"^(https?://|mailto:|/|#)", re.I)
ID_NAMESPACE = uuid.UUID("0f9b2c1e-7d4a-4c55-9a43-6a3f0d2b8e11")


class BodyError(ValueError):
    def __init__(self, line, reason):
        super().__init__(reason)
        self.line, self.reason = line, reason


class _SafeLinks(Treeprocessor):
    def run(self, root):
        for element in root.iter("a"):
            if not SAFE_HREF.match(element.get("href", "")):
                element.attrib.pop("href", None)
                element.tag = "span"
        for element in root.iter("img"):  # ![alt](javascript:...) too
            if not SAFE_HREF.match(element.get("src", "")):
                element.attrib.pop("src", None)


class _SafeMarkdown(markdown.extensions.Extension):
    def extendMarkdown(self, md):
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_SafeLinks(md), "safe_links", 0)


def to_html(text):
    html = markdown.markdown(text.strip(), extensions=[_SafeMarkdown()], output_format="html")
    return html.replace("<strong>", "<b>").replace("</strong>", "</b>").replace("<em>", "<i>").replace("</em>", "</i>")


def to_markdown(html):
    text = markdownify(html or "", heading_style="ATX", bullets="-", strong_em_symbol="*")
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def block_id(*parts):
    return str(uuid.uuid5(ID_NAMESPACE, "/".join(str(part) for part in parts)))


def parse(body, *, seed, first_line=1):
    """Markdown body -> StreamField raw data. Raises BodyError(line, reason) on a malformed block.

    `seed` (the module slug) makes block ids deterministic, so re-importing a file changes nothing.
    """
    blocks, text, current = [], [], None

    def flush_text():
        chunk = "\n".join(text).strip()
        if chunk:
            blocks.append({"type": "text", "value": to_html(chunk)})
        text.clear()

    for offset, line in enumerate(body.splitlines()):
        number = first_line + offset
        if current is None:
            match = BLOCK_OPEN.match(line.rstrip())
            if match:
                flush_text()
                current = {"name": match.group(1), "args": (match.group(2) or "").strip(), "line": number, "lines": []}
            elif line.strip() == BLOCK_CLOSE:
                raise BodyError(number, "':::' closes no block")
            else:
                text.append(line)
        elif line.rstrip() == BLOCK_CLOSE:
            blocks.append(_block(current))
            current = None
        elif BLOCK_OPEN.match(line.rstrip()):
            raise BodyError(
                number,
                f"block ':::{current['name']}' opened on line {current['line']} is not closed before another opens",
            )
        else:
            current["lines"].append(line)
    if current is not None:
        raise BodyError(current["line"], f"block ':::{current['name']}' is never closed with ':::'")
    flush_text()
    for index, block in enumerate(blocks):
        block["id"] = block_id(seed, index, block["type"])
    return blocks


def _block(raw):
    name, args, line, lines = raw["name"], raw["args"], raw["line"], raw["lines"]
    content = "\n".join(lines).strip()
    if name == "callout":
        kind, _, title = args.partition(" ")
        if kind not in CALLOUT_KINDS:
            raise BodyError(line, f"callout kind must be one of {', '.join(CALLOUT_KINDS)}, not '{kind}'")
        return {"type": "callout", "value": {"kind": kind, "title": title.strip(), "text": to_html(content)}}
    if name in ("example", "scenario"):
        return {"type": name, "value": {"title": args, "text": to_html(content)}}
    if name == "checklist":
        items = []
        for offset, item in enumerate(lines, start=1):
            if not item.strip():
                continue
            if not item.lstrip().startswith("- "):
                raise BodyError(line + offset, "checklist lines start with '- '")
            items.append({"type": "item", "value": item.strip()[2:].strip(), "id": block_id(line, offset)})
        if not items:
            raise BodyError(line, "checklist has no items")
        return {"type": "checklist", "value": {"title": args, "items": items}}
    if name == "terms":
        terms = []
        for offset, item in enumerate(lines, start=1):
            if not item.strip():
                continue
            term, colon, definition = item.partition(":")
            if not colon or not term.strip() or not definition.strip():
                raise BodyError(line + offset, "key terms are written 'Term: definition'")
            value = {"term": term.strip(), "definition": definition.strip()}
            terms.append({"type": "item", "value": value, "id": block_id(line, offset, term.strip())})
        if not terms:
            raise BodyError(line, "terms block has no terms")
        return {"type": "key_terms", "value": {"terms": terms}}
    if name == "calculator":
        return _calculator(args, line, lines)
    if name == "image":
        alt, _, caption = content.partition("\n\n")
        return {"type": "image", "value": {"image_title": args, "alt": alt.strip(), "caption": caption.strip()}}
    raise BodyError(
        line, f"unknown block ':::{name}' (callout, example, checklist, terms, scenario, image, calculator)"
    )


def _calculator(args, line, lines):
    """`:::calculator <kind> <title>` then one `input: value` line per worked-example figure."""
    kind, _, title = args.partition(" ")
    if kind not in calculators.KINDS:
        raise BodyError(line, f"calculator kind must be one of {', '.join(calculators.KINDS)}, not '{kind}'")
    known, inputs = dict(calculators.FIELDS[kind]), []
    for offset, item in enumerate(lines, start=1):
        if not item.strip():
            continue
        name, colon, text = (part.strip() for part in item.partition(":"))
        if not colon or name not in known:
            raise BodyError(
                line + offset, f"calculator '{kind}' inputs are written 'name: value', names: {', '.join(known)}"
            )
        try:
            calculators.parse_number(text)
        except ValueError:
            raise BodyError(line + offset, f"'{name}' needs a number, not '{text}'") from None
        inputs.append({"type": "item", "value": {"name": name, "value": text}, "id": block_id(line, offset, name)})
    return {"type": "calculator", "value": {"kind": kind, "title": title.strip(), "inputs": inputs}}


def render(stream):
    """StreamField value -> Markdown body, the inverse of parse()."""
    parts = []
    for block in stream:
        value = block.value
        if block.block_type == "text":
            parts.append(to_markdown(value.source))
        elif block.block_type == "callout":
            parts.append(
                f":::callout {value['kind']} {value['title']}".rstrip() + f"\n{to_markdown(value['text'].source)}\n:::"
            )
        elif block.block_type in ("example", "scenario"):
            parts.append(
                f":::{block.block_type} {value['title']}".rstrip() + f"\n{to_markdown(value['text'].source)}\n:::"
            )
        elif block.block_type == "checklist":
            items = "\n".join(f"- {item}" for item in value["items"])
            parts.append(f":::checklist {value['title']}".rstrip() + f"\n{items}\n:::")
        elif block.block_type == "key_terms":
            terms = "\n".join(f"{term['term']}: {term['definition']}" for term in value["terms"])
            parts.append(f":::terms\n{terms}\n:::")
        elif block.block_type == "calculator":
            inputs = "".join(f"\n{item['name']}: {item['value']}" for item in value["inputs"])
            parts.append(f":::calculator {value['kind']} {value['title']}".rstrip() + f"{inputs}\n:::")
        elif block.block_type == "image":
            caption = f"\n\n{value['caption']}" if value["caption"] else ""
            parts.append(f":::image {value['image'].title if value['image'] else ''}\n{value['alt']}{caption}\n:::")
    return "\n\n".join(parts) + "\n"
