"""Builds the binary test documents of tests/data/layouts from data written here.

Binaries are not committed: a test calls ``build_all(tmp_path)`` (or one builder) and parses what
it gets. Each built file has ``<stem>.expected.json`` next to this script.

- ``shiwan-2024-table.docx``: a notice in paragraphs, then section headings and real Word tables in
  document order (python-docx). One 责任单位 cell holds two paragraphs; one 牵头单位 cell is merged
  vertically over two rows, as offices do when two tasks share a lead.
- ``daishan-2023-trailing.pdf``: a text-layer PDF (reportlab, built-in CID font STSong-Light, so no
  font file is needed and the text extracts as Unicode). The title wraps onto two lines, long items
  wrap, item 3 runs over a page break, and every page has a "— n —" footer.
- ``build_unreadable`` writes files that must be refused (named, without taking the corpus down):
  a truncated .docx, a .pdf that is not a PDF, and a .txt that is neither UTF-8 nor GB18030.

Run ``python tests/data/layouts/build.py OUTDIR`` to look at the files.
"""

from __future__ import annotations

import sys
from pathlib import Path

# --- shiwan-2024-table.docx -------------------------------------------------------------------

SHIWAN_NOTICE = [
    "石湾区人民政府办公室",
    "关于印发石湾区2024年重点工作任务分工方案的通知",
    "石政办〔2024〕2号",
    "各街道办事处，区政府各部门：",
    "　　现将《石湾区2024年重点工作任务分工方案》印发给你们，请认真贯彻落实。",
    "石湾区人民政府办公室",
    "2024年1月30日",
]
SHIWAN_TITLE = "石湾区2024年重点工作任务分工方案"
SHIWAN_HEADER = ["序号", "重点工作任务", "牵头单位", "责任单位", "完成时限"]
# A cell given as a tuple holds one paragraph per element; None means "merged with the cell above".
SHIWAN_SECTIONS: list[tuple[str, list[list[object]]]] = [
    ("一、经济发展", [
        ["1", "推动石湾港物流园一期投入运营，引进物流企业15家", "区发改局", "区商务局、区交通运输局", "2024年9月底前"],
        ["2", "实施工业企业技术改造项目40个", "区工信局", ("区财政局", "各街道"), "2024年12月底前"],
        ["3", "盘活低效工业用地800亩", "区自然资源分局", "区工信局、区税务局", "2024年11月底前"],
    ]),
    ("二、民生保障", [
        ["4", "新增城镇就业6500人", "区人社局", "各街道", "2024年12月底前"],
        ["5", "建设社区嵌入式服务设施12处", "区民政局", "区住建局、各街道", "2024年10月底前"],
        ["6", "为困难老年人家庭实施适老化改造500户", None, "区残联", "2024年12月底前"],
    ]),
]
SHIWAN_CLOSING = "　　各牵头单位要于每月25日前将工作进展报区政府督查室。"


def build_docx(folder: Path) -> Path:
    """Write shiwan-2024-table.docx into ``folder`` and return its path."""
    from docx import Document

    path = Path(folder) / "shiwan-2024-table.docx"
    doc = Document()
    for line in SHIWAN_NOTICE:
        doc.add_paragraph(line)
    doc.add_paragraph(SHIWAN_TITLE)
    for heading, rows in SHIWAN_SECTIONS:
        doc.add_paragraph(heading)
        table = doc.add_table(rows=1 + len(rows), cols=len(SHIWAN_HEADER))
        table.style = "Table Grid"
        for col, text in enumerate(SHIWAN_HEADER):
            table.cell(0, col).text = text
        for r, row in enumerate(rows, start=1):
            for col, value in enumerate(row):
                cell = table.cell(r, col)
                if value is None:
                    table.cell(r - 1, col).merge(cell)  # keeps the text of the cell above
                elif isinstance(value, tuple):
                    cell.text = value[0]
                    for more in value[1:]:
                        cell.add_paragraph(more)
                else:
                    cell.text = str(value)
    doc.add_paragraph(SHIWAN_CLOSING)
    doc.save(path)
    return path


# --- daishan-2023-trailing.pdf -----------------------------------------------------------------

