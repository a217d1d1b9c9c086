"""What a clause states, as spans: the facts a question can ask for (invented wording)."""

from __future__ import annotations

from dataclasses import replace
from itertools import pairwise

from corpus.models import Clause, Target
from qa.evidence import fact_spans, key_phrase, parts, sentences, states


def clause(text: str, targets: tuple[Target, ...] = (), **fields) -> Clause:
    return Clause(
        clause_id="2024试点方案-1", document_id="2024试点方案", document="试点方案", short_name="2024试点方案",
        kind="task", number=1, ordinal="1", section=(), text=text, start=0, end=len(text), source="x.txt",
        offsets=tuple(range(len(text))), targets=targets, **fields,
    )


def _texts(c: Clause, spans) -> list[str]:
    return [c.text[s:e] for s, e in spans]


def test_percent_money_and_dates() -> None:
    c = clause("社区养老覆盖率达到85%，总投资1.2亿元。2025年6月底前完成改造。")
    assert _texts(c, fact_spans(c, "percent")) == ["85%"]
    assert _texts(c, fact_spans(c, "money")) == ["1.2亿元"]
    assert "6月底前" in "".join(_texts(c, fact_spans(c, "date")))
    assert not states(clause("推进社区养老服务。"), "money")


def test_counts_prefer_the_asked_measure_and_strict_attributes() -> None:
    text = "培训乡村医生200名，新建卫生室12个。"
    targets = (Target("200名", 6, 10, "quantity"), Target("12个", 15, 18, "quantity"))
    c = clause(text, targets)
    assert _texts(c, fact_spans(c, "number", ("名",))) == ["200名"]
    assert len(fact_spans(c, "number", ("次",))) == 2  # no 次 count: any count answers 多少
    assert fact_spans(c, "number", ("平方公里",), strict=True) == []  # 面积 is not answered by a head count


def test_facts_printed_in_traditional_script() -> None:
    c = clause("改造老舊小區60個，安排資金1.5億元。", (Target("60個", 6, 9, "quantity"),))
    assert _texts(c, fact_spans(c, "money")) == ["1.5億元"]
    assert _texts(c, fact_spans(c, "number", ("个",))) == ["60個"]


def test_a_deadline_outside_the_wording_still_states_a_date() -> None:
    c = clause("完善农村供水管网。", (Target("2025年底前", None, None, "deadline"),))
    assert states(c, "date")


def test_people_and_lead_units() -> None:
    c = clause("建设口袋公园。（市园林局牵头）", responsibility_raw="（市园林局牵头）", lead_units=("市园林局",),
               units=("市园林局",), body_end=7)
    assert states(c, "unit", lead=True) and not states(c, "person")
    assert states(clause("建设口袋公园。", leaders=("王立新",)), "person")
    assert not states(clause("建设口袋公园。（市园林局负责）", units=("市园林局",), body_end=7), "unit", lead=True)


def test_sentences_and_parts_cover_the_body_only() -> None:
    c = clause("第一句，有两部分。第二句。（市园林局负责）", responsibility_raw="（市园林局负责）", body_end=13)
    assert _texts(c, sentences(c)) == ["第一句，有两部分。", "第二句。"]
    assert _texts(c, parts(c, sentences(c)[0])) == ["第一句，", "有两部分。"]


def test_key_phrase_names_an_item_in_a_few_characters() -> None:
    rare = {"政银": 5.0, "银企": 5.0, "企对": 5.0, "对接": 5.0}
    weight = lambda gram: rare.get(gram, 1.0)
    kind = clause("支持两市合作共建红色文化传承示范区，打造研学高地。")
    assert _texts(kind, [key_phrase(kind, weight, 15, "示范区")]) == ["两市合作共建红色文化传承示范区"]
    plan = clause("联合编制红色文旅对口合作专项实施方案，打造合作升级版。")  # the kind would take most of 8 characters
    assert _texts(plan, [key_phrase(plan, weight, 8, "专项实施方案")]) == ["红色文旅对口合作"]
    modifier = clause("引导企业向研发设计、品牌营销拓展，形成联动格局。")  # the kind opens a part: what follows names it
    assert _texts(modifier, [key_phrase(modifier, weight, 15, "品牌")]) == ["品牌营销拓展"]
    titled = clause("深化劳务协作。采取专场招聘会等方式提供就业服务。")
    assert _texts(titled, [key_phrase(titled, weight, 12, "", title_chars=14)]) == ["深化劳务协作"]
    rarest = clause("加强交流合作，开展政银企对接活动，服务实体经济。")
    assert _texts(rarest, [key_phrase(rarest, weight, 12)]) == ["开展政银企对接活动"]
    number = clause("审批时间压缩至30个工作日以内。")
    assert _texts(number, [key_phrase(number, weight, 8)]) == ["审批时间压缩至"]  # never "压缩至3"
    bracket = clause("筹集保障性租赁住房1500套（间），惠及新市民。")
    assert _texts(bracket, [key_phrase(bracket, weight, 15)]) == ["筹集保障性租赁住房1500套（间）"]  # closed
    long = clause("筹集保障性租赁住房1500套（含人才公寓及宿舍型用房），惠及新市民。")
    assert _texts(long, [key_phrase(long, weight, 15)]) == ["筹集保障性租赁住房1500套"]


