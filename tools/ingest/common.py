"""Constants, limits, the raw parsed table and small helpers shared by the ingestion steps.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa

from core.text import Msg
from tools.errors import IngestError

MB = 1024 * 1024
SAMPLE_BYTES = 64 * 1024
HEADER_SCAN = 20
MAX_LISTED = 20

CSV_EXTS = (".csv", ".txt", ".tsv")
WORKBOOK_EXTS = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
DELIMITERS = (",", "\t", ";", "|")

NA = ["", "na", "n/a", "nan", "null", "none", "-", "--", "—", "–"]
_TOTAL = r"(?:grand ?total|sub ?-?total|total|合计|总计|小计|合計|總計|小計|汇总|彙總|總和|总和)"
TOTAL_PREFIX = re.compile(rf"^{_TOTAL}\s*(?:$|[^a-z\s])")  # 'Total 2024', '合计（华东）', not 'Total Care'
TOTAL_EXACT = re.compile(rf"^{_TOTAL}\s*[:：]?$")
_TOTAL_WORDS = (
    "total Total TOTAL sub Sub SUB grand Grand GRAND 合计 总计 小计 合計 總計 小計 汇总 彙總 总和 總和"
)
TOTAL_HEADS = pa.array(sorted({w.encode()[:3] for w in _TOTAL_WORDS.split()}), pa.large_binary())
TRUE = set(
    "yes y true t 1 1.0 是 对 有 x √ ✓ on churned lost resolved closed promo 促销 流失 解决 核销 含税".split()
)
TRUE.add("written off")
FALSE = set("no n false f 0 0.0 否 无 没有 off active retained open unresolved 正常 不含税".split())

# Characters of ordinary Chinese business text (simplified and traditional): decides GBK vs Big5.
COMMON_CJK = set(
    "的一是不了在有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说"
    "产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使"
    "点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明"
    "看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料"
    "象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指"
    "客户编号日期销售额金成本数单价区域渠道订服务称细群类型名注册获取是否失票到付款已核现资债息税润费"
    "权益评满意投诉内容响应花费线索新收入门店促华东南西北京海广州深圳有限公司省市县"
    "這個們來為國說時會對於裡過後種從與當現發開關點業將兩間問應頭體見實學產長門東電數報結區務統運書幾處"
    "條進選話還戶編號銷額單價訂稱細類註冊獲發負債稅潤費權評滿訴響應線營買購貨總資動際顧員碼計屬論"
)


@dataclass
class Limits:
    """Upload limits: file size in bytes and data rows."""

    max_bytes: int = 200 * MB
    max_rows: int = 5_000_000


@dataclass
class Raw:
    """A parsed table before mapping: source columns, raw values, where each row came from."""

    frame: pd.DataFrame
    header_row: int
    line_of: Callable[[np.ndarray], np.ndarray]
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    warnings: list[Msg] = field(default_factory=list)
    typed: bool = False  # pyarrow already typed the columns (fast path)
    day_columns: frozenset[str] = frozenset()  # pyarrow date32 columns: dates at midnight already
    padded: bool = False  # text values may carry spaces to trim (pyarrow does not trim)


def error(code: str, en: str, zh: str) -> IngestError:
    return IngestError(Msg(en, zh), code=code)


def size(n_bytes: int) -> str:
    """'1.2 MB', '200 MB' (KB below 0.1 MB)."""
    return f"{n_bytes / MB:.3g} MB" if n_bytes >= MB / 10 else f"{n_bytes / 1024:.3g} KB"


class NotUtf8(Exception):
    """The UTF-8 guess from the head of the file was wrong."""



def rows_text(n: int) -> str:
    """'1 row' / '3 rows'."""
    return f"{n} row" if n == 1 else f"{n} rows"


def listed(lines: np.ndarray | list[int], limit: int = 10) -> str:
    """'3, 7, 12' (and a count of the rest)."""
    shown = ", ".join(str(int(n)) for n in list(lines)[:limit])
    return shown + (f" … (+{len(lines) - limit})" if len(lines) > limit else "")
