"""Which province or metropolitan city an article is about, from the place names in its
title and lead (the store keeps it per article as `articles.region`; coverage counts by it)."""

from __future__ import annotations

import re
from collections import Counter

UNKNOWN = "(미상)"
REGION_CHARS = 1500  # body characters read to place an article in a region

# The 17 provinces and metropolitan cities, with the spellings news uses. Ambiguous short forms
# are left out on purpose: 경기 alone is usually "the economy", 세종 alone the king.
REGIONS: dict[str, tuple[str, ...]] = {
    "서울": ("서울특별시", "서울시", "서울"),
    "부산": ("부산광역시", "부산시", "부산"),
    "대구": ("대구광역시", "대구시", "대구"),
    "인천": ("인천광역시", "인천시", "인천"),
    "광주": ("광주광역시", "광주시", "광주"),
    "대전": ("대전광역시", "대전시", "대전"),
    "울산": ("울산광역시", "울산시", "울산"),
    "세종": ("세종특별자치시", "세종시"),
    "경기": ("경기도", "경기지역", "경기 지역", "경기남부", "경기북부"),
    "강원": ("강원특별자치도", "강원도", "강원"),
    "충북": ("충청북도", "충북"),
    "충남": ("충청남도", "충남"),
    "전북": ("전북특별자치도", "전라북도", "전북자치도", "전북"),
    "전남": ("전라남도", "전남"),
    "경북": ("경상북도", "경북"),
    "경남": ("경상남도", "경남"),
    "제주": ("제주특별자치도", "제주도", "제주"),
}
# Cities and counties (시·군, with the suffix: bare 전주 is also "last week") of each region.
# Names shared by two regions (고성군, 광주시 in 경기) are left out.
LOCALITIES: dict[str, str] = {
    "경기": "수원시 성남시 의정부시 안양시 부천시 광명시 평택시 동두천시 안산시 고양시 과천시 구리시 "
            "남양주시 오산시 시흥시 군포시 의왕시 하남시 용인시 파주시 이천시 안성시 김포시 화성시 "
            "양주시 포천시 여주시 연천군 가평군 양평군",
    "강원": "춘천시 원주시 강릉시 동해시 태백시 속초시 삼척시 홍천군 횡성군 영월군 평창군 정선군 "
            "철원군 화천군 양구군 인제군 양양군",
    "충북": "청주시 충주시 제천시 보은군 옥천군 영동군 증평군 진천군 괴산군 음성군 단양군",
    "충남": "천안시 공주시 보령시 아산시 서산시 논산시 계룡시 당진시 금산군 부여군 서천군 청양군 "
            "홍성군 예산군 태안군",
    "전북": "전주시 군산시 익산시 정읍시 남원시 김제시 완주군 진안군 무주군 장수군 임실군 순창군 "
            "고창군 부안군",
    "전남": "목포시 여수시 순천시 나주시 광양시 담양군 곡성군 구례군 고흥군 보성군 화순군 장흥군 "
            "강진군 해남군 영암군 무안군 함평군 영광군 장성군 완도군 진도군 신안군",
    "경북": "포항시 경주시 김천시 안동시 구미시 영주시 영천시 상주시 문경시 경산시 의성군 청송군 "
            "영양군 영덕군 청도군 고령군 성주군 칠곡군 예천군 봉화군 울진군 울릉군",
    "경남": "창원시 진주시 통영시 사천시 김해시 밀양시 거제시 양산시 의령군 함안군 창녕군 남해군 "
            "하동군 산청군 함양군 거창군 합천군",
    "제주": "서귀포시",
    "부산": "기장군",
    "대구": "달성군 군위군",
    "인천": "강화군 옹진군",
    "울산": "울주군",
}
_REGION_OF = {form: region for region, forms in REGIONS.items() for form in forms}
_REGION_OF.update({name: region for region, names in LOCALITIES.items() for name in names.split()})
_REGION_RE = re.compile("|".join(sorted(map(re.escape, _REGION_OF), key=len, reverse=True)))


def region_of(title: str, body: str) -> str:
    """The province or metropolitan city an article is most about: the region named most often,
    directly or through one of its cities and counties (a title mention counts three times),
    ties going to the earliest; UNKNOWN when none."""
    scores: Counter[str] = Counter()
    first: dict[str, int] = {}
    for weight, text, offset in ((3, title or "", 0), (1, body or "", len(title or "") + 1)):
        for match in _REGION_RE.finditer(text):
            region = _REGION_OF[match.group(0)]
            scores[region] += weight
            first.setdefault(region, offset + match.start())
    if not scores:
        return UNKNOWN
    return min(scores, key=lambda r: (-scores[r], first[r]))


def article_region(title: str | None, body: str | None) -> str | None:
    """What `articles.region` holds: the region of the title and lead, None when none."""
    region = region_of(title or "", (body or "")[:REGION_CHARS])
    return None if region == UNKNOWN else region


def canonical_region(value: str) -> str | None:
    """The region a name denotes (전라북도, 전북특별자치도 → 전북; 익산시 → 전북), None if none."""
    if value in REGIONS:
        return value
    return _REGION_OF.get(value)
