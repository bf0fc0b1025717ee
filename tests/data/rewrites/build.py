"""Writes this archive's pages, its HWPX release file, MANIFEST.tsv and GOLD.tsv from the texts
below (all written for newsmine's release-tracing tests; the county, firms and outlets are
fictional). Run it after changing a text: `python tests/data/rewrites/build.py`.

GOLD.tsv says which release each news article rewrites (empty: none).
"""

from __future__ import annotations

import html
import io
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
BOARD = "https://www.example-gun.go.kr/board/press/view.do?bbsId=PRESS&nttId={}"
LIST = "https://www.example-gun.go.kr/board/press/list.do?bbsId=PRESS"
FILE = "https://www.example-gun.go.kr/cmm/fms/FileDown.do?atchFileId=FILE_000000002021&fileSn=0"
OUTLETS = {
    "news.example-daily.kr": "예시일보",
    "www.example-times.kr": "예시타임즈",
    "www.example-economy.kr": "예시경제",
    "www.example-tv.kr": "예시TV",
}

# ------------------------------------------------------------------ the releases
RELEASES = {
    201: {
        "date": "2025-04-01T10:00:00+09:00",
        "title": "예시군 ㈜한빛푸드, 베트남에 김치 120만 달러 수출 계약",
        "header": ["보도시점 : 2025. 4. 1.(화) 10:00", "담당부서 | 농식품유통과",
                   "담당자 | 주무관 박민수 (063-530-1234)"],
        "body": [
            "예시군(군수 김예시)은 지역 식품기업인 ㈜한빛푸드가 베트남 대형 유통업체 사이공마트와 120만 달러 규모의 김치 수출 계약을 맺었다고 1일 밝혔다.",
            "이번 계약에 따라 ㈜한빛푸드는 올해 5월부터 1년 동안 포기김치와 깍두기 등 300톤을 호찌민과 하노이의 매장 40곳에 공급한다.",
            "㈜한빛푸드는 2018년 예시군 농공단지에 문을 연 뒤 지역에서 기른 배추와 고춧가루만으로 김치를 만들어 왔다.",
            "회사는 지난해 군의 수출 유망기업 지원 사업에 선정돼 현지 박람회 참가와 할랄·위생 인증 비용을 지원받았다.",
            "군은 이번 수출로 지역 배추 농가의 판로가 넓어지고 농공단지 일자리도 늘어날 것으로 내다봤다.",
            "김예시 군수는 \"지역 농산물로 만든 김치가 동남아 시장에서 인정받은 것은 농가와 기업이 함께 이룬 성과\"라며 \"수출기업이 더 늘어나도록 물류비와 인증 비용 지원을 확대하겠다\"고 말했다.",
            "군은 올해 하반기에 동남아 바이어 초청 상담회를 열어 지역 식품기업의 수출 계약을 추가로 이끌어낼 계획이다.",
        ],
    },
    202: {  # a stub page: the release is the attached HWPX file
        "date": "2025-04-03T14:00:00+09:00",
        "title": "예시군, ㈜솔빛에너지와 250억 원 규모 태양광 부품 공장 투자협약",
        "file_name": "솔빛에너지 투자협약 보도자료.hwpx",
        "header": ["보 도 자 료", "보도시점 : 2025. 4. 3.(목) 14:00", "담당부서 | 투자유치과",
                   "담당자 | 주무관 이수진 (063-530-2345)"],
        "body": [
            "예시군(군수 김예시)은 3일 군청 대회의실에서 ㈜솔빛에너지와 태양광 인버터 부품 공장을 짓는 250억 원 규모의 투자협약을 맺었다.",
            "㈜솔빛에너지는 예시 제2일반산업단지 3만3천 제곱미터 부지에 내년 말까지 생산 공장을 세우고 지역 주민 80명을 새로 채용한다.",
            "공장이 가동되면 연간 인버터 부품 20만 개를 만들어 국내 태양광 발전소와 해외 설치업체에 공급하게 된다.",
            "군은 공장 설립에 필요한 인허가를 빠르게 처리하고 기반 시설 조성과 보조금 지원에 협조하기로 했다.",
            "㈜솔빛에너지는 2015년 경기도 화성에서 설립된 전력변환장치 전문기업으로, 지난해 매출 620억 원을 올렸다.",
            "김예시 군수는 \"신재생에너지 기업 유치로 산업단지에 활력이 돌 것\"이라며 \"기업이 안정적으로 자리 잡도록 행정 지원을 아끼지 않겠다\"고 말했다.",
        ],
    },
    203: {
        "date": "2025-04-10T09:00:00+09:00",
        "title": "예시군, 청년 창업기업 15곳 선정해 최대 3천만 원 지원",
        "header": ["보도시점 : 2025. 4. 10.(목) 09:00", "담당부서 | 일자리경제과",
                   "담당자 | 주무관 정다은 (063-530-3456)"],
        "body": [
            "예시군(군수 김예시)은 올해 청년 창업 지원 사업 대상으로 ㈜다온랩 등 청년 창업기업 15곳을 선정했다고 10일 밝혔다.",
            "선정된 기업은 사업화 자금을 최대 3천만 원까지 지원받고, 군 창업보육센터 사무실을 2년 동안 무료로 쓸 수 있다.",
            "올해 사업에는 모두 64개 기업이 신청해 4.3대 1의 경쟁률을 보였다.",
            "선정 기업은 스마트농업, 지역 관광 콘텐츠, 친환경 포장재 등 지역 자원을 활용한 분야가 많았다.",
            "이 가운데 ㈜다온랩은 농가의 토양 자료를 분석해 비료 사용량을 줄여 주는 서비스를 개발해 높은 점수를 받았다.",
            "군은 선정 기업을 대상으로 세무·회계 교육과 투자 유치 설명회를 열어 창업 초기의 어려움을 덜어줄 계획이다.",
        ],
    },
}

