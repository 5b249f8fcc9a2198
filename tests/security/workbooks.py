"""Hostile and ordinary workbooks written with zipfile (no Excel library), for the upload tests."""

from __future__ import annotations

import io
import zipfile

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    "{sheets}</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
RNS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


def _col(i: int) -> str:
    name = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        name = chr(65 + r) + name
    return name


def sheet_xml(rows: list[list[object]], refs: bool = True) -> str:
    """A worksheet's XML; ``refs=False`` leaves out the optional cell and row references (r="B7"), as
    some generators do, so repeated rows compress like real repetitive exports."""
    out = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet {NS}><sheetData>']
    for r, row in enumerate(rows, start=1):
        cells = []
        for c, v in enumerate(row):
            ref = f' r="{_col(c)}{r}"' if refs else ""
            if isinstance(v, int | float):
                cells.append(f"<c{ref}><v>{v}</v></c>")
            else:
                cells.append(f'<c{ref} t="inlineStr"><is><t>{v}</t></is></c>')
        row_ref = f' r="{r}"' if refs else ""
        out.append(f"<row{row_ref}>{''.join(cells)}</row>")
    out.append("</sheetData></worksheet>")
    return "".join(out)


def workbook(sheets: list[str]) -> bytes:
    """An XLSX whose worksheets are these XML strings."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(1, len(sheets) + 1)
        )
        z.writestr("[Content_Types].xml", CONTENT_TYPES.format(sheets=overrides))
        z.writestr("_rels/.rels", ROOT_RELS)
        entries = "".join(
            f'<sheet name="S{i}" sheetId="{i}" r:id="rId{i}"/>' for i in range(1, len(sheets) + 1)
        )
        z.writestr("xl/workbook.xml", f"<workbook {NS} {RNS}><sheets>{entries}</sheets></workbook>")
        rels = "".join(
            f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            f'relationships/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(sheets) + 1)
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f"{rels}</Relationships>",
        )
        for i, xml in enumerate(sheets, start=1):
            z.writestr(f"xl/worksheets/sheet{i}.xml", xml)
    return buf.getvalue()


def many_sheets(sheets: int = 1000, sheet_mb: float = 0.95) -> bytes:
    """The issue's workbook: 1,000 sheets of ~1 MB each (945 MB inflated) in ~2.4 MB, every part under
    the per-part ratio check's 4 MB floor and the total under the old 1 GB cap."""
    filler = (
        '<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx</t></is></c></row>'
    )
    head = f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}><sheetData>'
    body_rows = []
    size, r = len(head), 1
    target = int(sheet_mb * 1024 * 1024)
    while size < target:
        row = filler.format(r=1)  # identical rows: they compress to almost nothing
        body_rows.append(row)
        size += len(row)
        r += 1
    xml = head + "".join(body_rows) + "</sheetData></worksheet>"
    return workbook([xml] * sheets)


def slow_workbook(rows: int = 400_000, columns: int = 12) -> bytes:
    """An ordinary-looking orders sheet that passes every size check (a few MB, within the cell limit and
    the compression ratios) but takes the reader well past 4 seconds (calamine: ~2.7 s per 100k rows of
    12 columns on this machine, plus the mapping)."""
    header = ["customer_id", "date", "revenue"] + [f"extra_{i}" for i in range(columns - 3)]
    data = [header] + [
        [f"C{r % 97:05d}", f"2024-{r % 12 + 1:02d}-{r % 28 + 1:02d}", r % 10 + 0.5] + [r % 5] * (columns - 3)
        for r in range(rows)
    ]
    return workbook([sheet_xml(data, refs=False)])
