"""Build the benchmark corpora from ../shared/data as JSON Lines feeds Lede can index.

    python bench/corpus.py                 # bench/out/real.jsonl (~22.9k real articles)
    python bench/corpus.py --synthetic 100000   # also bench/out/synthetic-100000.jsonl

real.jsonl holds every article of three public sets, unchanged in wording:
BBC News (2,225; section from its folder; no dates in the set), BuzzFeed-Webis
2016 (1,627 from 9 outlets; section and date read from the URL path where it
names them), Reuters-21578 (the 19,043 stories with a body; section = first
topic label, date from the record). Metadata the data does not give is left
out, never invented (Lede shows it as "unknown").

The synthetic feed recombines real paragraphs: each article takes the
metadata and title of a real one and a body of paragraphs drawn at random
(seeded, so every run makes the same feed) from real articles of the same
section. It is for scale tests only; say so wherever its figures appear.
"""
from __future__ import annotations

import argparse
import csv
import html
import json
import random
import re
import sys
import urllib.parse
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))

from index.extract.metadata import headline_case, normal_section  # noqa: E402 — "Texaco's", not "Texaco'S"; sections as indexed

BUZZFEED_OUTLETS = {
    "politico": "Politico", "cnn": "CNN", "right-wing-news": "Right Wing News",
    "eagle-rising": "Eagle Rising", "addicting-info": "Addicting Info", "freedom-daily": "Freedom Daily",
    "abc": "ABC News", "occupy-democrats": "Occupy Democrats", "the-other-98": "The Other 98%",
}
# URL path segments that say nothing about the section (story/article containers).
GENERIC_SEGMENTS = {"story", "stories", "article", "articles", "i", "web", "blogs", "amp", "index.html"}


def bbc(data: Path):
    for path in sorted((data / "bbc-news").glob("*/*.txt")):
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("latin-1")  # sport/199.txt, per the data's manifest
        title, _, body = text.strip().partition("\n")
        yield {"id": f"bbc-{path.parent.name}-{path.stem}", "url": "", "outlet": "BBC News",
               "section": path.parent.name.capitalize(), "title": title.strip(), "text": body.strip()}


def buzzfeed_section_and_date(url: str) -> tuple[str | None, str | None]:
    parts = [p for p in urllib.parse.urlparse(url).path.split("/") if p]
    match = re.search(r"/(20\d\d)/(\d\d)/(\d\d)/", urllib.parse.urlparse(url).path)
    published = "-".join(match.groups()) if match else None
    for part in parts[:-1]:  # the last segment is the story's slug
        if part.isdigit() or part.lower() in GENERIC_SEGMENTS:
            continue
        return normal_section(part.replace("-", " ")), published
    return None, published


def buzzfeed(data: Path):
    folder = data / "buzzfeed-webis-2016"
    with open(folder / "overview.csv", newline="", encoding="utf-8") as fh:
        urls = {row["XML"]: html.unescape(row["url"]) for row in csv.DictReader(fh)}
    for path in sorted((folder / "articles").glob("*.xml")):
        root = ET.parse(path).getroot()
        main = root.findtext("mainText") or ""
        spans = [(int(p.findtext("start")), int(p.findtext("end"))) for p in root.findall("paragraph")]
        paragraphs = [main[s:e].strip() for s, e in spans] if spans else [main]
        text = "\n\n".join(p for p in paragraphs if p)
        if not text.strip():
            continue  # 23 articles of this set have no text
        url = urls.get(path.name) or (root.findtext("uri") or "")
        section, published = buzzfeed_section_and_date(url)
        item = {"id": f"buzzfeed-{path.stem}", "url": url,
                "outlet": BUZZFEED_OUTLETS.get(root.findtext("portal"), root.findtext("portal") or ""),
                "title": (root.findtext("title") or "").strip(), "byline": (root.findtext("author") or "").strip(),
                "text": text}
        if section:
            item["section"] = section
        if published:
            item["published"] = published
        yield item


def reuters_paragraphs(body: str) -> str:
    body = re.sub(r"\s*Reuter\s*(&#3;)?\s*$", "", body.strip())
    paragraphs = re.split(r"\n {2,}", body)
    return "\n\n".join(" ".join(p.split()) for p in paragraphs if p.strip())


def reuters(data: Path):
    for path in sorted((data / "reuters21578" / "json-data").glob("*.json")):
        with open(path, encoding="utf-8") as fh:
            records = json.load(fh)
        for record in records:
            if not record.get("body"):
                continue
            item = {"id": f"reuters-{record['attrs']['newid']}", "url": "", "outlet": "Reuters",
                    "title": headline_case(html.unescape((record.get("title") or "").strip())),
                    "text": html.unescape(reuters_paragraphs(record["body"]))}
            if record.get("topics"):
                item["section"] = normal_section(record["topics"][0].replace("-", " "))
            try:
                item["published"] = datetime.strptime(record["date"].split()[0], "%d-%b-%Y").date().isoformat()
            except (KeyError, ValueError, IndexError):
                pass
            yield item


def real_articles(data: Path = DATA) -> list[dict]:
    if not data.is_dir():
        sys.exit(f"error: {data} not found — the benchmark corpora are built from ../shared/data")
    return [*bbc(data), *buzzfeed(data), *reuters(data)]


def synthetic(articles: list[dict], count: int, seed: int = 20200101) -> list[dict]:
    rng = random.Random(seed)
    by_section: dict[str, list[str]] = {}
    for a in articles:
        by_section.setdefault(a.get("section", ""), []).extend(a["text"].split("\n\n"))
    out = []
    for n in range(count):
        template = articles[n % len(articles)]
        pool = by_section[template.get("section", "")]
        length = max(1, len(template["text"].split("\n\n")))
        body = [pool[rng.randrange(len(pool))] for _ in range(length)]
        out.append({**template, "id": f"synthetic-{n:06d}", "text": "\n\n".join(body)})
    return out


def write_feed(path: Path, articles: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        for a in articles:
            fh.write(json.dumps(a, ensure_ascii=False) + "\n")
    tmp.replace(path)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT, help="output folder (default bench/out)")
    parser.add_argument("--synthetic", type=int, default=0, metavar="N",
                        help="also write N recombined articles to synthetic-N.jsonl")
    args = parser.parse_args(argv)
    articles = real_articles()
    write_feed(args.out / "real.jsonl", articles)
    print(f"{len(articles)} real articles → {args.out / 'real.jsonl'}")
    if args.synthetic:
        path = args.out / f"synthetic-{args.synthetic}.jsonl"
        write_feed(path, synthetic(articles, args.synthetic))
        print(f"{args.synthetic} recombined articles → {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
