"""corpus/readers: each format's reader on files built here, and the files each must refuse.

Every reader hands the parser one text model (corpus/textmodel.py): the extracted text, the format, the
detected encoding and the regions that say where a span sits in the original (page, paragraph, cell).
Unreadable input raises UnreadableFile naming the file and the problem, nothing else.
"""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import pytest

from corpus import UnreadableFile
from corpus.readers import SUFFIXES, read_bytes, read_file
from corpus.textmodel import Location, Region

PLAN = (
    "松岭镇2024年重点工作清单\n"
    "\n"
    "一、产业发展\n"
    "1. 建成蔬菜冷链仓储中心一座，年底前投入使用。（镇经济发展办牵头，镇财政所配合）\n"
    "2. 培育家庭农场十家以上。（镇农业服务中心负责）\n"
)


def _refusal(name: str, data: bytes) -> UnreadableFile:
    with pytest.raises(UnreadableFile) as caught:
        read_bytes(name, data)
    error = caught.value
    assert error.source == name and str(error).startswith(f"{name}: ")
    return error


# --- .txt and .md ------------------------------------------------------------------------------


def test_utf8_text_is_read_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "songling-2024.txt"
    path.write_bytes(PLAN.encode("utf-8"))
    model = read_file(path)
    assert (model.name, model.format, model.encoding, model.text, model.regions) == (
        "songling-2024.txt",
        "txt",
        "utf-8",
        PLAN,
        (),
    )


def test_utf8_with_a_byte_order_mark_loses_the_mark() -> None:
    model = read_bytes("bom.txt", b"\xef\xbb\xbf" + PLAN.encode("utf-8"))
    assert model.encoding == "utf-8"
    assert model.text == PLAN  # no U+FEFF before the title: the title is found and offsets start at 0


@pytest.mark.parametrize("codec", ["gb18030", "gbk"])
def test_gb18030_and_gbk_text_is_detected(codec: str) -> None:
    data = PLAN.encode(codec)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # the test is only worth something if UTF-8 cannot read it
    model = read_bytes("gb.txt", data)
    assert model.encoding == "gb18030"
    assert model.text == PLAN


def test_gb18030_only_characters_are_detected() -> None:
    text = PLAN + "3. 修缮𠮷祥村村道二十公里。（镇建设办负责）\n"  # 𠮷 has no GBK code: four bytes in GB18030
    model = read_bytes("gb.txt", text.encode("gb18030"))
    assert (model.encoding, model.text) == ("gb18030", text)


def test_markdown_is_read_as_text_with_its_marks() -> None:
    text = "# 松岭镇2024年重点工作清单\n\n## 一、产业发展\n\n1. **建成**蔬菜冷链仓储中心一座。（镇经济发展办负责）\n"
    model = read_bytes("songling.md", text.encode("utf-8"))
    assert (model.format, model.encoding, model.text) == ("md", "utf-8", text)


