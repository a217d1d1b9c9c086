"""Synthetic documents "of the same kind" as the seed, and the layout test documents of tests/data/layouts."""

from __future__ import annotations

import importlib.util
import shutil
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

from corpus import Corpus, load_corpus

NOTICE = "济南市人民政府办公厅关于印发测试清单的通知"
TITLE = "济南—临沂对口合作重点任务清单"  # short name 任务清单: no clash with the seed's ids
PREAMBLE = "为推进济南—临沂对口合作，制定本清单。"

MakeDocument = Callable[..., str]


@pytest.fixture
def make_document() -> MakeDocument:
    """``make_document(*lines, title=TITLE)``: notice, title, preamble, ``lines``; blank-line separated."""

    def make(*lines: str, title: str = TITLE) -> str:
        return "\n\n".join([NOTICE, f"# {title}", PREAMBLE, *lines]) + "\n"

    return make


@pytest.fixture
def good_document(make_document: MakeDocument) -> str:
    """A well-formed document with the seed's artefacts; subsection numbers restart in each section."""
    return make_document(
        "## 一、弘扬传承红色文化",
        "### （一）传承践行红色精神。",
        "1. 组织开展红色文化论坛。（两市市委宣传部牵头，两市市委组织部、文化和旅游局分工负责）",
        "2. 每年联合举办红色展览不少于 2 次，助力巩\n\n固拓展宣传成果。（两市文化和旅游局分\n\n工负责)",
        "(二) 保护利用革命文物。",
        "3. 建立交流协作机制。（责任单位：两市文化和旅游局、退役军人局及蒙阴县政府）",
        "#### **二、强化产业务实合作**",
        "##### **（一）联合做强优势产业。**",
        "4. 编制产业协作专项实施方案。(济南市工业和信息化局、临沂市工业和信息化局分工负责)",
        "（二）协同建设产业园区。",
        "5. 支持两市共建产业园区，引进项目32个。（两市发展改革委、财政局分工负责）",
    )


# --- the layout test documents of tests/data/layouts (issue 10) --------------------------------------

LAYOUTS = Path(__file__).resolve().parents[1] / "data" / "layouts"
LAYOUT_SUFFIXES = (".txt", ".md", ".html")  # committed documents; .docx / .pdf are built by build.py
NOT_DOCUMENTS = ("README.md",)

LoadLayout = Callable[[str], Corpus]


def layout_documents() -> list[Path]:
    """The committed layout documents (README.md, build.py and the expectations are not documents)."""
    return sorted(p for p in LAYOUTS.iterdir() if p.suffix in LAYOUT_SUFFIXES and p.name not in NOT_DOCUMENTS)


@pytest.fixture(scope="session")
def layout_builder() -> ModuleType:
    """tests/data/layouts/build.py as a module: ``build_all``, ``build_docx``, ``build_unreadable``, its data."""
    spec = importlib.util.spec_from_file_location("layout_build", LAYOUTS / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def layout_dir(tmp_path_factory: pytest.TempPathFactory, layout_builder: ModuleType) -> Path:
    """A folder with every layout test document: the committed ones copied, the .docx / .pdf built."""
    folder = tmp_path_factory.mktemp("layouts")
    for source in layout_documents():
        shutil.copy2(source, folder / source.name)
    layout_builder.build_all(folder)
    return folder


@pytest.fixture(scope="session")
def load_layout(tmp_path_factory: pytest.TempPathFactory, layout_dir: Path) -> LoadLayout:
    """``load_layout(file_name)``: that one layout document loaded alone as a Corpus (cached; read-only)."""
    loaded: dict[str, Corpus] = {}

    def load(name: str) -> Corpus:
        if name not in loaded:
            folder = tmp_path_factory.mktemp("layout")
            shutil.copy2(layout_dir / name, folder / name)
            loaded[name] = load_corpus(folder)
        return loaded[name]

    return load