# Each page is a list of (kind, text); "wrap" lines are broken to the text width like a word
# processor would, "line" lines are drawn as they are. The footer is added by the builder.
DAISHAN_PAGES: list[list[tuple[str, str]]] = [
    [
        ("line", "黛山市人民政府办公室文件"),
        ("line", "黛政办发〔2023〕11号"),
        ("line", ""),
        ("wrap", "黛山市人民政府办公室关于印发黛山市2023年重点工作任务分工方案的通知"),
        ("line", ""),
        ("line", "各县（区）人民政府，市政府各部门："),
        ("wrap", "　　《黛山市2023年重点工作任务分工方案》已经市政府同意，现印发给你们，请认真贯彻执行。"),
        ("line", ""),
        ("line", "黛山市人民政府办公室"),
        ("line", "2023年2月20日"),
    ],
    [
        ("line", "黛山市2023年重点工作任务"),
        ("line", "分工方案"),
        ("line", ""),
        ("line", "一、推动工业强市"),
        ("wrap", ("１．推进黛山新材料产业园扩区，新增工业用地3000亩，年底前完成基础设施配套。"
                 "（分管市领导：吴振华；牵头单位：市工业和信息化局；责任单位：市自然资源和规划局、"
                 "黛山高新区管委会）")),
        ("wrap", ("２．实施“智改数转”三年行动，2023年完成企业数字化改造100家。（分管市领导：吴振华；"
                 "牵头单位：市工业和信息化局；责任单位：市科技局、市财政局）")),
        ("line", ""),
        ("line", "二、建设宜居城市"),
        ("wrap", "３．推进城市轨道交通1号线建设，6月底前完成全部车站主体结构施工，"),
    ],
    [
        ("wrap", ("年底前实现全线“洞通”。（分管市领导：邓立群；牵头单位：市轨道交通建设指挥部；"
                 "责任单位：市住房和城乡建设局、市交通运输局、各县区政府）")),
        ("wrap", "４．建成市民中心并投入使用。（分管市领导：邓立群；责任单位：市城投集团、市机关事务局）"),
        ("wrap", ("５．新增城市绿地120公顷。（分管市领导：邓立群；牵头单位：市城市管理局；"
                 "责任单位：各县区政府等）")),
    ],
]
PDF_FONT = "STSong-Light"
PDF_SIZE = 12


def _wrap(text: str, width: float) -> list[str]:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines, current = [], ""
    for char in text:
        if current and stringWidth(current + char, PDF_FONT, PDF_SIZE) > width:
            lines.append(current)
            current = ""
        current += char
    return lines + [current]


def build_pdf(folder: Path) -> Path:
    """Write daishan-2023-trailing.pdf into ``folder`` and return its path."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont(PDF_FONT))
    path = Path(folder) / "daishan-2023-trailing.pdf"
    page_width, page_height = A4
    margin = 72
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.setTitle("")  # offices rarely fill in the PDF metadata: the title must come from the text
    for number, page in enumerate(DAISHAN_PAGES, start=1):
        pdf.setFont(PDF_FONT, PDF_SIZE)
        y = page_height - margin
        for kind, text in page:
            lines = _wrap(text, page_width - 2 * margin) if kind == "wrap" and text else [text]
            for line in lines:
                pdf.drawString(margin, y, line)
                y -= PDF_SIZE * 1.8
        pdf.drawCentredString(page_width / 2, margin / 2, f"— {number} —")
        pdf.showPage()
    pdf.save()
    return path


# --- files that must be refused -----------------------------------------------------------------

def build_unreadable(folder: Path) -> list[Path]:
    """Write three unreadable files into ``folder``; each must be refused by name, alone."""
    import tempfile

    folder = Path(folder)
    with tempfile.TemporaryDirectory() as scratch:
        whole = build_docx(Path(scratch)).read_bytes()
    broken_docx = folder / "broken-2024.docx"
    broken_docx.write_bytes(whole[:300])  # a zip cut short
    broken_pdf = folder / "broken-2024.pdf"
    broken_pdf.write_bytes(b"%PDF-1.4\n%this is not really a pdf\n")
    broken_txt = folder / "broken-2024.txt"
    broken_txt.write_bytes(b"\xff\xfe\xff" + "一、任务".encode()[:4] + b"\x80\xff")
    return [broken_docx, broken_pdf, broken_txt]


BUILDERS = {"shiwan-2024-table.docx": build_docx, "daishan-2023-trailing.pdf": build_pdf}


def build_all(folder: Path) -> list[Path]:
    """Write every readable built document into ``folder``."""
    return [builder(Path(folder)) for builder in BUILDERS.values()]


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    out.mkdir(parents=True, exist_ok=True)
    for built in build_all(out):
        print(built)
