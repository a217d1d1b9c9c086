"""Files for the upload tests (tests/api/test_uploads*.py, tests/browser/test_uploads*.py), built in the test.

Invented documents in our own wording.  Good ones: a small corpus plan (the corpus folder of the rebuild
tests), a .txt plan, and the .docx and .pdf of tests/data/layouts/build.py.  Bad ones: a compression bomb
dressed as a .docx, a .docx padded past the JSON body limit (still a good document), a PDF without a text
layer, a text without a single task.
"""

from __future__ import annotations

import importlib.util
import io
import zipfile
from pathlib import Path
from types import ModuleType

LAYOUTS = Path(__file__).with_name("layouts")

# The corpus of the rebuild tests: one small plan, so that a rebuild costs seconds.
CORPUS_PLAN = """榆溪县人民政府办公室关于印发榆溪县2025年为民办实事项目分工方案的通知
榆政办发〔2025〕4号

各乡镇人民政府，县政府各部门：
　　《榆溪县2025年为民办实事项目分工方案》已经县政府同意，现印发给你们，请抓好落实。

榆溪县人民政府办公室
2025年1月16日

榆溪县2025年为民办实事项目分工方案

一、教育医疗
1. 新建榆溪县第二实验幼儿园，新增学位360个，9月底前投入使用。（县教育局牵头，县住建局、县财政局分工负责）
2. 为全县65岁以上老年人免费开展健康体检，体检率达到70%以上。（县卫生健康局牵头，各乡镇分工负责）

二、出行安居
3. 改造老旧小区供热管网18公里，10月底前完工。（县住建局牵头，县城投公司分工负责）
4. 开通城区至北山景区旅游公交专线2条。（县交通运输局牵头，县文旅局分工负责）
"""

# An upload in .txt: another county's plan.
TXT_PLAN = """松岭县人民政府办公室关于印发松岭县2025年重点民生工程分工方案的通知
松政办字〔2025〕9号

各乡镇人民政府，县直各部门：
　　现将《松岭县2025年重点民生工程分工方案》印发给你们，请认真组织实施。

松岭县人民政府办公室
2025年2月8日

松岭县2025年重点民生工程分工方案

一、农村供水
1. 实施松岭水库至东坪镇供水管网延伸工程，解决1.2万名群众饮水问题，11月底前通水。（县水利局牵头，东坪镇、县财政局分工负责）
2. 建设村级净水站30座。（县水利局牵头，各乡镇分工负责）

二、养老服务
3. 建成乡镇敬老院护理楼5处，新增护理床位400张。（县民政局牵头，县发改局分工负责）
"""
TXT_QUESTION = "松岭水库至东坪镇供水管网延伸工程由哪个单位牵头？"
TXT_WORDS = "松岭水库至东坪镇供水管网"
DOCX_QUESTION = "石湾港物流园一期由哪个单位牵头？"
DOCX_WORDS = "石湾港物流园一期"
PDF_QUESTION = "新增城市绿地120公顷由谁牵头？"
PDF_WORDS = "新增城市绿地120公顷"

# Text without a single numbered task: not a task-division plan.
NO_TASKS = "关于召开全县安全生产工作会议的通知\n\n各乡镇、县直各部门：\n　　定于3月5日上午召开全县安全生产工作会议，请准时参加。\n"


def layout_builder() -> ModuleType:
    """tests/data/layouts/build.py as a module (build_docx, build_pdf, build_unreadable)."""
    spec = importlib.util.spec_from_file_location("layout_build", LAYOUTS / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def docx_bytes(folder: Path) -> bytes:
    return layout_builder().build_docx(folder).read_bytes()


def pdf_bytes(folder: Path) -> bytes:
    return layout_builder().build_pdf(folder).read_bytes()


def zip_bomb(expanded_bytes: int = 64 * 1024 * 1024) -> bytes:
    """A small zip named like a .docx whose document.xml expands far beyond any plan (a compression bomb)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            block = b"<w:p/>" * (1 << 16)
            for _ in range(expanded_bytes // len(block)):
                part.write(block)
    return buffer.getvalue()


def padded_docx(folder: Path, pad_bytes: int) -> bytes:
    """The layout .docx with an unreferenced part of random bytes: a good document bigger than ``pad_bytes``."""
    import os

    buffer = io.BytesIO(docx_bytes(folder))
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_STORED) as archive:
        archive.writestr("customXml/padding.bin", os.urandom(pad_bytes))
    return buffer.getvalue()


def pdf_without_text(folder: Path) -> bytes:
    """A PDF of one page with a drawing and no text: what a scan without OCR looks like to a reader."""
    from reportlab.pdfgen import canvas

    path = folder / "scan.pdf"
    pdf = canvas.Canvas(str(path))
    pdf.rect(72, 72, 300, 400, fill=1)
    pdf.showPage()
    pdf.save()
    return path.read_bytes()