def test_binary_data_is_refused_as_binary() -> None:
    error = _refusal("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    assert error.problem == "binary data, not text (it contains NUL bytes)"


def test_text_in_neither_encoding_is_refused_naming_the_byte() -> None:
    data = "一、任务".encode()[:4] + b"\x80\xff"
    for codec in ("utf-8", "gb18030"):
        with pytest.raises(UnicodeDecodeError):
            data.decode(codec)
    error = _refusal("garbled.txt", data)
    assert error.problem.startswith("not UTF-8 or GB18030 text (")
    assert "at byte 3" in error.problem  # where UTF-8 failed: the cut character


def test_an_unsupported_suffix_is_refused_naming_the_supported_ones() -> None:
    for name in ("plan.doc", "plan.xlsx", "plan"):
        error = _refusal(name, PLAN.encode("utf-8"))
        assert error.problem == "unsupported file type (supported: .txt, .md, .docx, .pdf, .html, .htm)"
    assert set(SUFFIXES) == {".txt", ".md", ".docx", ".pdf", ".html", ".htm"}
    assert read_bytes("UPPER.TXT", PLAN.encode("utf-8")).text == PLAN  # suffixes are not case-sensitive


# --- .docx -------------------------------------------------------------------------------------


def _docx_bytes() -> bytes:
    """A paragraph, a table (a horizontally merged cell, a two-paragraph cell), a paragraph."""
    from docx import Document

    document = Document()
    document.add_paragraph("松岭镇2024年工作安排")
    table = document.add_table(rows=2, cols=3)
    merged = table.cell(0, 0).merge(table.cell(0, 1))
    merged.text = "跨两列的单元格"
    table.cell(0, 2).text = "第三列"
    table.cell(1, 0).text = "1"
    cell = table.cell(1, 1)
    cell.text = "第一段"
    cell.add_paragraph("第二段")
    table.cell(1, 2).text = "镇农业服务中心"
    document.add_paragraph("请各单位抓好落实。")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_docx_reads_paragraphs_and_tables_in_document_order(tmp_path: Path) -> None:
    path = tmp_path / "anpai.docx"
    path.write_bytes(_docx_bytes())
    model = read_file(path)
    assert (model.name, model.format, model.encoding) == ("anpai.docx", "docx", None)
    assert model.text == (
        "松岭镇2024年工作安排\n"
        "跨两列的单元格\t第三列\n"  # the merged cell once, not once per grid column
        "1\t第一段 第二段\t镇农业服务中心\n"  # a cell's paragraphs joined by a space: the row stays one line
        "请各单位抓好落实。\n"
    )
    where = [
        (model.text[r.start : r.end], r.paragraph, r.table, r.row, r.cell, r.page) for r in model.regions
    ]
    assert where == [
        ("松岭镇2024年工作安排", 1, None, None, None, None),
        ("跨两列的单元格", None, 1, 1, 1, None),
        ("第三列", None, 1, 1, 2, None),
        ("1", None, 1, 2, 1, None),
        ("第一段 第二段", None, 1, 2, 2, None),
        ("镇农业服务中心", None, 1, 2, 3, None),
        ("请各单位抓好落实。", 2, None, None, None, None),  # tables do not count as paragraphs
    ]
    at = model.text.index("第二段")
    assert model.locate(at) == Location(line=3, table=1, row=2, cell=2)
    assert model.locate(at).describe() == "表1第2行第2列"
    assert model.locate(model.text.index("落实")).describe() == "第2段"


def test_a_truncated_docx_is_refused() -> None:
    error = _refusal("cut.docx", _docx_bytes()[:300])
    assert error.problem.startswith("not a valid .docx (not a zip archive")


def _rezip(data: bytes, change: dict[str, bytes | None]) -> bytes:
    """The zip with some members replaced (bytes) or left out (None)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for name in source.namelist():
            content = change.get(name, source.read(name))
            if content is not None:
                target.writestr(name, content)
    return out.getvalue()


def test_a_docx_with_broken_xml_is_refused() -> None:
    data = _docx_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("word/document.xml")
    error = _refusal("broken.docx", _rezip(data, {"word/document.xml": xml[: len(xml) // 2]}))
    assert error.problem.startswith("not a valid .docx (XMLSyntaxError")


def test_a_docx_without_its_document_part_is_refused() -> None:
    error = _refusal("empty.docx", _rezip(_docx_bytes(), {"word/document.xml": None}))
    assert error.problem == "not a valid .docx (word/document.xml is missing)"


def test_a_zip_that_declares_a_huge_member_is_refused_before_it_is_expanded() -> None:
    """A few kilobytes whose central directory claims a 4 GB word/document.xml."""
    data = bytearray(_docx_bytes())
    patched = 0
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        name_length = struct.unpack("<H", data[at + 28 : at + 30])[0]
        if data[at + 46 : at + 46 + name_length] == b"word/document.xml":
            data[at + 24 : at + 28] = struct.pack("<I", 0xFFFFFFF0)  # uncompressed size
            patched += 1
        at = data.find(b"PK\x01\x02", at + 4)
    assert patched == 1 and len(data) < 100_000
    error = _refusal("bomb.docx", bytes(data))
    assert error.problem.startswith("refused: it would expand to ")
    assert int(error.problem.split()[5]) > 0xFFFFFFF0


def test_a_docx_that_really_expands_a_thousandfold_is_refused() -> None:
    data = _docx_bytes()
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for name in source.namelist():
            target.writestr(name, source.read(name))
        target.writestr("word/media/padding.bin", bytes(40 * 1024 * 1024))
    assert len(out.getvalue()) < 200_000  # 40 MB of zeros in well under 200 kB
    assert "compression bomb" in _refusal("bomb.docx", out.getvalue()).problem


# --- .pdf --------------------------------------------------------------------------------------

PAGE_ONE = ("第一页：推进松岭镇冷链仓储建设。", "（镇经济发展办牵头）")
PAGE_TWO = ("第二页：完善村级光伏电站。",)


def _pdf_bytes(pages: list[tuple[str, ...]], text: bool = True) -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    out = io.BytesIO()
    pdf = canvas.Canvas(out)
    for lines in pages:
        pdf.setFont("STSong-Light", 12)
        for row, line in enumerate(lines):
            if text:
                pdf.drawString(72, 720 - 24 * row, line)
            else:  # a scan: only drawings
                pdf.rect(72, 700 - 24 * row, 300, 12, fill=1)
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def test_pdf_pages_become_page_regions_with_a_form_feed_between(tmp_path: Path) -> None:
    path = tmp_path / "two-pages.pdf"
    path.write_bytes(_pdf_bytes([PAGE_ONE, PAGE_TWO]))
    model = read_file(path)
    assert (model.name, model.format, model.encoding) == ("two-pages.pdf", "pdf", None)
    assert model.text == "\n".join(PAGE_ONE) + "\n\f" + PAGE_TWO[0] + "\n"
    first_page_end = model.text.index("\f")
    assert model.regions == (
        Region(0, first_page_end, page=1),
        Region(first_page_end, len(model.text), page=2),
    )
    assert model.locate(model.text.index("光伏")) == Location(line=3, page=2)
    assert model.locate(model.text.index("光伏")).describe() == "第2页"
    assert model.locate(model.text.index("牵头")).page == 1


def test_a_pdf_without_a_text_layer_is_refused() -> None:
    error = _refusal("scan.pdf", _pdf_bytes([PAGE_ONE, PAGE_TWO], text=False))
    assert error.problem == "the PDF has no text layer (a scanned image?); run OCR on it first"


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"%PDF-1.4\n%this is not really a pdf\n", id="header-only"),
        pytest.param(b"", id="empty"),
        pytest.param(b"PK\x03\x04 a zip named .pdf", id="not-a-pdf"),
    ],
)
def test_a_corrupt_pdf_is_refused(data: bytes) -> None:
    assert _refusal("broken.pdf", data).problem.startswith("not a readable PDF (")


def test_a_truncated_pdf_is_refused() -> None:
    data = _pdf_bytes([PAGE_ONE, PAGE_TWO])
    assert _refusal("cut.pdf", data[: len(data) // 2]).problem.startswith("not a readable PDF (")


# --- .html -------------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html><head><meta charset="{charset}">
<title>晴川县2024年重点工作分工_政务公开_晴川县人民政府</title>
<script>var tracker = "脚本里的统计代码";</script>
<style>.nav {{ color: red; }}</style>
</head><body>
<div class="nav"><ul><li><a href="/">网站首页</a></li><li><a href="/gk/">信息公开栏目</a></li></ul></div>
<div class="breadcrumb">当前位置：首页 &gt; 政务公开</div>
<div class="article">
<h1>晴川县2024年重点工作分工</h1>
<p>为做好全年工作，现将晴川县二〇二四年重点工作分工如下，请各单位认真落实，确保按期完成各项目标任务。</p>
<p>1. 建设城东污水处理厂二期工程，日处理能力提升至五万吨。（县住建局牵头，县生态环境分局配合）</p>
<p>2. 新建乡镇卫生院三所，改善基层医疗条件，方便群众就近看病就医。（县卫健局负责）</p>
<p>3. 新增城镇就业岗位三千个，开展职业技能培训两千人次以上。（县人社局负责）</p>
</div>
<div class="footer">版权所有：晴川县人民政府网站 联系电话：0000-0000000</div>
<script>document.write("页面底部的脚本");</script>
</body></html>
"""
ARTICLE = [
    "晴川县2024年重点工作分工",
    "为做好全年工作，现将晴川县二〇二四年重点工作分工如下，请各单位认真落实，确保按期完成各项目标任务。",
    "1. 建设城东污水处理厂二期工程，日处理能力提升至五万吨。（县住建局牵头，县生态环境分局配合）",
    "2. 新建乡镇卫生院三所，改善基层医疗条件，方便群众就近看病就医。（县卫健局负责）",
    "3. 新增城镇就业岗位三千个，开展职业技能培训两千人次以上。（县人社局负责）",
]


def test_html_keeps_only_the_main_text_with_the_headline_first(tmp_path: Path) -> None:
    path = tmp_path / "qingchuan.html"
    path.write_text(PAGE.format(charset="utf-8"), encoding="utf-8")
    model = read_file(path)
    assert model.format == "html"
    assert model.text.splitlines() == ARTICLE
    for chrome in (
        "网站首页",
        "信息公开栏目",
        "当前位置",
        "版权所有",
        "脚本",
        "tracker",
        "color",
        "政务公开_",
    ):
        assert chrome not in model.text
    assert [(model.text[r.start : r.end], r.paragraph) for r in model.regions] == [
        (line, n) for n, line in enumerate(ARTICLE, start=1)
    ]


def test_a_gbk_declared_page_is_decoded() -> None:
    data = PAGE.format(charset="gbk").encode("gbk")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    model = read_bytes("qingchuan.htm", data)
    assert model.format == "html"
    assert model.text.splitlines() == ARTICLE


@pytest.mark.parametrize("css_class", ["position", "location", "dqwz"])
def test_a_breadcrumb_is_not_main_text_whatever_its_class(css_class: str) -> None:
    """Government sites name the "当前位置：" bar position, location, dqwz (当前位置) … as often as breadcrumb."""
    page = PAGE.replace('class="breadcrumb"', f'class="{css_class}"').format(charset="utf-8")
    model = read_bytes("qingchuan.html", page.encode("utf-8"))
    assert model.text.splitlines() == ARTICLE


def test_a_page_without_any_text_is_refused() -> None:
    page = "<html><head></head><body><script>var x = 1;</script></body></html>"
    assert _refusal("empty.html", page.encode("utf-8")).problem == "no main text found in the web page"


MERGED_TABLE = """<html><head><meta charset="utf-8"><title>澄溪区2025年民生实事分工</title></head><body>
<div class="nav"><ul><li><a href="/">网站首页</a></li></ul></div>
<div class="article"><h1>澄溪区2025年民生实事分工</h1>
<p>现将澄溪区2025年民生实事任务分工印发给你们，请各责任单位对照分工抓好落实，按月报送进展。</p>
<table>
<tr><td>序号</td><td>任务</td><td>牵头单位</td><td>配合单位</td><td>责任领导</td></tr>
<tr><td>1</td><td>新建社区食堂12处，为老年人提供助餐服务。</td><td rowspan="2">区民政局</td><td>各街道</td><td rowspan="3">苏明远</td></tr>
<tr><td>2</td><td>改造提升养老服务站8个。</td><td>区财政局</td></tr>
<tr><td>3</td><td colspan="2">全年开展免费体检两万人次（区卫健局负责）。</td><td>各社区卫生服务中心</td></tr>
<tr><td>4</td><td>新增公共停车泊位900个。</td><td>区住建局</td><td>区公安分局</td><td>陈一帆</td></tr>
</table>
<p>各责任单位要于每月25日前报送工作进展情况，区政府督查室将定期通报落实情况。</p>
<p>区政府办公室将适时开展专项督查，对推进不力的单位予以通报。</p></div></body></html>
"""


def test_a_cell_merged_down_several_rows_is_read_in_each_of_them() -> None:
    """One 牵头单位 for tasks 1 and 2, one 责任领导 for tasks 1 to 3 (``rowspan``): each row has all its columns,
    as a reader of the page sees them; a cell merged across (``colspan``) appears once, then an empty cell."""
    model = read_bytes("chengxi.html", MERGED_TABLE.encode("utf-8"))
    rows = [line.split("\t") for line in model.text.splitlines() if "\t" in line]
    assert rows[1:] == [
        ["1", "新建社区食堂12处，为老年人提供助餐服务。", "区民政局", "各街道", "苏明远"],
        ["2", "改造提升养老服务站8个。", "区民政局", "区财政局", "苏明远"],
        ["3", "全年开展免费体检两万人次（区卫健局负责）。", "", "各社区卫生服务中心", "苏明远"],
        ["4", "新增公共停车泊位900个。", "区住建局", "区公安分局", "陈一帆"],
    ]
