"""Mine selection, award, certification and funding sentences from text other people wrote,
for hand labelling of programme names (tests/data/programmes/).

A sentence is taken when its predicate states a selection, prize, certificate or grant
(선정됐다, 수상했다, 인증을 받았다, 지원받았다 …) — never by what newsmine predicts, so the
set is not biased toward what the programme finder already reads. Sources: the KLUE-NER
train news sentences (../shared/data/klue-raw), Korean Wikinews (../shared/data/wikinews),
the saved real pages of data/replay, the real press releases and official documents of
../shared/data/press-attachments, and the news sentences of UD Korean-Kaist.

The split is fixed by the source document, as for tests/data/realtext: `dev` when the first
byte of sha1(doc) is even, `test` otherwise.

    python bench/programmes/mine.py --out /tmp/programme-candidates.jsonl
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.realtext.mine import SHARED, sentences, split_of  # noqa: E402

# A predicate that states a selection, an award, a certificate or money received as done.
DONE = re.compile(
    r"선정(됐|되었|돼|되어|된|되는|했|하였|한)|뽑혔|뽑힌|지정(됐|되었|돼|되어|된|받)|"
    r"수상(했|하였|한|해|하며|하는)|상을 (받|수상|차지|거머)|상(에|으로) (선정|뽑)|대상을 (받|차지|수상)|표창을 받|"
    r"인증[을를]?\s?(획득|받|취득|통과)|인증(받|획득)|"
    r"지원(을 받|받)|사업비를 지원받|자금을 지원받|사업에 (선정|참여|뽑)|이름을 올렸"
)
# What a programme, prize or certificate looks like; a sentence needs one of these too.
NAMED = re.compile(r"상[을은이에과]|상\b|사업|인증|기업|프로그램|과제|대회|공모|어워드|시상식|['‘’\"“”「」]|지정")


def _rows(pairs: list[tuple[str, str, str, str | None, str | None]]) -> list[dict]:
    out = []
    for sid, doc, source, url, text in pairs:
        out.append({"id": sid, "doc": doc, "source": source, "url": url, "text": text, "split": split_of(doc)})
    return out


def klue() -> list[dict]:
    found = []
    for line in (SHARED / "klue-raw" / "train-news-sentences.tsv").read_text(encoding="utf-8").splitlines():
        sid, text = line.split("\t", 1)
        if DONE.search(text) and NAMED.search(text):
            found.append((f"klue:{sid}", f"klue:{sid}", "klue-raw", None, text))
    return _rows(found)


def wikinews() -> list[dict]:
    csv.field_size_limit(10**9)
    found = []
    with (SHARED / "wikinews" / "wikinews.csv").open(encoding="utf-8") as handle:
        for article in csv.DictReader(handle):
            doc = "wikinews:" + article["출처"].rsplit("/", 1)[-1]
            for k, sentence in enumerate(sentences(article["내용"])):
                if DONE.search(sentence) and NAMED.search(sentence):
                    found.append((f"{doc}#{k}", doc, "wikinews", article["출처"], sentence))
    return _rows(found)


def pages() -> list[dict]:
    """Sentences of the saved real pages of data/replay (bodies as newsmine extracts them)."""
    from pipelines.extract import extract_article

    found = []
    with (ROOT / "data" / "replay" / "MANIFEST.tsv").open(encoding="utf-8") as handle:
        for entry in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            if entry["kind"] != "article" or "private/" in entry["url"]:
                continue
            try:
                article = extract_article((ROOT / "data" / "replay" / entry["file"]).read_bytes(), entry["url"])
            except Exception:   # noqa: BLE001 - a page that does not extract gives no sentences
                continue
            doc = "page:" + entry["file"]
            for k, sentence in enumerate(sentences(article.body)):
                if DONE.search(sentence) and NAMED.search(sentence):
                    found.append((f"{doc}#{k}", doc, "html-samples", entry["url"], sentence))
    return _rows(found)


def press() -> list[dict]:
    """Sentences of the real press releases and official documents (HWP, HWPX)."""
    from pipelines.documents import read_document

    found = []
    for path in sorted((SHARED / "press-attachments").iterdir()):
        if path.name.startswith("edge_") or path.suffix not in (".hwp", ".hwpx"):   # PDF lines break sentences
            continue
        try:
            document = read_document(path.read_bytes())
        except Exception:   # noqa: BLE001 - an unreadable file gives no sentences
            continue
        doc = "press:" + path.stem
        for k, sentence in enumerate(sentences(document.body)):
            if DONE.search(sentence) and NAMED.search(sentence) and "\n" not in sentence.strip():
                found.append((f"{doc}#{k}", doc, "press-attachments", path.name, sentence))
    return _rows(found)


def ud() -> list[dict]:
    """News sentences of UD Korean-Kaist dev and test."""
    found = []
    for name in ("ko_kaist-ud-dev.conllu", "ko_kaist-ud-test.conllu"):
        conllu = (SHARED / "ud-korean" / name).read_text(encoding="utf-8")
        for sent_id, text in re.findall(r"^# sent_id = (\S+)\n# text = (.*)$", conllu, flags=re.M):
            if DONE.search(text) and NAMED.search(text):
                found.append((f"ud:{sent_id}", "ud:" + sent_id.split("-")[0], "ud-korean", None, text.strip()))
    return _rows(found)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    rows = list({row["text"]: row for row in reversed(klue() + wikinews() + pages() + press() + ud())}.values())
    rows.reverse()                       # each text once, where it first occurs
    args.out.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    print(f"{len(rows)} sentences -> {args.out}")


if __name__ == "__main__":
    main()