# ------------------------------------------------------------------ the news articles
# (key, host, date, title, paragraphs, release it rewrites or None)
ARTICLES = [
    ("a1a", "news.example-daily.kr", "2025-04-01T15:20:00+09:00",
     "한빛푸드, 베트남 사이공마트와 120만 달러 김치 수출 계약", [
         "예시군 지역 식품기업인 ㈜한빛푸드가 베트남 대형 유통업체 사이공마트와 120만 달러 규모의 김치 수출 계약을 맺었다고 예시군이 1일 밝혔다.",
         "이번 계약에 따라 ㈜한빛푸드는 오는 5월부터 1년 동안 포기김치와 깍두기 등 300톤을 호찌민과 하노이 매장 40곳에 공급한다.",
         "㈜한빛푸드는 2018년 예시군 농공단지에 문을 연 뒤 지역에서 기른 배추와 고춧가루만으로 김치를 만들어 왔다.",
         "회사는 지난해 군의 수출 유망기업 지원 사업에 선정돼 현지 박람회 참가와 할랄·위생 인증 비용을 지원받았다.",
         "군은 이번 수출로 지역 배추 농가의 판로가 넓어지고 농공단지 일자리도 늘어날 것으로 내다봤다.",
     ], 201),
    ("a1b", "www.example-times.kr", "2025-04-02T09:00:00+09:00",
     "예시군 김치, 베트남 간다…한빛푸드 300톤 수출", [
         "예시군의 김치 제조업체 ㈜한빛푸드가 베트남 유통업체 사이공마트에 1년간 김치 300톤을 공급하는 120만 달러 규모의 계약을 체결했다.",
         "공급은 5월부터 시작되며 포기김치와 깍두기가 호찌민과 하노이의 매장 40곳에 들어간다.",
         "㈜한빛푸드는 2018년 예시군 농공단지에 문을 연 뒤 지역에서 기른 배추와 고춧가루만으로 김치를 만들어 왔다.",
         "이 회사의 지난해 매출은 85억 원으로, 올해는 수출 물량을 더해 110억 원을 목표로 하고 있다.",
         "최은영 ㈜한빛푸드 대표는 “현지 소비자 입맛에 맞춘 덜 매운 김치를 따로 개발한 것이 계약으로 이어졌다”며 “내년에는 태국과 말레이시아에도 진출하겠다”고 말했다.",
         "군은 이번 수출로 지역 배추 농가의 판로가 넓어지고 농공단지 일자리도 늘어날 것으로 내다봤다.",
     ], 201),
    ("a1c", "www.example-economy.kr", "2025-04-04T11:30:00+09:00",
     "[지역기업] 한빛푸드 김치 베트남 수출…운송은 바다유통이 맡아", [
         "예시군 ㈜한빛푸드가 베트남 유통업체 사이공마트와 120만 달러 규모의 김치 수출 계약을 맺었다.",
         "포기김치와 깍두기 등 300톤을 1년 동안 현지 매장 40곳에 공급하는 조건이다.",
         "수출 물량의 냉장 운송은 부산의 물류기업 ㈜바다유통이 맡기로 했다.",
         "김예시 군수는 \"지역 농산물로 만든 김치가 동남아 시장에서 인정받은 것은 농가와 기업이 함께 이룬 성과\"라고 말했다.",
     ], 201),
    ("n1", "www.example-economy.kr", "2025-04-05T10:00:00+09:00",
     "한빛푸드, 김치 공장 해썹 인증 획득", [
         "예시군 농공단지에 있는 ㈜한빛푸드가 김치 생산 공장에 대해 식품안전관리인증기준(HACCP) 인증을 받았다고 5일 밝혔다.",
         "회사는 지난 1년 동안 12억 원을 들여 세척과 절임 공정을 자동화하고 작업장 위생 설비를 새로 갖췄다.",
         "이번 인증으로 학교 급식과 공공기관 납품 입찰에 참여할 수 있게 됐다.",
         "최은영 대표는 \"위생 관리 수준을 높여 국내 단체급식 시장 점유율을 늘리겠다\"고 말했다.",
     ], None),
    ("a2a", "news.example-daily.kr", "2025-04-03T18:00:00+09:00",
     "예시군-솔빛에너지, 250억 원 태양광 부품 공장 투자협약", [
         "예시군은 3일 군청 대회의실에서 ㈜솔빛에너지와 태양광 인버터 부품 공장을 짓는 250억 원 규모의 투자협약을 맺었다.",
         "㈜솔빛에너지는 예시 제2일반산업단지 3만3천 제곱미터 부지에 내년 말까지 생산 공장을 세우고 지역 주민 80명을 새로 채용한다.",
         "공장이 가동되면 연간 인버터 부품 20만 개를 만들어 국내 태양광 발전소와 해외 설치업체에 공급하게 된다.",
         "군은 공장 설립에 필요한 인허가를 빠르게 처리하고 기반 시설 조성과 보조금 지원에 협조하기로 했다.",
         "김예시 군수는 \"신재생에너지 기업 유치로 산업단지에 활력이 돌 것\"이라며 \"기업이 안정적으로 자리 잡도록 행정 지원을 아끼지 않겠다\"고 말했다.",
     ], 202),
    ("a2b", "www.example-tv.kr", "2025-04-07T19:30:00+09:00",
     "예시군에 태양광 인버터 부품 공장 들어선다", [
         "예시군에 태양광 인버터 부품 공장이 들어선다.",
         "예시군은 ㈜솔빛에너지와 250억 원을 투입해 예시 제2일반산업단지에 부품 공장을 짓는 투자협약을 맺었다고 밝혔다.",
         "㈜솔빛에너지는 내년 말까지 생산 공장을 세우고 지역 주민 80명을 새로 채용할 계획이다.",
         "공장 건설은 지역 건설사인 ㈜한결건설이 맡는다.",
         "회사는 공장 옆에 30억 원을 들여 기술연구소도 함께 짓기로 했다.",
         "박준호 ㈜솔빛에너지 대표는 “예시군의 빠른 인허가 지원이 투자 결정에 큰 힘이 됐다”고 말했다.",
     ], 202),
    ("a3a", "www.example-times.kr", "2025-04-11T08:40:00+09:00",
     "예시군 청년 창업기업 15곳 선정…다온랩 등 최대 3천만 원", [
         "예시군이 올해 청년 창업 지원 사업 대상으로 ㈜다온랩 등 청년 창업기업 15곳을 선정했다.",
         "선정된 기업은 사업화 자금을 최대 3천만 원까지 지원받고, 군 창업보육센터 사무실을 2년 동안 무료로 쓸 수 있다.",
         "올해 사업에는 모두 64개 기업이 신청해 4.3대 1의 경쟁률을 보였다.",
         "군은 선정 기업을 대상으로 세무·회계 교육과 투자 유치 설명회를 열어 창업 초기의 어려움을 덜어줄 계획이다.",
         "한지우 ㈜다온랩 대표는 “농가가 비료값을 아낄 수 있도록 서비스를 더 다듬겠다”고 말했다.",
     ], 203),
    ("a3b", "www.example-economy.kr", "2025-04-14T13:10:00+09:00",
     "청년 창업 15곳에 사업화 자금…예시군, 창업보육센터도 무료 제공", [
         "예시군 청년 창업 지원 사업에 ㈜다온랩 등 15곳이 뽑혔다.",
         "이들 기업은 최대 3천만 원의 사업화 자금과 함께 군 창업보육센터 사무실을 2년 동안 무료로 쓴다.",
         "이 가운데 ㈜다온랩은 농가의 토양 자료를 분석해 비료 사용량을 줄여 주는 서비스를 개발해 높은 점수를 받았다.",
         "올해 사업의 총사업비는 4억5천만 원이다.",
     ], 203),
    ("u1", "news.example-daily.kr", "2025-04-02T11:00:00+09:00",
     "예시군 벚꽃축제 5일 개막…섬진강변 3km 꽃길", [
         "예시군은 5일부터 이틀 동안 섬진강변 체육공원 일대에서 벚꽃축제를 연다고 2일 밝혔다.",
         "축제 기간에는 3km 꽃길을 따라 걷는 행사와 지역 농특산물 장터, 청소년 공연이 이어진다.",
         "군은 방문객 편의를 위해 임시 주차장 4곳과 셔틀버스를 운영한다.",
     ], None),
    ("u2", "www.example-times.kr", "2025-04-08T15:00:00+09:00",
     "미래소재, 충남 공장에 2차전지 소재 라인 증설", [
         "2차전지 소재 기업 ㈜미래소재가 충남 당진 공장에 양극재 생산 라인을 증설한다고 8일 밝혔다.",
         "회사는 400억 원을 들여 연간 생산 능력을 2만 톤으로 늘리고 직원 120명을 더 뽑을 계획이다.",
         "증설 라인은 내년 상반기에 가동된다.",
     ], None),
    ("u3", "www.example-tv.kr", "2025-04-12T17:00:00+09:00",
     "예시군의회, 추가경정예산안 심의 시작", [
         "예시군의회는 12일부터 예시군이 제출한 310억 원 규모의 제1회 추가경정예산안 심의에 들어갔다.",
         "추경안에는 농로 포장과 하천 정비 사업비, 청년 창업 지원 사업비 5억 원, 노인 일자리 예산이 담겼다.",
         "의회는 오는 18일 본회의에서 추경안을 의결할 예정이다.",
     ], None),
]