def test_key_phrase_names_what_an_item_does_not_when_who_or_its_steps() -> None:
    weight = lambda gram: 1.0  # every bigram as rare as another: the longest telling part would win
    text = "建设全民健身中心，2024年10月底前完成主体结构施工。"
    due = clause(text, (Target("2024年10月底前", 9, 20, "deadline"),))
    assert _texts(due, [key_phrase(due, weight, 12)]) == ["建设全民健身中心"]  # digits name nothing
    opening = clause("5月底前完成全县小型水库安全鉴定和防汛预案修订。", (Target("5月底前", 0, 4, "deadline"),))
    assert _texts(opening, [key_phrase(opening, weight, 24)]) == ["完成全县小型水库安全鉴定和防汛预案修订"]
    steps = clause("新建实验中学，设置教学班。①完成主体建筑竣工验收和设施设备采购安装；②交付使用。")
    assert _texts(steps, [key_phrase(steps, weight, 8)]) == ["新建实验中学"]
    units = ("县应急管理局", "县气象局", "县水利局")
    who = clause("由县水利局牵头，县应急管理局、县气象局配合，整治隐患。", units=units)
    assert _texts(who, [key_phrase(who, weight, 16)]) == ["整治隐患"]
    share = clause("实施重大项目，完成年度投资，其中产业项目投资占比不低于一半。")
    assert _texts(share, [key_phrase(share, weight, 16)]) == ["实施重大项目"]


def test_key_phrase_never_cuts_an_amount_or_a_word() -> None:
    weight = lambda gram: 1.0
    amount = clause("社会消费品零售总额增长9%左右。")
    assert _texts(amount, [key_phrase(amount, weight, 12)]) == ["社会消费品零售总额增长9%左右"]  # not "增长9"
    far = clause("规模以上工业增加值年均增长6.5个百分点左右。")
    assert _texts(far, [key_phrase(far, weight, 14)]) == ["规模以上工业增加值年均增长"]  # left out whole

    def words(form: str) -> list[tuple[int, int]]:
        cuts = [0, 2, 4, 6, 7, 9, 11, 13, 15, 17]  # 居民|收入|增长|与|经济|增长|基本|同步|推进|。
        return [*pairwise(cuts), (17, len(form))]

    worded = clause("居民收入增长与经济增长基本同步推进。")
    assert _texts(worded, [key_phrase(worded, weight, 12)]) == ["居民收入增长与经济增长基"]  # no segmenter
    assert _texts(worded, [key_phrase(worded, weight, 12, words=words)]) == ["居民收入增长与经济增长基本"]
    near = clause("居民收入增长与经济增长基本同步。")  # three characters short of its end: finished
    assert _texts(near, [key_phrase(near, weight, 12)]) == ["居民收入增长与经济增长基本同步"]


def test_contact_details_and_the_units_a_notice_paragraph_names() -> None:
    c = clause("设立服务专线0531-12345678，材料发送至service@example.gov.cn。")
    assert _texts(c, fact_spans(c, "contact")) == ["0531-12345678", "service@example.gov.cn"]
    assert fact_spans(clause("新增公共充电桩400个，投资12000万元。"), "contact") == []  # a count is no phone number
    paragraph = replace(clause("各责任单位每季度将进展报送区督查室，区督查室汇总后报区政府。"), kind="passage")
    assert states(paragraph, "unit")
    assert not states(replace(clause("请结合实际认真贯彻落实。"), kind="passage"), "unit")


def test_a_time_limit_answers_how_long_within() -> None:
    text = "网络谣言发现后24小时内回应，3万人以内的活动报备。"
    c = clause(text, (Target("24小时内", 7, 12, "quantity"), Target("3万人以内", 15, 20, "quantity")))
    assert _texts(c, fact_spans(c, "date")) == ["24小时内"]  # 3万人以内 is a count, not a time limit


def test_a_place_answers_where_unless_the_question_names_it() -> None:
    c = clause("在青峪县新建县级综合储备库1处，选址临近东关街道。")
    assert "东关街道" in "".join(_texts(c, fact_spans(c, "place", question="青峪县综合储备库建在哪里")))
    assert not fact_spans(c, "place", question="青峪县东关街道的储备库建在哪里")
    assert not states(clause("布局建设5个省级物流枢纽，推进物流园区建设。"), "place", question="物流枢纽建在哪些城市")
    site = clause("依托苍砺高铁物流园，建设县级物流配送中心。")  # the site a task builds on is where it is
    assert "苍砺高铁物流园" in "".join(_texts(site, fact_spans(site, "place", question="物流配送中心建在哪")))
    assert not states(clause("建设公共实训基地一处。"), "place", question="公共实训基地建在什么位置")  # the thing itself


def test_a_deputy_does_not_answer_for_the_title() -> None:
    """市长是谁 is not answered by a task that only 副市长陈立华 leads; 副市长是谁 and 哪位领导 are."""
    led = clause("建设柯洲港二期集装箱码头。", leaders=("副市长陈立华",))
    assert not states(led, "person", question="柯洲市市长是谁")
    assert states(led, "person", question="柯洲港码头是哪位副市长负责")
    assert states(led, "person", question="柯洲港码头哪位领导分管")
    assert states(clause("建设码头。", leaders=("陈立华",)), "person", question="市长是谁")  # no title printed


def test_a_key_phrase_leaves_a_steps_mark_out() -> None:
    step = clause("②8月25日前完成设施设备采购安装。")
    assert _texts(step, [key_phrase(step, lambda gram: 1.0, 20)]) == ["8月25日前完成设施设备采购安装"]


def test_a_qualified_area_needs_its_qualifier() -> None:
    hospital = clause("建设区中医院门急诊综合楼，建筑面积3.5万平方米。",
                      (Target("3.5万平方米", 18, 25, "quantity"),))
    assert not states(hospital, "number", ("平方米",), question="中医院用地面积是多少", strict=True)
    assert states(hospital, "number", ("平方米",), question="中医院建筑面积是多少", strict=True)
