"""Words a reader meets on each page: the text of the article of every built page.

    python bench/page_words.py site/                     # a built site
    python bench/page_words.py site/ --before old-site/   # compare two builds

Counts the words inside `<article>` of every `index.html` (navigation, header, footer and
script left out), so it measures the page as read, whatever the YAML behind it. Prints a
Markdown table of the largest pages, the median and the total; with `--before`, each page's
count in the other build beside it.
"""

from __future__ import annotations

import argparse
import re
import statistics
from html.parser import HTMLParser
from pathlib import Path


class _ArticleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.skip = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article" or self.depth:
            self.depth += 1
        if self.depth and tag in ("script", "style"):
            self.skip += 1

    def handle_endtag(self, tag: str) -> None:
        if self.depth and tag in ("script", "style"):
            self.skip -= 1
        if self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth and not self.skip:
            self.parts.append(data)


def page_words(site: Path) -> dict[str, int]:
    """Page URL (relative to the site root) → words in its article."""
    counts = {}
    for page in sorted(site.rglob("index.html")):
        url = page.parent.relative_to(site).as_posix()
        if url.startswith(("go/", "search")) or url == "go":
            continue
        parser = _ArticleText()
        parser.feed(page.read_text(encoding="utf-8"))
        words = len(re.findall(r"\w+(?:['’-]\w+)*", " ".join(parser.parts)))
        if words > 20:  # redirect stubs have no article text worth counting
            counts[(url + "/") if url != "." else "/"] = words
    return counts


def main() -> None:
    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=formatter)
    parser.add_argument("site", type=Path)
    parser.add_argument("--before", type=Path, help="another built site to compare with")
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args()
    after = page_words(args.site)
    before = page_words(args.before) if args.before else {}
    for name, counts in (("before", before), ("after", after)):
        if counts:
            values = sorted(counts.values())
            largest = max(counts, key=lambda url: counts[url])
            print(
                f"{name}: {len(values)} pages, {sum(values)} words, median {statistics.median(values):.0f}, "
                f"largest {largest} ({counts[largest]})"
            )
    print(f"\n| page | words{' | before' if before else ''} |\n|---|---|{'---|' if before else ''}")
    for url in sorted(after, key=lambda u: -after[u])[: args.top]:
        extra = f" | {before.get(url, '-')}" if before else ""
        print(f"| {url} | {after[url]}{extra} |")


if __name__ == "__main__":
    main()