PAGE = """<!DOCTYPE html>
<html lang="ko">
<head>
<meta charset="utf-8">
<title>{title} | {site}</title>
<meta property="og:title" content="{title}">
<meta property="og:site_name" content="{site}">
<meta property="article:published_time" content="{date}">
</head>
<body>
<header id="header"><a href="/">{site}</a></header>
<div id="container">
  <article class="{cls}">
    <h1 class="title">{title}</h1>
    <p class="info">입력 {stamp}</p>
    <div class="view_cont">
{paragraphs}
    </div>
{files}  </article>
</div>
<footer id="footer">{site} (가상의 기관: 시험용 사이트)</footer>
</body>
</html>
"""


def page(title: str, site: str, date: str, paragraphs: list[str], cls: str, files: str = "") -> str:
    stamp = date[:16].replace("-", ".").replace("T", " ")
    body = "\n".join(f"      <p>{html.escape(p, quote=False)}</p>" for p in paragraphs)
    return PAGE.format(title=html.escape(title), site=html.escape(site), date=date, stamp=stamp,
                       paragraphs=body, cls=cls, files=files)


def hwpx(lines: list[str]) -> bytes:
    """A minimal HWPX (OWPML zip): mimetype first and stored, one section of paragraphs."""
    ns = 'xmlns:hs="http://www.hancom.co.kr/hwpml/2011/section" xmlns:hp="http://www.hancom.co.kr/hwpml/2011/paragraph"'
    paras = "".join(f'<hp:p><hp:run><hp:t>{html.escape(line, quote=False)}</hp:t></hp:run></hp:p>' for line in lines)
    section = f'<?xml version="1.0" encoding="UTF-8"?><hs:sec {ns}>{paras}</hs:sec>'
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype", (2025, 4, 3, 14, 0, 0)), "application/hwp+zip",
                         compress_type=zipfile.ZIP_STORED)
        for name, text in (("version.xml", '<?xml version="1.0" encoding="UTF-8"?><hv:HCFVersion xmlns:hv="http://www.hancom.co.kr/hwpml/2011/version" major="5" minor="1"/>'),
                           ("Contents/section0.xml", section)):
            archive.writestr(zipfile.ZipInfo(name, (2025, 4, 3, 14, 0, 0)), text, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def main() -> None:
    rows = [("list.html", LIST, "list", "utf-8", "보도자료 목록", "", "board list written for the tracing tests")]
    links = []
    for ntt, release in RELEASES.items():
        name = f"view_{ntt}.html"
        files = ""
        if "file_name" in release:
            paragraphs = ["붙임 보도자료를 참고하시기 바랍니다."]
            files = (f'    <div class="file_list"><strong>첨부파일</strong><ul><li><a href="{html.escape(FILE[len("https://www.example-gun.go.kr"):])}">'
                     f'{html.escape(release["file_name"])}</a></li></ul></div>\n')
            (HERE / f"release_{ntt}.hwpx").write_bytes(hwpx([*release["header"], release["title"], *release["body"]]))
        else:
            paragraphs = [*release["header"], *release["body"]]
        (HERE / name).write_text(page(release["title"], "예시군청", release["date"], paragraphs, "board_view", files),
                                 encoding="utf-8")
        rows.append((name, BOARD.format(ntt), "article", "utf-8", release["title"], release["date"],
                     "press release written for the tracing tests"))
        if "file_name" in release:
            rows.append((f"release_{ntt}.hwpx", FILE, "attachment", "", release["file_name"], "",
                         "HWPX written by build.py from the release text"))
        links.append(f'<li><a href="/board/press/view.do?bbsId=PRESS&amp;nttId={ntt}">{html.escape(release["title"])}</a></li>')
    (HERE / "list.html").write_text(
        "<!DOCTYPE html>\n<html lang=\"ko\"><head><meta charset=\"utf-8\"><title>보도자료 | 예시군청</title></head>\n"
        f"<body><h1>보도자료</h1><ul>\n{chr(10).join(links)}\n</ul></body></html>\n", encoding="utf-8")
    gold = [("url", "release_url", "key")]
    for key, host, date, title, paragraphs, release in ARTICLES:
        name = f"{key}.html"
        url = f"https://{host}/news/articleView.html?idxno={key}"
        (HERE / name).write_text(page(title, OUTLETS[host], date, paragraphs, "article_view"), encoding="utf-8")
        rows.append((name, url, "article", "utf-8", title, date, "news article written for the tracing tests"))
        gold.append((url, BOARD.format(release) if release else "", key))
    header = ("file", "url", "kind", "encoding", "title", "date", "notes")
    with (HERE / "MANIFEST.tsv").open("w", encoding="utf-8") as handle:
        for row in (header, *rows):
            handle.write("\t".join(row) + "\n")
    with (HERE / "GOLD.tsv").open("w", encoding="utf-8") as handle:
        for row in gold:
            handle.write("\t".join(row) + "\n")


if __name__ == "__main__":
    main()
