"""The 26 problems a PMO sees again and again, each worded in English and in Chinese.

A topic is what a generated entry is about, and so what a judged query is matched against. Each
topic carries several phrasings of the same facts (titles, events, causes, lessons, actions,
warning signs, risk statements, responses) written with different words, so that the entries of
one topic share a subject, not one rare word. Slots in braces are filled per entry from
``projects.py``: {vendor}, {sub}, {golive}, {keyuser}, {po}, {consultant}, {system}, {legacy},
{partner}, {item}, {client}, and the numbers {n}, {days}, {weeks}, {pct}, {money}.

Data only: ``corpus.py`` composes entries from it.
"""

# ruff: noqa: E501  (prose)

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Wording:
    """One language's phrasings of a topic."""

    nouns: tuple[str, ...]  # the subject inside a sentence: "the data migration"
    headlines: tuple[str, ...]  # short phrases for retrospective titles and timelines
    lesson_titles: tuple[str, ...]
    risk_titles: tuple[str, ...]
    sop_titles: tuple[str, ...]
    events: tuple[str, ...]  # what happened
    causes: tuple[str, ...]
    insights: tuple[str, ...]  # the lesson itself
    actions: tuple[str, ...]  # recommendations, SOP steps, action items
    triggers: tuple[str, ...]  # early warning signs
    risks: tuple[str, ...]  # "Because ..., ... may ..., leading to ..."
    responses: tuple[str, ...]


@dataclass(frozen=True)
class Topic:
    """A recurring project problem and where it occurs."""

    key: str
    summary: str  # what a judge reads: the problem in one line
    zh_share: float  # how much more often Chinese projects report it (0 = never, 1 = only)
    project_types: tuple[str, ...]
    lesson_category: str  # PMBOK knowledge area of its lessons
    risk_category: str
    root_cause: str
    en: Wording
    zh: Wording


def _w(**parts: list[str]) -> Wording:
    return Wording(**{name: tuple(texts) for name, texts in parts.items()})


ALL_TYPES = (
    "it-implementation",
    "customer-implementation",
    "manufacturing",
    "engineering",
    "r-and-d",
    "infrastructure",
    "organizational-change",
)
IT, CUSTOMER, MANUFACTURING, ENGINEERING, RND, INFRA, ORG = ALL_TYPES


TOPICS: tuple[Topic, ...] = (
    Topic(
        "data-migration",
        "legacy or master data of poor quality makes the data migration fail or slip",
        0.4,
        (IT, CUSTOMER, INFRA),
        "quality",
        "data",
        "data",
        en=_w(
            nouns=["the data migration", "the legacy data conversion", "the master data load"],
            headlines=[
                "legacy data failed the first trial load",
                "dirty master data delayed the {golive}",
            ],
            lesson_titles=[
                "Profile the legacy data before estimating the migration",
                "Let business owners decide on master-data cleansing",
                "Run two full trial loads with production-sized data",
            ],
            risk_titles=[
                "Legacy records not clean enough to convert",
                "Master data quality too poor to load into {system}",
            ],
            sop_titles=[
                "Data conversion readiness procedure",
                "Master data cleansing and trial load procedure",
            ],
            events=[
                "The first trial load into {system} ran in week {n} and {pct} % of customer and material records were rejected: duplicates, missing tax numbers and free-text units.",
                "Nobody had profiled {legacy} before the estimate; the plan assumed a few percent of bad records, and the real figure was {pct} %.",
                "Cleansing questions piled up because the migration team could not decide which of two duplicate records was correct; answers took more than a week each.",
            ],
            causes=[
                "Data quality was estimated, not measured, and cleansing had no business owner.",
                "Only one mock conversion was planned, so there was no time to fix errors and load again.",
            ],
            insights=[
                "A migration is only proven when it has run end to end on a full copy of production data; the first run always finds problems.",
                "The people who use the data must own its cleansing; IT can only run the tools.",
            ],
            actions=[
                "Profile the source data (completeness, duplicates, invalid values) before the estimate.",
                "Name a business owner for each data object who answers cleansing questions within three days.",
                "Plan at least two full trial loads, the last one six weeks before the {golive}.",
                "Confirm the {golive} date only when the last trial load reaches 99.5 % of records.",
            ],
            triggers=[
                "Trial load dates slipping; no profiling results by the end of design.",
                "Open cleansing questions growing week after week; load success below 95 % in the first rehearsal.",
            ],
            risks=[
                "Because {legacy} never validated its master data, many records may fail the checks of {system}, leading to repeated trial loads and a late {golive}.",
                "Because the conversion rules are written before anyone has looked at the real data, the load may reject a large share of records, leading to weeks of manual cleansing.",
            ],
            responses=[
                "We named data owners in the business, added a second trial load and held a daily cleansing stand-up.",
                "Records were cleansed in {legacy} before extraction, and a data quality dashboard was reviewed in every steering meeting.",
            ],
        ),
        zh=_w(
            nouns=["数据迁移", "历史数据转换", "主数据导入"],
            headlines=["首次迁移演练大量数据校验失败", "主数据质量差导致{golive}推迟"],
            lesson_titles=[
                "估算前先实测源数据质量",
                "主数据清洗必须由业务部门负责",
                "至少做两轮全量数据迁移演练",
            ],
            risk_titles=["历史数据质量不满足迁移要求", "{system} 主数据导入失败率高"],
            sop_titles=["数据迁移准备与演练规程", "主数据清洗与导入检查规程"],
            events=[
                "第一次迁移演练在第 {n} 周进行，{pct}% 的客户和物料数据没有通过 {system} 的校验，问题包括编码重复、缺少税号和计量单位不规范。",
                "项目估算前没有人评估过{legacy}的数据，计划按少量错误考虑，实测错误率却达到 {pct}%。",
                "迁移小组无法判断两条重复记录哪条正确，清洗问题积压，每个问题平均要等一周以上才有业务答复。",
            ],
            causes=[
                "数据质量靠估计而不是实测，清洗工作没有业务负责人。",
                "计划里只有一次模拟迁移，发现问题后没有时间修正再导入。",
            ],
            insights=[
                "数据迁移只有在全量生产数据上完整跑通才算可靠，第一次演练一定会发现问题。",
                "数据由谁使用就由谁负责清洗，IT 只能提供工具。",
            ],
            actions=[
                "估算前完成源数据质量评估（完整性、重复、无效值）。",
                "每类主数据指定业务负责人，三个工作日内答复清洗问题。",
                "安排至少两轮全量迁移演练，最后一轮不晚于{golive}前六周。",
                "最后一轮演练成功率达到 99.5% 才确认{golive}日期。",
            ],
            triggers=[
                "迁移演练日期一再推迟；设计阶段结束仍没有数据评估结果。",
                "待答复的清洗问题逐周增加；首轮演练成功率低于 95%。",
            ],
            risks=[
                "由于{legacy}多年来没有主数据校验，大量记录可能无法通过 {system} 的检查，导致反复演练、{golive}推迟。",
                "由于转换规则在看到真实数据之前就已编写，导入时可能有大量记录被拒，需要数周人工清洗。",
            ],
            responses=[
                "项目为每类数据指定了业务负责人，增加一轮演练，并每天召开清洗站会。",
                "在抽取前先在{legacy}中清洗数据，每次指导委员会都审阅数据质量看板。",
            ],
        ),
    ),
    Topic(
        "key-person",
        "a key consultant, engineer or expert leaves the project and their knowledge goes with them",
        0.15,
        ALL_TYPES,
        "resource",
        "resource",
        "resourcing",
        en=_w(
            nouns=[
                "the key-person dependency",
                "the departure of a key expert",
                "knowledge held by one person",
            ],
            headlines=[
                "lead consultant left mid-project",
                "key engineer resigned without a handover",
            ],
            lesson_titles=[
                "Put a key-person clause in every integrator contract",
                "Keep design know-how out of one person's head",
                "Plan a handover overlap when a key expert leaves",
            ],
            risk_titles=[
                "The {vendor}'s {consultant} leaves during the project",
                "Key expert resigns before the {golive}",
            ],
            sop_titles=["Handover procedure for key project roles", "Key-person risk review"],
            events=[
                "In week {n} the {vendor} told us that its {consultant} would leave the company within two weeks; the configuration and the open design decisions were documented only in that person's notes.",
                "Our own {consultant} resigned three months before the {golive}. The replacement needed {weeks} weeks to become productive, and two design workshops had to be repeated.",
                "When the {consultant} moved to another customer, nobody else knew the mapping rules and scripts; work stopped for {days} days while a new person read through them.",
            ],
            causes=[
                "The contract named no key people and had no handover obligation.",
                "Know-how was concentrated in one person and nobody checked it was written down.",
            ],
            insights=[
                "A project that depends on one person's knowledge has a single point of failure; the risk is not that people leave but that nobody else can continue.",
                "Documentation written while the work is done costs hours; documentation rebuilt after someone leaves costs weeks.",
            ],
            actions=[
                "Name the key people in the contract and require our approval for any replacement.",
                "Agree a handover of at least ten working days at the {vendor}'s cost.",
                "Keep designs, scripts and mapping rules in our repository from day one.",
                "Pair every key role with a deputy who attends the design decisions.",
            ],
            triggers=[
                "Key person missing from steering meetings or replaced by juniors; the {vendor} reluctant to confirm staffing for the next quarter.",
                "Questions answered only by one person; no documentation in the repository for weeks.",
            ],
            risks=[
                "Because the solution know-how sits with one {consultant}, their departure may stop the work for weeks, leading to a late {golive} and extra cost.",
                "Because the market for experienced specialists is tight, a key expert may be recruited away mid-project, leading to rework and a slower team.",
            ],
            responses=[
                "We escalated to the {vendor}'s account director, obtained a two-week handover overlap at half rate and moved all artefacts into our repository.",
                "A deputy was named for each key role and joined every design decision from then on.",
            ],
        ),
        zh=_w(
            nouns=["关键人员依赖", "核心人员离职", "知识集中在个人手里"],
            headlines=["核心顾问项目中途离职", "关键工程师离职且未交接"],
            lesson_titles=[
                "实施合同中写明关键人员条款",
                "项目关键知识不能只在一个人脑子里",
                "核心人员离职要安排交接重叠期",
            ],
            risk_titles=["{vendor}的{consultant}在项目中途离职", "关键技术人员在{golive}前离职"],
            sop_titles=["项目关键岗位交接规程", "关键人员风险检查规程"],
            events=[
                "第 {n} 周{vendor}通知我们，其{consultant}两周后离职；系统配置和未决的设计决定都只记录在他个人的笔记里。",
                "我方{consultant}在{golive}前三个月提出辞职，接替的人用了 {weeks} 周才进入状态，两场设计研讨会只好重开。",
                "{consultant}被调去支持其他客户后，没有人清楚映射规则和脚本，工作停了 {days} 天，新人只能从头阅读代码。",
            ],
            causes=[
                "合同没有指定关键人员，也没有交接义务。",
                "知识集中在一个人身上，没有人检查是否形成文档。",
            ],
            insights=[
                "依赖一个人的项目存在单点故障，风险不在于有人离开，而在于别人接不上。",
                "边做边写文档只需几个小时，人走后再补文档要花几周。",
            ],
            actions=[
                "合同中列明关键人员名单，更换人员须经我方同意。",
                "约定至少十个工作日的交接期，费用由{vendor}承担。",
                "设计文档、脚本和映射规则从第一天起存放在我方代码库。",
                "每个关键岗位配一名 B 角，参加所有设计决策。",
            ],
            triggers=[
                "关键人员缺席指导委员会会议或由新人代替；{vendor}不愿确认下季度人员安排。",
                "问题只有一个人能回答；代码库连续几周没有新文档。",
            ],
            risks=[
                "由于方案知识集中在一名{consultant}身上，其离职可能导致工作停滞数周，{golive}推迟并增加成本。",
                "由于有经验的专业人才紧缺，核心人员可能在项目中途被挖走，导致返工和团队效率下降。",
            ],
            responses=[
                "我们向{vendor}的客户总监升级，争取到两周半价的交接重叠期，并把全部资料转入我方代码库。",
                "此后每个关键岗位都指定了 B 角，参加每一次设计决策。",
            ],
        ),
    ),
    Topic(
        "vendor-late",
        "a vendor or supplier delivers equipment or hardware late",
        0.7,
        (MANUFACTURING, ENGINEERING, INFRA, RND, IT),
        "procurement",
        "vendor",
        "vendor",
        en=_w(
            nouns=[
                "the late delivery by the {vendor}",
                "the delayed equipment delivery",
                "the slipped delivery date",
            ],
            headlines=[
                "{item} arrived {weeks} weeks late",
                "the {vendor} missed the delivery date",
            ],
            lesson_titles=[
                "Tie equipment payments to evidence of manufacturing progress",
                "Ask the {vendor} for a confirmed build slot, not a promise",
                "Keep a rental or fallback option for critical hardware",
            ],
            risk_titles=[
                "{item} delivered late by the {vendor}",
                "The {vendor} misses the contractual delivery date",
            ],
            sop_titles=[
                "Expediting procedure for critical deliveries",
                "Supplier delivery milestone tracking",
            ],
            events=[
                "The {item} were due on the date in the {po}, but the {vendor} shipped them {weeks} weeks later; the factory test and the installation slipped with them.",
                "Two weeks before the promised date the {vendor} announced a partial shipment because of a component shortage; the rest of the {item} came {days} days late.",
                'Status calls with the {vendor} kept reporting "on track" until the week of delivery, when the date moved by {weeks} weeks without warning.',
            ],
            causes=[
                "The contract had no intermediate milestones, so there was no evidence of progress to check.",
                "We relied on the {vendor}'s status reports instead of an order confirmation with a build slot.",
            ],
            insights=[
                "A delivery date is a promise, not a plan; for critical-path equipment ask for evidence of progress and pay against it.",
                "The warning signs of a late delivery are visible weeks ahead if someone looks for them: no build slot, vague answers, allocation notices.",
            ],
            actions=[
                "Require an order confirmation with a build slot within two weeks of the {po}.",
                "Link payments to milestones with evidence: build slot, assembly photos, test report before shipping.",
                "Include delay damages in the contract, for example 0.5 % per week capped at 5 %.",
                "Escalate to the {vendor}'s management as soon as a milestone is missed.",
            ],
            triggers=[
                'No order confirmation with a build slot; vague status answers such as "on track" or "week 32".',
                "Allocation notices for components from the market; the {vendor} asks to split the shipment.",
            ],
            risks=[
                "Because the {item} have long lead times and come from a single {vendor}, they may arrive late, leading to a compressed factory test and a late {golive}.",
                "Because the {vendor} is overloaded with orders this year, the delivery date may slip, leading to idle installation crews and overtime.",
            ],
            responses=[
                "We split the factory test so software could be tested on a simulation before the hardware arrived, which saved about a week.",
                "Our buyer visited the {vendor}'s plant, obtained a priority slot for the first batch and rented replacement units for testing.",
            ],
        ),
        zh=_w(
            nouns=["{vendor}交货延迟", "设备到货推迟", "交付日期延误"],
            headlines=["{item}晚到 {weeks} 周", "{vendor}未按合同日期交货"],
            lesson_titles=[
                "设备付款与制造进度证据挂钩",
                "要求{vendor}确认排产计划而不是口头承诺",
                "关键硬件提前准备租赁或备选方案",
            ],
            risk_titles=["{vendor}延迟交付{item}", "{vendor}未能按合同期限交货"],
            sop_titles=["关键设备催交规程", "供应商交货节点跟踪规程"],
            events=[
                "{po}约定的到货日期到了，{vendor}却晚了 {weeks} 周才发出{item}，出厂测试和安装随之推迟。",
                "在承诺交货日前两周，{vendor}以零部件缺货为由通知分批发货，其余{item}晚到了 {days} 天。",
                "与{vendor}的周例会一直说“按计划进行”，直到交货当周才突然推迟 {weeks} 周，事先没有任何预警。",
            ],
            causes=[
                "合同没有设置中间节点，无法检查制造进度。",
                "我们依赖{vendor}的口头进度汇报，而没有要求书面排产确认。",
            ],
            insights=[
                "交货日期只是承诺，不是计划；关键路径上的设备要看进度证据并按证据付款。",
                "交货延迟的预警信号往往提前几周就能看到：没有排产计划、回复含糊、市场缺货通知。",
            ],
            actions=[
                "{po}下达两周内必须收到含排产时间的订单确认。",
                "付款与有证据的节点挂钩：排产确认、装配照片、出厂检验报告。",
                "合同约定延期违约金，例如每周 0.5%，上限 5%。",
                "任何节点延误立即升级到{vendor}管理层。",
            ],
            triggers=[
                "迟迟拿不到排产计划；{vendor}回复使用“预计”“争取”等含糊措辞。",
                "市场出现芯片等关键物料缺货通知；{vendor}提出分批发货。",
            ],
            risks=[
                "由于{item}交期长且只有一家{vendor}，可能延迟到货，导致出厂测试被压缩、{golive}推迟。",
                "由于{vendor}今年订单饱满，交货期可能推迟，导致安装队伍窝工和加班费用。",
            ],
            responses=[
                "我们把出厂测试拆成仿真测试和硬件测试两部分，软件在硬件到货前先测，节省了约一周。",
                "采购人员到{vendor}工厂现场督促，争取到第一批优先发货，并租用临时设备用于测试。",
            ],
        ),
    ),
    Topic(
        "scope-creep",
        "customer requests accepted without change control make the scope grow",
        0.1,
        (CUSTOMER, IT, ENGINEERING),
        "scope",
        "requirements",
        "requirements",
        en=_w(
            nouns=[
                "scope creep",
                "uncontrolled customer requests",
                "scope growing without change control",
            ],
            headlines=[
                "informal requests added {pct} % to the effort",
                "scope grew without change requests",
            ],
            lesson_titles=[
                "Route every customer request through a change request",
                "Set up the change control board at kick-off",
                "Show the requests log in every status report",
            ],
            risk_titles=[
                "Scope creep through informal customer requests",
                "Unpaid extra work accepted in workshops",
            ],
            sop_titles=[
                "Change control for customer requests",
                "Requests log and change board procedure",
            ],
            events=[
                "In design workshops the consultants accepted {n} small requests from {client}: extra fields, another approval step, new report layouts. Each looked harmless; together they added {pct} % to the effort.",
                "The backlog kept growing while the burn-down stayed flat for three sprints; an internal review found that requests had been added without any change request.",
                'Users at {client} asked for "one more small adjustment" in every demo, and the team said yes to keep them happy; the {golive} slipped by {weeks} weeks on a fixed-price contract.',
            ],
            causes=[
                "There was no change control board and no single log of requests until the overrun was visible.",
                'Consultants wanted to be helpful and had no simple way to say "yes, as a change request".',
            ],
            insights=[
                "Scope creep rarely comes from one big request; it comes from many small ones accepted to be helpful.",
                'Customers accept change control when it is fair and visible: the answer to a request is not "no" but "yes, as a change request".',
            ],
            actions=[
                "Log every request on the day it is heard, with who asked and why.",
                "Estimate each request within five working days and let a board with the customer's sponsor decide weekly.",
                "Do not start work on a request before it is approved and priced.",
                "Report open, approved, deferred and declined requests in every status report.",
            ],
            triggers=[
                'Workshop notes with "small adjustments" agreed; backlog growing without change requests.',
                "Burn-down flat while the team works overtime; the customer's sponsor absent from workshops.",
            ],
            risks=[
                "Because the solution is built in close workshops with users at {client}, the team may accept additional requests without change control, leading to unpaid effort and a late {golive}.",
                "Because the contract is fixed-price and the requirements are broad, small additions may accumulate, leading to a lower margin and a dispute at acceptance.",
            ],
            responses=[
                "We set up a weekly change board with the customer's sponsor; {n} requests were approved as paid changes and the rest deferred to phase 2.",
                "Every open request was estimated and shown to {client} in one list, which ended the discussion about what was in scope.",
            ],
        ),
        zh=_w(
            nouns=["范围蔓延", "客户需求不断增加", "未经变更控制的需求"],
            headlines=["非正式需求使工作量增加 {pct}%", "没有变更单范围不断扩大"],
            lesson_titles=[
                "客户提出的每项需求都走变更流程",
                "项目启动时就成立变更控制委员会",
                "每期周报都列出需求台账",
            ],
            risk_titles=["客户非正式需求导致范围蔓延", "研讨会上承诺了大量无偿的额外工作"],
            sop_titles=["客户需求变更控制规程", "需求台账与变更委员会规程"],
            events=[
                "设计研讨会上顾问先后答应了{client} {n} 项“小需求”：增加字段、多一道审批、新的报表格式。单看都不大，加起来使工作量增加了 {pct}%。",
                "需求池不断变大，燃尽图连续三个迭代几乎不动；内部评审发现很多需求都没有走变更单就加了进来。",
                "{client}的用户每次演示都提出“再调整一点”，团队为了让客户满意都答应了，固定总价项目的{golive}推迟了 {weeks} 周。",
            ],
            causes=[
                "直到超支暴露之前，既没有变更控制委员会，也没有统一的需求台账。",
                "顾问想帮客户，却没有简单的办法说“可以，走变更”。",
            ],
            insights=[
                "范围蔓延很少来自一个大需求，而是来自许多出于好意答应下来的小需求。",
                "只要变更流程公平透明，客户是能接受的：对新需求的回答不是“不行”，而是“可以，走变更单”。",
            ],
            actions=[
                "每项需求当天登记，写明提出人和原因。",
                "五个工作日内评估影响，由包含客户发起人的变更委员会每周决策。",
                "需求批准并报价之前不开始开发。",
                "每期周报列出待定、批准、延后和拒绝的需求数量。",
            ],
            triggers=[
                "研讨会纪要中出现“微调”之类的承诺；需求池增长却没有变更单。",
                "团队在加班但燃尽图不动；客户发起人不参加研讨会。",
            ],
            risks=[
                "由于方案是在与{client}用户的研讨会中逐步形成的，团队可能在没有变更控制的情况下接受额外需求，导致无偿投入和{golive}推迟。",
                "由于合同是固定总价而需求描述宽泛，零星增加的需求可能累积起来，导致利润下降和验收争议。",
            ],
            responses=[
                "我们与客户发起人成立了每周变更委员会，{n} 项需求作为付费变更批准，其余延后到二期。",
                "把所有待定需求逐项估算后用一张清单给{client}看，关于范围的争论就此结束。",
            ],
        ),
    ),
    Topic(
        "safety-validation",
        "the safety validation or assessor is booked too late, or safety functions fail acceptance",
        0.1,
        (MANUFACTURING, ENGINEERING),
        "schedule",
        "safety",
        "planning",
        en=_w(
            nouns=["the safety validation", "the external safety assessment", "safety acceptance"],
            headlines=[
                "safety assessor booked too late",
                "the line waited {weeks} weeks for safety sign-off",
            ],
            lesson_titles=[
                "Book the safety assessor when the schedule is set",
                "Treat safety validation as a long-lead item",
                "Test every safety function at the factory acceptance test",
            ],
            risk_titles=[
                "Safety validation slot not available when installation ends",
                "Safety functions fail the site acceptance",
            ],
            sop_titles=[
                "Safety validation planning for machinery changes",
                "Functional safety sign-off procedure",
            ],
            events=[
                "The plan showed safety validation as a two-day task at the end of installation. When we called the external assessor, the first free slot was {weeks} weeks later, and the equipment stood ready but could not run.",
                "The validation plan was written only a week before the assessor's visit; she rejected {n} test cases and a second visit was needed.",
                "Late changes to the safety program after the factory acceptance test meant the light curtains and guard interlocks had to be retested on site, and the restart moved by {days} days.",
            ],
            causes=[
                "Safety validation was treated as the last step of the plan, not as a scarce resource to book.",
                "Nobody owned the validation plan until installation was finished.",
            ],
            insights=[
                "External assessors are booked out for months, especially in the fourth quarter; book the slot when the dates are set, not when the work is done.",
                "Safety functions that are tested at the factory acceptance test rarely fail on site.",
            ],
            actions=[
                "Book the assessor as soon as the factory acceptance test date is known.",
                "Send the validation plan, one test case per safety function, four weeks before the visit.",
                "Freeze the safety program after the factory test; any change needs a new test case.",
                "Keep a provisional second slot when the installation date is uncertain.",
            ],
            triggers=[
                "No assessor booked at the time of the factory acceptance test; validation plan not written four weeks before the visit.",
                "Late changes to the safety PLC program; safety functions not covered by the factory test.",
            ],
            risks=[
                "Because the external assessor has waiting times of several weeks, the validation may not happen when installation ends, leading to equipment that cannot legally run.",
                "Because {n} safety functions change in this project, one or more may fail validation, leading to a second visit and weeks of delay.",
            ],
            responses=[
                "We booked the assessor five months ahead and sent the validation plan a month before the visit; all functions passed at the first attempt.",
                "Every safety function was tested with the integrator at the factory, with our safety engineer present, and findings were fixed before shipping.",
            ],
        ),
        zh=_w(
            nouns=["安全验证", "第三方安全评估", "安全验收"],
            headlines=["安全评估机构预约太晚", "产线等安全签字等了 {weeks} 周"],
            lesson_titles=[
                "排定计划时就预约安全评估人员",
                "把安全验证当作长周期事项管理",
                "出厂验收时测试全部安全功能",
            ],
            risk_titles=["安装完成时约不到安全验证档期", "安全功能现场验收不通过"],
            sop_titles=["设备改造安全验证策划规程", "功能安全签字确认规程"],
            events=[
                "计划中把安全验证列为安装结束时的两天工作。等联系外部评估机构时，最早的档期在 {weeks} 周以后，设备已经装好却不能运行。",
                "验证方案在评估人员到场前一周才写好，{n} 个测试用例被退回，只好安排第二次现场验证。",
                "出厂验收后又修改了安全程序，光幕和安全门联锁必须在现场重新测试，复产推迟了 {days} 天。",
            ],
            causes=[
                "安全验证被当作计划的最后一步，而不是需要提前预约的稀缺资源。",
                "安装完成之前没有人负责编写验证方案。",
            ],
            insights=[
                "外部评估人员的档期往往排到几个月后，四季度尤其紧张；应在确定日期时预约，而不是等工作做完。",
                "在出厂验收阶段测试过的安全功能，现场很少出问题。",
            ],
            actions=[
                "出厂验收（FAT）日期一确定就预约评估人员。",
                "评估前四周提交验证方案，每个安全功能一个测试用例。",
                "出厂验收后冻结安全程序，任何修改都要新增测试用例。",
                "安装日期不确定时预留第二个备用档期。",
            ],
            triggers=[
                "出厂验收时还没有预约评估人员；评估前四周验证方案仍未完成。",
                "安全 PLC 程序临近验收还在修改；部分安全功能没有在出厂验收中覆盖。",
            ],
            risks=[
                "由于外部评估人员需要提前数周预约，安装结束时可能无法及时验证，导致设备不能合法运行。",
                "由于本项目涉及 {n} 个安全功能的变更，可能有功能验证不通过，需要第二次评估并延误数周。",
            ],
            responses=[
                "我们提前五个月预约评估人员，提前一个月提交验证方案，所有安全功能一次通过。",
                "每个安全功能都在出厂验收时由集成商测试，我方安全工程师在场，问题在发货前整改完毕。",
            ],
        ),
    ),
    Topic(
        "training",
        "end users are not trained well enough before go-live and productivity drops",
        0.7,
        (IT, CUSTOMER, ORG, MANUFACTURING),
        "resource",
        "resource",
        "skills",
        en=_w(
            nouns=["end-user training", "the training of the staff", "user readiness"],
            headlines=[
                "staff not ready on the new system",
                "productivity dropped {pct} % after the {golive}",
            ],
            lesson_titles=[
                "Train users on their own tasks with real devices before the {golive}",
                "Test users' skills before the {golive}, not only their attendance",
                "Plan super users on every shift for the first weeks",
            ],
            risk_titles=[
                "Users not trained well enough for the {golive}",
                "Productivity drop after the {golive} because staff lack practice",
            ],
            sop_titles=[
                "Role-based training and readiness check",
                "End-user training plan for system changes",
            ],
            events=[
                "Users attended two classroom sessions built around a demo of {system}; in the first week after the {golive} throughput fell by {pct} % and team leaders handled the exceptions by hand.",
                "Training was squeezed into the last week because the training environment and devices arrived late; many staff used the system for the first time on the day of the {golive}.",
                "The training material explained screens, not tasks; nobody had practised what to do when a scan failed or stock was missing, and the help desk received {n} calls on the first day.",
            ],
            causes=[
                "Training was planned as an event, not as a readiness criterion with a test.",
                "Training time and devices were not on the critical path, so they were cut when other work slipped.",
            ],
            insights=[
                "People learn a new system by doing their own job with it; a classroom demo makes them familiar with it, not able to use it.",
                "User readiness is part of the {golive} criteria, like the data and the interfaces.",
            ],
            actions=[
                "Write a one-page task card per role, including the common exceptions.",
                "Give every user at least four hours of hands-on practice in the training environment.",
                "Test users before the {golive}; postpone teams with a pass rate below 90 %.",
                "Put a super user on every shift for the first two weeks.",
            ],
            triggers=[
                "Training plan consisting of presentations only; no practice time on real devices.",
                "Pass rate of practice tests below 90 %; team leaders unsure how to handle exceptions.",
            ],
            risks=[
                "Because staff will use {system} for the first time and training time is short, users may not handle common exceptions, leading to lower productivity and overtime after the {golive}.",
                "Because the trainers are the same {keyuser} who are still testing, training may be cut short, leading to many help-desk calls in the first weeks.",
            ],
            responses=[
                "We placed super users on every shift, wrote task cards for the three most common exceptions and held ten-minute refreshers every morning.",
                "The {golive} of the second site was postponed by one week to give every team half a day of hands-on practice.",
            ],
        ),
        zh=_w(
            nouns=["用户培训", "一线员工培训", "上线准备"],
            headlines=["员工不会用新系统", "{golive}后作业效率下降 {pct}%"],
            lesson_titles=[
                "{golive}前按岗位用真实设备开展实操培训",
                "{golive}前考核员工技能而不只是签到",
                "{golive}初期每个班次安排超级用户",
            ],
            risk_titles=["用户培训不足影响{golive}", "员工缺乏练习导致{golive}后效率下降"],
            sop_titles=["按岗位培训与上岗考核规程", "系统变更的最终用户培训规程"],
            events=[
                "员工只参加了两次以 {system} 演示为主的课堂培训；{golive}后第一周作业效率下降 {pct}%，异常都由班组长手工处理。",
                "培训环境和设备到得晚，培训被压缩到最后一周，很多员工在{golive}当天才第一次使用系统。",
                "培训材料讲的是界面而不是业务操作，没有人练习过扫描失败或缺货时怎么处理，第一天服务台接到 {n} 个电话。",
            ],
            causes=[
                "培训被当成一次活动来安排，而不是有考核的上线准入条件。",
                "培训时间和设备不在关键路径上，其他工作一延误就被压缩。",
            ],
            insights=[
                "员工是在用新系统做自己的工作时学会它的；课堂演示只能让人“看过”，不能让人“会做”。",
                "用户准备就绪和数据、接口一样，是{golive}的准入条件。",
            ],
            actions=[
                "按岗位编写一页纸操作卡，包含常见异常的处理方法。",
                "每名员工在培训环境中至少完成四小时实操练习。",
                "{golive}前进行上岗考核，通过率低于 90% 的班组推迟切换。",
                "{golive}后前两周每个班次安排一名超级用户。",
            ],
            triggers=[
                "培训计划只有课堂讲解；员工没有真机练习时间。",
                "模拟考核通过率低于 90%；班组长不熟悉异常处理流程。",
            ],
            risks=[
                "由于员工第一次使用 {system} 且培训时间紧张，可能不会处理常见异常，导致{golive}后效率下降和加班。",
                "由于培训讲师就是仍在做测试的{keyuser}，培训可能被压缩，导致上线初期服务台电话激增。",
            ],
            responses=[
                "我们在每个班次安排超级用户，为三类最常见异常编写操作卡，并在每天早会上进行十分钟复训。",
                "第二个现场的{golive}推迟一周，让每个班组都有半天实操练习。",
            ],
        ),
    ),
    Topic(
        "change-orders",
        "change orders and contract variations push the cost over budget",
        0.35,
        (ENGINEERING, INFRA, MANUFACTURING),
        "cost",
        "cost",
        "governance",
        en=_w(
            nouns=["the change orders", "contract variations", "claims for extra work"],
            headlines=[
                "change orders pushed costs {pct} % over budget",
                "variations ate the contingency",
            ],
            lesson_titles=[
                "Price every variation before the work starts",
                "Freeze the design before tendering the construction",
                "Track approved and pending change orders against the contingency",
            ],
            risk_titles=[
                "Budget overrun from contractor change orders",
                "Variations exceed the contingency",
            ],
            sop_titles=[
                "Variation order approval procedure",
                "Change order and contingency control",
            ],
            events=[
                "The contractor submitted {n} change orders during construction, most for design details that were still open at tender; the final cost was {pct} % over the approved budget.",
                "Variations were agreed verbally on site by the site manager and priced only months later; by then the contingency of {money} was gone.",
                "The client changed the layout twice after the contract was signed, and each change came back as a claim for extra work and extra time.",
            ],
            causes=[
                "The design was not complete when the contract was tendered, so every open detail became a variation.",
                "There was no rule that a change order is priced and approved before the work starts.",
            ],
            insights=[
                "Every open design question at tender time turns into a change order later, at a worse price.",
                "A variation that is not priced before the work starts is priced by the contractor afterwards.",
            ],
            actions=[
                "Complete the design to the agreed level before tendering; list the open points explicitly.",
                "Approve change orders in writing, with price and time impact, before work starts.",
                "Report approved, pending and expected change orders against the contingency every month.",
                "Give only the project manager authority to instruct variations.",
            ],
            triggers=[
                "Growing number of requests for information from the contractor; verbal instructions on site.",
                "Pending change orders above half of the remaining contingency.",
            ],
            risks=[
                "Because the design is tendered before it is complete, the contractor may claim many variations, leading to a budget overrun and disputes at the final account.",
                "Because the client's requirements for the layout are still changing, change orders may accumulate, leading to extra cost and a later {golive}.",
            ],
            responses=[
                "All open variations were priced in one workshop with the contractor and the client decided which to keep; {n} were dropped.",
                "A weekly change order log was introduced and every instruction on site needed the project manager's signature.",
            ],
        ),
        zh=_w(
            nouns=["工程变更", "变更签证", "合同外增项"],
            headlines=["工程变更使成本超支 {pct}%", "变更签证耗尽了不可预见费"],
            lesson_titles=[
                "变更在施工前先定价",
                "施工招标前冻结设计",
                "对照不可预见费跟踪已批和待批变更",
            ],
            risk_titles=["承包商变更签证导致预算超支", "变更金额超过不可预见费"],
            sop_titles=["工程变更签证审批规程", "变更与不可预见费控制规程"],
            events=[
                "施工期间承包商提交了 {n} 份变更，大多是招标时尚未确定的设计细节，最终成本超出批准预算 {pct}%。",
                "现场经理口头同意了很多变更，几个月后才补签定价，此时 {money} 的不可预见费早已用完。",
                "合同签订后业主两次修改布局，每次修改都变成承包商的费用和工期索赔。",
            ],
            causes=[
                "招标时设计没有完成，每个未定的细节后来都变成了变更。",
                "没有规定变更必须先定价、先审批再施工。",
            ],
            insights=[
                "招标时每一个未决的设计问题，之后都会以更高的价格变成变更。",
                "施工前没有定价的变更，最后由承包商来定价。",
            ],
            actions=[
                "招标前设计达到约定深度，并明确列出未决事项。",
                "变更须在施工前书面审批，写明费用和工期影响。",
                "每月对照不可预见费报告已批、待批和预计的变更。",
                "只有项目经理有权下达变更指令。",
            ],
            triggers=[
                "承包商提出的技术澄清单越来越多；现场出现口头指令。",
                "待批变更金额超过剩余不可预见费的一半。",
            ],
            risks=[
                "由于设计未完成就招标，承包商可能提出大量变更签证，导致预算超支和结算争议。",
                "由于业主对布局的要求仍在变化，变更可能不断累积，导致成本增加、{golive}推迟。",
            ],
            responses=[
                "与承包商开了一次专题会，把所有未决变更逐项定价，由业主决定保留哪些，取消了 {n} 项。",
                "建立每周变更台账，现场任何指令都要项目经理签字。",
            ],
        ),
    ),
    Topic(
        "performance-late",
        "performance or load testing is done too late and the system is slow in production",
        0.15,
        (IT, CUSTOMER, INFRA),
        "quality",
        "technical",
        "technical",
        en=_w(
            nouns=["the performance testing", "the load testing", "the response times"],
            headlines=["the system was too slow at the {golive}", "the load test came too late"],
            lesson_titles=[
                "Run a load test with production volumes before the last test cycle",
                "Write response-time targets into the requirements",
                "Size the infrastructure from measured transaction volumes",
            ],
            risk_titles=[
                "Response times too slow under production load",
                "Performance test left until the last week",
            ],
            sop_titles=[
                "Performance and load test procedure",
                "Non-functional acceptance criteria checklist",
            ],
            events=[
                "The load test was planned for the last week before the {golive} and then cut short; on the first Monday, screens took {n} seconds to open and month-end batch jobs ran into the morning.",
                "Functional tests passed with ten testers, but with {n} concurrent users {system} slowed to a crawl; a missing database index and an undersized server were found in production.",
                "Nobody had agreed response-time targets, so the {vendor} argued that the slow screens were within the contract; tuning took {weeks} weeks after the {golive}.",
            ],
            causes=[
                "Performance was treated as something to check at the end, not as a requirement with a test.",
                "The test environment was much smaller than production, so results could not be trusted.",
            ],
            insights=[
                "A system that works for ten testers tells you nothing about a thousand users; performance has to be measured with production volumes.",
                "Response-time targets that are not written down cannot be accepted or rejected.",
            ],
            actions=[
                "Agree response-time and batch-window targets in the requirements.",
                "Run a load test with production-sized data and volumes before the last test cycle.",
                "Use a test environment sized like production for the performance tests.",
                "Repeat the load test after every major change to the interfaces or the database.",
            ],
            triggers=[
                "No load test in the plan, or one scheduled in the last week; test environment much smaller than production.",
                "Batch jobs already slow in test; the {vendor} unable to state supported volumes.",
            ],
            risks=[
                "Because the load test is scheduled just before the {golive}, performance problems may be found too late to fix, leading to slow screens and an unhappy business.",
                "Because transaction volumes were never measured, the servers may be undersized, leading to outages at peak times.",
            ],
            responses=[
                "We moved the load test forward by six weeks and rented capacity to run it at production volume; two bottlenecks were fixed before the {golive}.",
                "A tuning team from the {vendor} worked on site for two weeks and response times came back under two seconds.",
            ],
        ),
        zh=_w(
            nouns=["性能测试", "压力测试", "系统响应时间"],
            headlines=["{golive}后系统太慢", "压力测试做得太晚"],
            lesson_titles=[
                "最后一轮测试前用生产量级做压力测试",
                "把响应时间指标写进需求",
                "按实测业务量确定硬件配置",
            ],
            risk_titles=["生产负载下系统响应过慢", "性能测试拖到最后一周"],
            sop_titles=["性能与压力测试规程", "非功能验收标准检查表"],
            events=[
                "压力测试原定在{golive}前最后一周，后来又被压缩；第一个周一打开页面要 {n} 秒，月末批处理一直跑到第二天上午。",
                "功能测试时十个测试人员一切正常，{n} 个用户同时在线时 {system} 几乎卡死，上线后才发现缺少数据库索引、服务器配置不足。",
                "事先没有约定响应时间指标，{vendor}坚持说慢是合同允许的，{golive}后调优用了 {weeks} 周。",
            ],
            causes=[
                "性能被当作最后检查一下的事情，而不是有测试的需求。",
                "测试环境远小于生产环境，测试结果不可信。",
            ],
            insights=[
                "系统对十个测试人员好用，不代表对一千个用户好用；性能必须用生产量级来测。",
                "没有书面约定的响应时间指标，就无法验收或拒收。",
            ],
            actions=[
                "在需求中约定响应时间和批处理窗口指标。",
                "最后一轮测试之前用生产量级的数据和并发做压力测试。",
                "性能测试使用与生产配置相当的环境。",
                "接口或数据库有重大变更后重做压力测试。",
            ],
            triggers=[
                "计划里没有压力测试，或者排在最后一周；测试环境远小于生产环境。",
                "测试环境中批处理已经很慢；{vendor}说不清系统支持的业务量。",
            ],
            risks=[
                "由于压力测试安排在{golive}前夕，性能问题可能发现得太晚来不及修复，导致上线后系统缓慢、业务不满。",
                "由于从未测算业务量，服务器可能配置不足，导致高峰期宕机。",
            ],
            responses=[
                "压力测试提前六周进行，临时租用资源按生产量级测试，{golive}前解决了两个瓶颈。",
                "{vendor}派调优小组驻场两周，响应时间降到两秒以内。",
            ],
        ),
    ),
    Topic(
        "interface-defects",
        "interfaces between systems are full of defects found late in integration testing",
        0.35,
        (IT, CUSTOMER, MANUFACTURING),
        "integration",
        "technical",
        "technical",
        en=_w(
            nouns=["the interfaces", "the system integration", "the data exchange between systems"],
            headlines=[
                "interface defects held up integration testing",
                "messages between {system} and {partner} kept failing",
            ],
            lesson_titles=[
                "Agree interface specifications with both system owners before build",
                "Test interfaces end to end early with real messages",
                "Give every interface one owner across both teams",
            ],
            risk_titles=[
                "Interface between {system} and {partner} not working at integration test",
                "Integration defects found late between systems",
            ],
            sop_titles=[
                "Interface specification and integration test procedure",
                "End-to-end integration test checklist",
            ],
            events=[
                "Integration testing started in week {n} and found {n} defects in the interface between {system} and {partner}: wrong field lengths, missing codes and different date formats.",
                "Each team had tested its own side of the interface against a mock-up; when the two systems were connected, orders were posted twice and stock movements went missing.",
                "The interface specification was never signed by the team of {partner}, and each side read it differently; defects bounced between the two teams for {weeks} weeks.",
            ],
            causes=[
                "Each side tested alone; the first end-to-end test was in the integration phase.",
                "Nobody owned the interface as a whole, only the two ends of it.",
            ],
            insights=[
                "An interface is only tested when real messages go from one system to the other and back; two sides tested separately prove little.",
                "Interfaces need one owner across both teams, or defects bounce between them.",
            ],
            actions=[
                "Sign the interface specification with both system owners before build starts.",
                "Run a first end-to-end test with real messages as soon as both ends exist, not in the integration phase.",
                "Name one owner per interface who can assign defects to either team.",
                "Keep a shared list of code mappings and test it with production values.",
            ],
            triggers=[
                "Interface specification still in draft at build start; the other system's team not in the test plan.",
                "Defects reassigned between teams more than once; no end-to-end test before integration testing.",
            ],
            risks=[
                "Because {system} and {partner} are built by different teams, the interface may not work when they are first connected, leading to weeks of defect fixing in integration testing.",
                "Because code mappings between the systems are maintained by hand, messages may fail in production, leading to lost orders and manual rework.",
            ],
            responses=[
                "A joint interface team with one lead from each side met daily until the defect list was empty.",
                "We built an end-to-end test harness and replayed a week of production messages through it before the {golive}.",
            ],
        ),
        zh=_w(
            nouns=["系统接口", "系统集成", "系统间数据交换"],
            headlines=["接口缺陷拖慢联调测试", "{system} 与 {partner} 之间报文频繁失败"],
            lesson_titles=[
                "开发前由双方系统负责人确认接口规格",
                "尽早用真实报文进行端到端接口测试",
                "每个接口指定一名跨团队负责人",
            ],
            risk_titles=["联调时 {system} 与 {partner} 接口不通", "系统间集成缺陷发现得太晚"],
            sop_titles=["接口规格与联调测试规程", "端到端集成测试检查表"],
            events=[
                "第 {n} 周开始联调，{system} 与 {partner} 之间的接口发现了 {n} 个缺陷：字段长度不对、编码缺失、日期格式不一致。",
                "两边团队都只是对着模拟程序测试自己这一端，两个系统一连通，订单重复过账，库存移动记录丢失。",
                "接口规格书一直没有经过 {partner} 团队签字，双方理解不同，缺陷在两个团队之间来回推了 {weeks} 周。",
            ],
            causes=[
                "双方各测各的，第一次端到端测试已经到了联调阶段。",
                "没有人对整个接口负责，只有两端各自的负责人。",
            ],
            insights=[
                "只有真实报文从一个系统发到另一个系统再返回，接口才算测过；两端分别测试说明不了问题。",
                "接口需要一名跨团队的负责人，否则缺陷会在两边来回推诿。",
            ],
            actions=[
                "开发开始前由双方系统负责人签署接口规格。",
                "两端一具备条件就用真实报文做第一次端到端测试，不要等到联调阶段。",
                "每个接口指定一名负责人，有权把缺陷分派给任何一方。",
                "维护一份共享的编码映射表，并用生产数据进行测试。",
            ],
            triggers=[
                "开发开始时接口规格仍是草稿；对方系统团队不在测试计划中。",
                "缺陷在团队之间被多次转派；联调前没有做过端到端测试。",
            ],
            risks=[
                "由于 {system} 和 {partner} 由不同团队开发，第一次连通时接口可能不通，导致联调阶段花数周修复缺陷。",
                "由于系统间的编码映射靠手工维护，上线后报文可能失败，导致订单丢失和人工补录。",
            ],
            responses=[
                "双方各派一名负责人组成联合接口小组，每天碰头，直到缺陷清零。",
                "我们搭建了端到端测试工具，在{golive}前回放了一周的生产报文。",
            ],
        ),
    ),
    Topic(
        "regulatory",
        "a regulatory approval, certification or permit takes longer than planned",
        0.75,
        (RND, ENGINEERING, INFRA),
        "schedule",
        "regulatory",
        "external",
        en=_w(
            nouns=["the regulatory approval", "the certification", "the permit"],
            headlines=[
                "approval by the authority took {weeks} weeks longer",
                "certification delayed the launch",
            ],
            lesson_titles=[
                "Hold a pre-submission meeting with the authority",
                "Plan the approval file from the start of development",
                "Book the notified body and test lab early",
            ],
            risk_titles=[
                "Regulatory approval delayed beyond the launch date",
                "Authority asks for more evidence before granting the permit",
            ],
            sop_titles=[
                "Regulatory submission planning procedure",
                "Permit and certification tracking",
            ],
            events=[
                "The submission was filed in month {n}; the authority came back with {n} questions on the clinical and test evidence, and the approval arrived {weeks} weeks after the planned launch.",
                "The test lab that had to certify the product had no free slot for {weeks} weeks, and the first test failed on a labelling detail, which cost another round.",
                "The building permit required an environmental study that nobody had planned; construction could not start until the authority had reviewed it.",
            ],
            causes=[
                "The approval route was assumed from a previous product and not checked with the authority.",
                "Regulatory work started when development was finished, not alongside it.",
            ],
            insights=[
                "Authorities and notified bodies work to their own timetable; the only way to shorten it is a complete file and an early conversation.",
                "Certification is on the critical path from the first day of development, not an activity for the end.",
            ],
            actions=[
                "Hold a pre-submission meeting with the authority to confirm the approval route and the evidence expected.",
                "Build the technical file during development and review it at every phase gate.",
                "Book the notified body or test lab as soon as the test date is known.",
                "Add the authority's review time, with a margin, to the schedule.",
            ],
            triggers=[
                "Approval route not confirmed with the authority; technical file incomplete at the design review.",
                "Test lab without a confirmed slot; new guidance published by the regulator during the project.",
            ],
            risks=[
                "Because the approval route for this product has changed under the new regulation, the authority may ask for more evidence, leading to a launch that slips by months.",
                "Because the permit depends on a review by the authority with no fixed duration, construction may not start on the planned date, leading to idle contractors.",
            ],
            responses=[
                "We asked for a meeting with the authority, agreed the missing evidence and submitted a complete answer within three weeks.",
                "The test lab slot was booked early and a pre-compliance test was run in house to find problems before the official test.",
            ],
        ),
        zh=_w(
            nouns=["注册审批", "产品认证", "许可证审批"],
            headlines=["审批比计划多花了 {weeks} 周", "认证延误导致产品推迟上市"],
            lesson_titles=[
                "提交前先与审批部门沟通",
                "研发一开始就规划注册资料",
                "尽早预约认证机构和检测实验室",
            ],
            risk_titles=["注册审批晚于计划上市日期", "审批部门要求补充资料后才发证"],
            sop_titles=["注册申报计划规程", "许可与认证跟踪规程"],
            events=[
                "注册资料在第 {n} 个月提交，审评部门提出了 {n} 项关于临床和检测证据的问题，批准比计划上市时间晚了 {weeks} 周。",
                "负责认证的检测机构 {weeks} 周内没有档期，第一次检测又因为标签细节不合格，多花了一轮时间。",
                "施工许可要求补做环境影响评价，而计划中根本没有这项工作，审批完成前无法开工。",
            ],
            causes=[
                "审批路径沿用了上一个产品的经验，没有向审批部门确认。",
                "注册工作在研发结束后才开始，而不是同步进行。",
            ],
            insights=[
                "审批部门和认证机构按自己的节奏工作，缩短周期的唯一办法是资料齐全并尽早沟通。",
                "认证从研发第一天起就在关键路径上，不是最后才做的事情。",
            ],
            actions=[
                "提交前与审批部门开预沟通会，确认审批路径和所需证据。",
                "研发过程中同步编写技术文档，每个阶段评审时检查。",
                "检测日期一确定就预约认证机构或实验室。",
                "进度计划中加入审批部门的审查时间并留有余量。",
            ],
            triggers=[
                "审批路径没有和审批部门确认；设计评审时技术文档仍不完整。",
                "检测机构档期未确认；项目期间监管部门发布新的指导原则。",
            ],
            risks=[
                "由于新法规下该产品的注册路径发生变化，审批部门可能要求补充证据，导致上市推迟数月。",
                "由于许可证审查没有固定时限，可能无法按计划开工，导致施工队伍窝工。",
            ],
            responses=[
                "我们申请与审批部门面谈，明确需要补充的证据，三周内提交了完整答复。",
                "提前预约检测机构档期，并在内部先做预测试，在正式检测前发现问题。",
            ],
        ),
    ),
    Topic(
        "requirements-misunderstood",
        "requirements are misunderstood and the gap shows only in acceptance testing",
        0.35,
        (CUSTOMER, IT, RND, ORG),
        "scope",
        "requirements",
        "requirements",
        en=_w(
            nouns=[
                "the misunderstood requirements",
                "requirements that were read differently",
                "the gap between what was asked and what was built",
            ],
            headlines=[
                "acceptance test showed the process was misunderstood",
                "built to the specification, not to the need",
            ],
            lesson_titles=[
                "Show working software to users every week",
                "Walk through real cases with users before sign-off",
                "Write acceptance examples together with the business",
            ],
            risk_titles=[
                "Requirements misunderstood until user acceptance testing",
                "Specification signed without users understanding it",
            ],
            sop_titles=[
                "Requirements walkthrough and acceptance example procedure",
                "Demo and feedback cycle procedure",
            ],
            events=[
                "User acceptance testing found that the approval process had been built as written in the specification, but the business had meant something else; {n} user stories had to be reworked.",
                "The {keyuser} signed a 200-page specification they had not fully read; in the first demo, {pct} % of the screens showed data the users did not recognise.",
                "Sales in one country worked differently from the others, and nobody had asked; the difference surfaced only in acceptance testing, {weeks} weeks before the {golive}.",
            ],
            causes=[
                "Requirements were collected in documents, not checked against real examples with users.",
                "The people who signed the specification were not the people who do the work.",
            ],
            insights=[
                "Users sign what they read and notice what is wrong only when they see it working.",
                "A short demo of real screens with real data finds misunderstandings while they are cheap to fix.",
            ],
            actions=[
                "Hold a weekly demo of working software to the {keyuser} from the first sprint.",
                "Walk through at least ten real business cases with users before signing the requirements.",
                "Write acceptance examples with the business and use them as test cases.",
                "Ask each country or site to confirm where its process differs.",
            ],
            triggers=[
                "Specification sign-off without workshops with the people who do the work; no demos planned before acceptance testing.",
                'Users\' comments in demos of the type "that is not how we do it".',
            ],
            risks=[
                "Because requirements are written by a central team, the local process may be misunderstood, leading to rework found only in acceptance testing.",
                "Because the {keyuser} sign documents rather than see working screens, misunderstandings may remain hidden, leading to a late and costly change before the {golive}.",
            ],
            responses=[
                "We started weekly demos with real data; the next {n} misunderstandings were found and fixed within the sprint.",
                "Each site walked through its own cases with the team, and three process variants were added to the design.",
            ],
        ),
        zh=_w(
            nouns=["需求理解偏差", "需求误解", "做出来的不是业务要的"],
            headlines=["用户验收测试才发现流程理解错了", "按规格书做了但不符合业务需要"],
            lesson_titles=[
                "每周向用户演示可运行的系统",
                "需求签字前与用户逐个走查真实案例",
                "与业务一起编写验收示例",
            ],
            risk_titles=["需求理解偏差直到用户验收测试才暴露", "用户没有真正看懂就签了需求规格"],
            sop_titles=["需求走查与验收示例规程", "演示与反馈循环规程"],
            events=[
                "用户验收测试（UAT）发现审批流程是按规格书字面实现的，但业务想要的并不是这个意思，{n} 个用户故事需要返工。",
                "{keyuser}签字确认了一份 200 页、并没有仔细读过的规格书；第一次演示时 {pct}% 的界面数据用户都看不懂。",
                "有一个地区的销售流程与其他地区不同，却没有人问过；这个差异直到{golive}前 {weeks} 周的验收测试才暴露出来。",
            ],
            causes=[
                "需求只写在文档里，没有用真实案例与用户核对。",
                "签字确认规格书的人并不是实际干活的人。",
            ],
            insights=[
                "用户签的是他们读到的东西，只有看到系统运行才会发现哪里不对。",
                "用真实数据做简短的界面演示，可以在修改成本还很低的时候发现误解。",
            ],
            actions=[
                "从第一个迭代起每周向{keyuser}演示可运行的系统。",
                "需求签字前与用户一起走查至少十个真实业务案例。",
                "与业务共同编写验收示例，并作为测试用例使用。",
                "请每个地区或工厂确认自己的流程与标准流程的差异。",
            ],
            triggers=[
                "规格书签字前没有与一线人员开研讨会；验收测试前没有安排任何演示。",
                "演示中用户反复说“我们不是这么做的”。",
            ],
            risks=[
                "由于需求由总部团队编写，各地实际流程可能被误解，导致到验收测试才发现返工。",
                "由于{keyuser}只签文档、不看系统，误解可能一直隐藏，导致{golive}前代价高昂的变更。",
            ],
            responses=[
                "我们开始每周用真实数据演示，此后的 {n} 处误解都在当期迭代内发现并修正。",
                "每个现场与项目组一起走查了自己的案例，设计中增加了三个流程变体。",
            ],
        ),
    ),
    Topic(
        "environment-not-ready",
        "the test environment is not ready, late or shared when testing should start",
        0.75,
        (IT, CUSTOMER, INFRA),
        "schedule",
        "technical",
        "planning",
        en=_w(
            nouns=["the test environment", "environment readiness", "the QA landscape"],
            headlines=[
                "testing waited {weeks} weeks for an environment",
                "the test system was not ready",
            ],
            lesson_titles=[
                "Order test environments with the project plan, not with the test plan",
                "Make environment readiness a milestone with an owner",
                "Build environments from scripts so they can be rebuilt",
            ],
            risk_titles=[
                "Test environment not ready when testing starts",
                "Shared test environment blocked by another project",
            ],
            sop_titles=[
                "Test environment request and readiness check",
                "Environment booking procedure for projects",
            ],
            events=[
                "System testing was planned to start in week {n}, but the test environment was delivered {weeks} weeks late and without a connection to {partner}; testers wrote scripts instead of running them.",
                "The only integration environment was shared with another project that refreshed it without notice twice; {n} test days were lost.",
                "The environment was handed over with the wrong software version and no test users, and the infrastructure team needed {days} days of tickets to fix it.",
            ],
            causes=[
                "The environment was requested when the test plan was written, too late for the infrastructure team's lead time.",
                "Nobody owned environment readiness; it fell between the project and operations.",
            ],
            insights=[
                "Test environments have lead times like hardware; order them when the project plan is made.",
                "An environment is ready when a tester can run a real test case end to end, not when the server is up.",
            ],
            actions=[
                "Request all test environments at project start, with dates taken from the plan.",
                "Name an owner for environment readiness and check it with a smoke test before testing starts.",
                "Book shared environments in a calendar and agree refresh dates in advance.",
                "Build environments from scripts so a broken one can be rebuilt in a day.",
            ],
            triggers=[
                "Environment request still open four weeks before testing; no smoke test scheduled.",
                "Other projects using the same environment without a booking calendar.",
            ],
            risks=[
                "Because the infrastructure team needs several weeks to build an environment, the test system may not be ready when testing starts, leading to a compressed test phase.",
                "Because one integration environment is shared by several projects, testing may be blocked by others' refreshes, leading to lost test days.",
            ],
            responses=[
                "We rented a cloud environment for six weeks to bridge the gap until the internal one was ready.",
                "A booking calendar for the shared environment was agreed with the other projects and refreshes moved to weekends.",
            ],
        ),
        zh=_w(
            nouns=["测试环境", "环境准备", "测试系统"],
            headlines=["测试等环境等了 {weeks} 周", "测试环境没有准备好"],
            lesson_titles=[
                "按项目计划而不是测试计划申请测试环境",
                "把环境就绪作为有负责人的里程碑",
                "用脚本搭建环境以便随时重建",
            ],
            risk_titles=["测试开始时测试环境未就绪", "共用测试环境被其他项目占用"],
            sop_titles=["测试环境申请与就绪检查规程", "项目环境预约规程"],
            events=[
                "系统测试原计划第 {n} 周开始，但测试环境晚了 {weeks} 周才交付，而且没有连通 {partner}，测试人员只能写脚本而不能执行。",
                "唯一的集成测试环境与另一个项目共用，对方两次不打招呼就刷新了环境，损失了 {n} 个测试日。",
                "环境交付时软件版本不对、没有测试账号，基础架构团队来回处理工单用了 {days} 天。",
            ],
            causes=[
                "编写测试计划时才申请环境，已经赶不上基础架构团队的交付周期。",
                "环境就绪没有负责人，项目组和运维部门互相推。",
            ],
            insights=[
                "测试环境和硬件一样有交付周期，制定项目计划时就要申请。",
                "测试人员能端到端跑通一个真实用例，环境才算就绪，而不是服务器开机就算。",
            ],
            actions=[
                "项目启动时按计划日期申请全部测试环境。",
                "指定环境就绪负责人，测试开始前用冒烟测试确认。",
                "共用环境用日历预约，提前约定刷新日期。",
                "用脚本搭建环境，坏了一天内可以重建。",
            ],
            triggers=[
                "测试前四周环境申请仍未完成；没有安排冒烟测试。",
                "其他项目在没有预约日历的情况下使用同一环境。",
            ],
            risks=[
                "由于基础架构团队搭建环境需要数周，测试开始时环境可能没有就绪，导致测试阶段被压缩。",
                "由于多个项目共用一个集成环境，测试可能因别人刷新环境而中断，导致测试日损失。",
            ],
            responses=[
                "我们临时租用了六周的云环境，撑到内部环境就绪。",
                "与其他项目约定了共用环境的预约日历，刷新改到周末进行。",
            ],
        ),
    ),
    Topic(
        "cutover",
        "the cut-over or go-live weekend overruns, fails or has to be rolled back",
        0.35,
        (IT, INFRA, CUSTOMER),
        "integration",
        "technical",
        "planning",
        en=_w(
            nouns=["the cut-over", "the go-live weekend", "the switchover plan"],
            headlines=["the cut-over weekend overran", "rollback on the go-live night"],
            lesson_titles=[
                "Rehearse the cut-over and the rollback with the real timetable",
                "Set a fixed go or rollback decision time",
                "Register every job and dependency in the change calendar",
            ],
            risk_titles=[
                "Cut-over overruns the change window",
                "Rollback needed on the go-live weekend",
            ],
            sop_titles=[
                "Cut-over runbook and rollback procedure",
                "Go-live weekend readiness checklist",
            ],
            events=[
                "The cut-over plan had never been rehearsed end to end; the data load took {n} hours instead of six, and the business could not start on Monday morning.",
                "Halfway through the change window a job of another team started and locked the database; with no agreed decision time, we argued for two hours before rolling back.",
                "On the go-live weekend two application owners could not be reached, and the smoke tests waited; the switchover finished {n} hours late.",
            ],
            causes=[
                "The runbook was a list of tasks without durations measured in a rehearsal.",
                "There was no fixed time for the go or rollback decision and no tested rollback.",
            ],
            insights=[
                "A cut-over ends either in the working new state or the working old state; that needs a rehearsed rollback and a decision time fixed in advance.",
                "Every step of a cut-over takes longer in production than on paper; only a rehearsal gives real durations.",
            ],
            actions=[
                "Rehearse the cut-over and the rollback with the real timetable, and record each step's duration.",
                "Fix the go or rollback decision time before the window: window end minus rollback time plus a margin.",
                "Register all jobs of other teams that run during the window in the change calendar.",
                "Refresh the contact list of every application owner a week before the window.",
            ],
            triggers=[
                "No rehearsal in the plan; steps without durations in the runbook.",
                "Change calendar not checked for other teams' jobs; application owners not confirmed for the weekend.",
            ],
            risks=[
                "Because the cut-over has never been rehearsed, it may not finish in the change window, leading to a rollback or a business that cannot work on Monday.",
                "Because other teams' jobs are not in the change calendar, they may clash with the cut-over, leading to a failed window.",
            ],
            responses=[
                "We rehearsed the full cut-over twice in the test environment and cut the data load from {n} hours to five by running it in parallel.",
                "A decision time was fixed and the rollback tested; when a problem appeared, we rolled back in {n} minutes and repeated the window a week later.",
            ],
        ),
        zh=_w(
            nouns=["上线切换", "切换周末", "割接方案"],
            headlines=["切换周末超时", "上线当晚被迫回退"],
            lesson_titles=[
                "按真实时间表演练切换和回退",
                "事先确定继续或回退的决策时间",
                "把所有作业和依赖登记到变更日历",
            ],
            risk_titles=["切换超出变更窗口", "上线周末需要回退"],
            sop_titles=["切换手册与回退规程", "上线周末就绪检查表"],
            events=[
                "切换方案从未完整演练过，数据导入用了 {n} 小时而不是计划的六小时，周一早上业务无法开工。",
                "变更窗口进行到一半，另一个团队的作业启动并锁住了数据库；由于没有约定决策时间，争论了两个小时才决定回退。",
                "上线周末有两个应用负责人联系不上，冒烟测试只能等待，切换晚了 {n} 小时才完成。",
            ],
            causes=[
                "切换手册只是任务清单，没有演练实测的时长。",
                "没有固定的继续或回退决策时间，也没有测试过回退。",
            ],
            insights=[
                "切换的结果要么是可用的新系统，要么是可用的旧系统；这需要演练过的回退方案和事先确定的决策时间。",
                "切换的每一步在生产环境都比纸面上慢，只有演练才能得到真实时长。",
            ],
            actions=[
                "按真实时间表演练切换和回退，记录每一步的时长。",
                "窗口开始前确定决策时间：窗口结束时间减去回退时长再留余量。",
                "把窗口内运行的其他团队作业都登记到变更日历。",
                "窗口前一周更新所有应用负责人的联系方式。",
            ],
            triggers=[
                "计划中没有演练；切换手册的步骤没有时长。",
                "没有检查变更日历中的其他作业；应用负责人周末值守未确认。",
            ],
            risks=[
                "由于切换从未演练，可能无法在变更窗口内完成，导致回退或周一业务无法开展。",
                "由于其他团队的作业没有登记在变更日历中，可能与切换冲突，导致窗口失败。",
            ],
            responses=[
                "我们在测试环境完整演练了两次切换，并行处理后数据导入从 {n} 小时缩短到五小时。",
                "确定了决策时间并测试了回退；出现问题时 {n} 分钟内完成回退，一周后重新切换。",
            ],
        ),
    ),
    Topic(
        "sponsor",
        "the sponsor or steering committee disengages and decisions stall",
        0.1,
        (ORG, IT, CUSTOMER, RND, INFRA),
        "stakeholder",
        "stakeholder",
        "stakeholder",
        en=_w(
            nouns=[
                "the sponsor's engagement",
                "executive support",
                "decision-making by the steering committee",
            ],
            headlines=[
                "the sponsor stopped coming to steering meetings",
                "decisions waited weeks for the sponsor",
            ],
            lesson_titles=[
                "Agree the sponsor's time and decisions at the start",
                "Escalate open decisions with a deadline",
                "Replace a sponsor who cannot give the project time",
            ],
            risk_titles=[
                "Sponsor disengaged from the project",
                "Steering committee does not take decisions in time",
            ],
            sop_titles=[
                "Sponsor and steering committee charter",
                "Decision log and escalation procedure",
            ],
            events=[
                "The sponsor sent a delegate to {n} steering meetings in a row; the delegate could not decide on the process changes, and several decisions waited more than a month.",
                "After a reorganisation the sponsor had new priorities and stopped reading the status reports; departments stopped releasing people for the project.",
                "Two department heads disagreed about the future process, and without the sponsor to decide, the design phase ran {weeks} weeks over.",
            ],
            causes=[
                "The sponsor's role and time were never agreed; the charter named them but said nothing about what they had to do.",
                "Decisions were not logged with deadlines, so their delay was invisible.",
            ],
            insights=[
                "A project without an active sponsor stalls at the first decision that crosses departments.",
                "Sponsors decide faster when they get a short list of decisions with deadlines and consequences, not a status report.",
            ],
            actions=[
                "Agree in the charter what the sponsor decides and how much time they give each month.",
                "Keep a decision log with owners and deadlines and show it at every steering meeting.",
                "Escalate a decision that is two weeks overdue to the sponsor's manager.",
                "Ask for a new sponsor when the current one misses three steering meetings.",
            ],
            triggers=[
                'Sponsor absent from steering meetings or sending delegates; decisions deferred to "next meeting".',
                "Departments no longer releasing staff; status reports not read.",
            ],
            risks=[
                "Because the sponsor has taken on a new role, they may no longer give the project time, leading to delayed decisions and departments withdrawing their people.",
                "Because the change affects several departments with different interests, the steering committee may not agree, leading to a stalled design.",
            ],
            responses=[
                "We met the sponsor one to one, reduced the steering meeting to thirty minutes and a list of decisions; attendance came back.",
                "The board appointed a new sponsor from operations, who decided the open points in the first two weeks.",
            ],
        ),
        zh=_w(
            nouns=["发起人的参与", "高层支持", "指导委员会决策"],
            headlines=["项目发起人不再参加指导委员会", "决策等领导等了几周"],
            lesson_titles=[
                "项目启动时约定发起人的时间和决策事项",
                "未决事项带期限升级",
                "发起人没时间就应更换",
            ],
            risk_titles=["项目发起人不参与项目", "指导委员会不能及时决策"],
            sop_titles=["发起人与指导委员会章程", "决策台账与升级规程"],
            events=[
                "发起人连续 {n} 次派代表参加指导委员会，代表无权决定流程变更，好几个决策拖了一个多月。",
                "组织调整后发起人有了新的工作重点，不再看项目周报，各部门也不再给项目派人。",
                "两位部门负责人对未来流程意见不一，没有发起人拍板，设计阶段超期 {weeks} 周。",
            ],
            causes=[
                "从没约定发起人的职责和投入时间，章程里只写了名字。",
                "决策事项没有登记和期限，拖延看不出来。",
            ],
            insights=[
                "没有积极的发起人，项目会在第一个跨部门决策上卡住。",
                "给发起人一份带期限和后果的决策清单，比给他一份周报更能让他快速决策。",
            ],
            actions=[
                "在项目章程中约定发起人的决策范围和每月投入时间。",
                "建立决策台账，写明负责人和期限，每次指导委员会都过一遍。",
                "超期两周的决策升级到发起人的上级。",
                "发起人连续三次缺席指导委员会时，要求更换发起人。",
            ],
            triggers=[
                "发起人缺席指导委员会或派代表参加；决策总是推到“下次会议”。",
                "部门不再派人；项目周报没人看。",
            ],
            risks=[
                "由于发起人接任了新职务，可能不再投入时间，导致决策拖延、各部门撤回人员。",
                "由于变革涉及利益不同的多个部门，指导委员会可能无法达成一致，导致设计停滞。",
            ],
            responses=[
                "我们与发起人单独沟通，把指导委员会缩短到三十分钟并只讨论决策清单，出席率恢复了。",
                "公司另行任命运营副总为发起人，两周内就拍板了所有未决事项。",
            ],
        ),
    ),
    Topic(
        "estimation",
        "the estimate or plan was far too optimistic",
        0.1,
        ALL_TYPES,
        "schedule",
        "schedule",
        "estimation",
        en=_w(
            nouns=["the estimate", "the effort estimation", "the baseline plan"],
            headlines=[
                "effort was {pct} % above the estimate",
                "the plan assumed everything would go right",
            ],
            lesson_titles=[
                "Estimate from the actuals of past projects, not from memory",
                "Estimate in ranges and plan a contingency",
                "Re-estimate after the first phase with measured productivity",
            ],
            risk_titles=[
                "Effort estimate too optimistic for the scope",
                "Baseline plan without contingency",
            ],
            sop_titles=[
                "Estimation and contingency procedure",
                "Estimate review before the baseline",
            ],
            events=[
                "The estimate was made in a sales workshop in two hours; the build took {pct} % more effort than planned and the team worked overtime for {weeks} weeks.",
                "Every task in the plan assumed the best case: no rework, no sick days, no waiting for decisions. The first milestone was missed by {days} days.",
                "The team had never done this kind of work before, but the estimate was copied from a similar-looking project and cut by {pct} % to win the deal.",
            ],
            causes=[
                "No historical data was used; the estimate reflected what the customer wanted to pay.",
                "Uncertainty was not shown: one number instead of a range, and no contingency.",
            ],
            insights=[
                "Estimates made without data from past projects are wishes; the same optimism shows up in every plan.",
                "An estimate is a range with a probability; presenting a single number hides the risk from the sponsor.",
            ],
            actions=[
                "Compare every estimate with the actuals of at least three similar past projects.",
                "Give estimates as ranges and set a contingency from the width of the range.",
                "Re-estimate after the first phase using measured productivity.",
                "Have the estimate reviewed by someone who will not deliver the project.",
            ],
            triggers=[
                "Estimate made before the requirements are understood; no comparison with past projects.",
                "First milestones missed by small amounts; team working overtime from the first month.",
            ],
            risks=[
                "Because the estimate was made under sales pressure without historical data, the effort may be much higher than planned, leading to overtime, a late {golive} and a budget overrun.",
                "Because the team has no experience with {system}, productivity may be lower than assumed, leading to a missed baseline.",
            ],
            responses=[
                "We re-planned after the first phase with measured velocity and told the sponsor the real date early.",
                "An estimate range was presented to the steering committee, and a contingency of {pct} % was approved.",
            ],
        ),
        zh=_w(
            nouns=["工作量估算", "估算偏差", "基准计划"],
            headlines=["实际工作量比估算高出 {pct}%", "计划按一切顺利来排"],
            lesson_titles=[
                "用历史项目的实际数据估算而不是凭印象",
                "用区间估算并预留应急储备",
                "第一阶段结束后按实测效率重新估算",
            ],
            risk_titles=["工作量估算过于乐观", "基准计划没有应急储备"],
            sop_titles=["估算与应急储备规程", "基准计划前的估算评审"],
            events=[
                "估算是在售前研讨会上两个小时内拍出来的，开发实际工作量比计划多 {pct}%，团队连续加班 {weeks} 周。",
                "计划中每项任务都按最理想情况安排：不返工、不请假、不用等决策。第一个里程碑就晚了 {days} 天。",
                "团队从来没做过这类工作，估算却照搬了一个看起来相似的项目，为了拿单又压低了 {pct}%。",
            ],
            causes=[
                "没有参考历史数据，估算反映的是客户愿意付多少钱。",
                "没有体现不确定性：只给一个数字而不是区间，也没有应急储备。",
            ],
            insights=[
                "没有历史数据支撑的估算只是愿望，同样的乐观会出现在每一个计划里。",
                "估算是带概率的区间；只报一个数字，等于把风险藏起来不让发起人看到。",
            ],
            actions=[
                "每次估算都与至少三个类似历史项目的实际数据对比。",
                "用区间给出估算，按区间宽度设置应急储备。",
                "第一阶段结束后按实测效率重新估算。",
                "请不负责交付的人评审估算。",
            ],
            triggers=[
                "需求还没搞清楚就做了估算；没有与历史项目对比。",
                "前几个里程碑都小幅延误；第一个月起团队就在加班。",
            ],
            risks=[
                "由于估算是在销售压力下做出的，没有历史数据支撑，实际工作量可能远高于计划，导致加班、{golive}推迟和预算超支。",
                "由于团队没有 {system} 经验，效率可能低于假设，导致基准计划无法实现。",
            ],
            responses=[
                "第一阶段结束后按实测速度重新排计划，及早把真实日期告诉了发起人。",
                "向指导委员会提交了区间估算，批准了 {pct}% 的应急储备。",
            ],
        ),
    ),
    Topic(
        "procurement-lead-time",
        "our own purchasing and approval process, or ordering long-lead items too late, delays the project",
        0.4,
        (MANUFACTURING, ENGINEERING, INFRA, RND),
        "procurement",
        "schedule",
        "planning",
        en=_w(
            nouns=[
                "the procurement process",
                "the purchasing lead time",
                "the purchase order approval",
            ],
            headlines=[
                "purchase orders took {weeks} weeks to approve",
                "long-lead items ordered too late",
            ],
            lesson_titles=[
                "Place long-lead orders before the detailed design is finished",
                "Agree a fast approval path for project purchases",
                "Put procurement lead times into the schedule",
            ],
            risk_titles=[
                "Purchase order approval takes longer than the schedule allows",
                "Long-lead items ordered too late",
            ],
            sop_titles=[
                "Project purchasing and approval procedure",
                "Long-lead item identification procedure",
            ],
            events=[
                "The {po} for the {item} needed five signatures and went through the annual budget review; it was released {weeks} weeks after the request, and the {vendor}'s lead time started only then.",
                "Purchasing insisted on three quotes for every order above {money}; the tender for the test equipment took {weeks} weeks and the installation started late.",
                "Nobody had listed which items had long lead times; the {item} were ordered with the rest after the design review and arrived after installation should have begun.",
            ],
            causes=[
                "The schedule showed the supplier's lead time but not our own approval and tendering time.",
                "Long-lead items were not identified early, so they were ordered with everything else.",
            ],
            insights=[
                "Our own purchasing process is often longer than the supplier's lead time; both belong in the schedule.",
                "Items with long lead times must be ordered on the basis of the preliminary design, with the risk of a small change accepted.",
            ],
            actions=[
                "List long-lead items at the end of the concept phase and order them before the detailed design is finished.",
                "Agree with purchasing a fast approval path for project orders within the approved budget.",
                "Show request, approval, tender and supplier lead time as separate tasks in the schedule.",
                "Review open purchase requests in every weekly project meeting.",
            ],
            triggers=[
                "Purchase requests waiting for approval for more than a week; no list of long-lead items.",
                "Tender started after the design review; purchasing asking for more quotes late in the process.",
            ],
            risks=[
                "Because project purchases follow the company's standard approval process, orders may be released weeks late, leading to late equipment and a compressed installation.",
                "Because long-lead items are ordered only after the detailed design, they may arrive after installation should start, leading to idle crews.",
            ],
            responses=[
                "The sponsor obtained a delegated approval for orders within the project budget, and the remaining orders were released within a week.",
                "The {item} were ordered on the basis of the preliminary design, accepting a small change cost later.",
            ],
        ),
        zh=_w(
            nouns=["采购流程", "采购周期", "采购订单审批"],
            headlines=["采购订单审批用了 {weeks} 周", "长周期物料下单太晚"],
            lesson_titles=[
                "详细设计完成前先下长周期物料订单",
                "为项目采购约定快速审批通道",
                "把采购周期排进进度计划",
            ],
            risk_titles=["采购订单审批时间超过计划允许", "长周期设备下单太晚"],
            sop_titles=["项目采购与审批规程", "长周期物料识别规程"],
            events=[
                "{item}的{po}需要五个人签字，还要经过年度预算审查，申请后 {weeks} 周才下达，{vendor}的交货周期这时才开始算。",
                "采购部要求金额超过 {money} 的订单都要三家比价，测试设备的招标用了 {weeks} 周，安装随之推迟。",
                "没有人梳理过哪些物料交货期长，{item}在设计评审后与其他物料一起下单，到货时安装早就应该开始了。",
            ],
            causes=[
                "进度计划里只有供应商的交货期，没有我们自己的审批和招标时间。",
                "没有及早识别长周期物料，和其他物料一起下单。",
            ],
            insights=[
                "我们自己的采购流程往往比供应商的交货期还长，两者都要排进计划。",
                "长周期物料应按初步设计下单，接受小幅变更的风险。",
            ],
            actions=[
                "概念阶段结束时列出长周期物料，在详细设计完成前下单。",
                "与采购部约定项目预算内订单的快速审批通道。",
                "在计划中把申请、审批、招标和供应商交货期分别列为任务。",
                "每周项目例会检查未完成的采购申请。",
            ],
            triggers=[
                "采购申请等待审批超过一周；没有长周期物料清单。",
                "设计评审后才开始招标；采购流程后期又要求补充比价。",
            ],
            risks=[
                "由于项目采购要走公司标准审批流程，订单可能晚几周下达，导致设备晚到、安装时间被压缩。",
                "由于长周期物料在详细设计后才下单，可能在安装开始后才到货，导致施工队伍窝工。",
            ],
            responses=[
                "发起人争取到项目预算内订单的授权审批，其余订单一周内全部下达。",
                "{item}按初步设计提前下单，接受了后期少量变更费用。",
            ],
        ),
    ),
    Topic(
        "subcontractor-quality",
        "a subcontractor's workmanship is poor and work has to be redone",
        0.75,
        (ENGINEERING, INFRA, MANUFACTURING),
        "quality",
        "vendor",
        "vendor",
        en=_w(
            nouns=[
                "the subcontractor's quality",
                "the poor workmanship",
                "the rework by the installer",
            ],
            headlines=["the {sub}'s work failed inspection", "rework on site cost {weeks} weeks"],
            lesson_titles=[
                "Inspect the first piece of the {sub}'s work before they continue",
                "Select subcontractors on references, not only on price",
                "Put hold points for inspection in the subcontract",
            ],
            risk_titles=[
                "Workmanship of the {sub} below specification",
                "Rework because the {sub} ignored the drawings",
            ],
            sop_titles=[
                "Subcontractor inspection and test plan",
                "Hold-point inspection procedure for site works",
            ],
            events=[
                "The {sub} installed {n} metres of cable trays and piping before anyone inspected them; half had to be reworked because supports were missing and welds failed the test.",
                "The cheapest {sub} won the tender; their crew changed every week, and the inspection found {n} defects in the first section.",
                "The {sub} worked from an outdated drawing revision, and the insulation on {pct} % of the ducts had to be redone; the dispute about who pays lasted until the final account.",
            ],
            causes=[
                "No inspection hold points were agreed, so problems were found after the work was finished.",
                "The subcontractor was selected on price only, without checking references or the crew's qualifications.",
            ],
            insights=[
                "Inspecting the first piece of work costs an hour; finding the same defect across a whole floor costs weeks.",
                "The cheapest subcontract is expensive when the crew learns on the job.",
            ],
            actions=[
                "Agree an inspection and test plan with hold points before the {sub} starts.",
                "Inspect the first installed section with the {sub}'s foreman and use it as the reference sample.",
                "Check references and qualifications, not only the price, when selecting subcontractors.",
                "Issue drawings only through a controlled list and withdraw old revisions from site.",
            ],
            triggers=[
                "Crew changing every week; no inspection of the first section.",
                "Work starting before the inspection and test plan is agreed; old drawing revisions on site.",
            ],
            risks=[
                "Because the {sub} has not worked to our specification before, the workmanship may be below standard, leading to rework and a later {golive}.",
                "Because the main contractor passes the work to several small subcontractors, quality may vary between areas, leading to failed inspections.",
            ],
            responses=[
                "We stopped the work for two days, inspected every section with the {sub} and agreed hold points for the rest of the job.",
                "A site quality engineer was added for the remaining weeks and the {sub} replaced their foreman.",
            ],
        ),
        zh=_w(
            nouns=["分包商质量", "施工质量差", "安装返工"],
            headlines=["{sub}施工验收不合格", "现场返工耽误了 {weeks} 周"],
            lesson_titles=[
                "{sub}首件完工后先检查再继续施工",
                "选择分包商要看业绩而不只看价格",
                "分包合同中设置质量停检点",
            ],
            risk_titles=["{sub}施工质量达不到规范要求", "{sub}未按图施工导致返工"],
            sop_titles=["分包商检验与试验计划规程", "现场停检点检查规程"],
            events=[
                "{sub}安装了 {n} 米桥架和管道后才第一次检查，因为缺少支架、焊缝试验不合格，一半需要返工。",
                "报价最低的{sub}中标，施工班组每周都在换人，第一段检查就发现了 {n} 处缺陷。",
                "{sub}使用了过期版本的图纸，{pct}% 的风管保温需要重做，谁来承担费用的争议一直拖到结算。",
            ],
            causes=[
                "没有约定质量停检点，问题在完工后才发现。",
                "只按价格选择分包商，没有核查业绩和施工人员资质。",
            ],
            insights=[
                "检查首件只要一个小时，等整层都出现同样的缺陷再发现就要几周。",
                "最便宜的分包在工人边干边学时反而最贵。",
            ],
            actions=[
                "{sub}进场前约定带停检点的检验与试验计划。",
                "与{sub}班组长一起检查首段安装，作为样板。",
                "选择分包商时核查业绩和资质，而不只比较价格。",
                "图纸通过受控清单发放，旧版本图纸从现场收回。",
            ],
            triggers=[
                "施工班组每周换人；首段施工没有检查。",
                "检验计划未确认就开工；现场出现旧版本图纸。",
            ],
            risks=[
                "由于{sub}从未按我们的规范施工过，施工质量可能达不到要求，导致返工和{golive}推迟。",
                "由于总包把工作分给多家小分包，各区域质量可能参差不齐，导致验收不通过。",
            ],
            responses=[
                "我们停工两天，与{sub}逐段检查，并为剩余工程约定了停检点。",
                "剩余工期增派一名现场质量工程师，{sub}更换了班组长。",
            ],
        ),
    ),
    Topic(
        "test-data",
        "there is no realistic test data, so tests cannot run or miss real cases",
        0.35,
        (IT, CUSTOMER),
        "quality",
        "data",
        "planning",
        en=_w(
            nouns=["the test data", "realistic data for testing", "anonymised production data"],
            headlines=[
                "testing stalled for lack of realistic data",
                "test cases could not run without data",
            ],
            lesson_titles=[
                "Prepare anonymised test data before the first test cycle",
                "Give test data an owner and a due date in the plan",
                "Test with production-like volumes and special cases",
            ],
            risk_titles=[
                "No realistic test data for acceptance testing",
                "Privacy rules block the use of production data in testing",
            ],
            sop_titles=[
                "Test data preparation and anonymisation procedure",
                "Test data request checklist",
            ],
            events=[
                "Acceptance testing started with a handful of records typed in by hand; {pct} % of the test cases could not run because customers, prices or stock were missing.",
                "The data protection officer refused a copy of production data for testing, and the anonymisation scripts were written only after testing had begun; {days} test days were lost.",
                "Testers created their own data, all of it clean and simple; the special cases that failed in production (credit notes, partial deliveries, foreign currencies) were never tested.",
            ],
            causes=[
                "Test data was nobody's task; each tester was expected to make their own.",
                "Privacy approval for using production data was requested too late.",
            ],
            insights=[
                "Test cases are only as good as the data they run on; clean, hand-made data hides the cases that fail in production.",
                "Anonymising production data takes weeks including approvals; it must start when the test plan is written.",
            ],
            actions=[
                "Name an owner for test data and add its preparation to the plan before the first test cycle.",
                "Agree the anonymisation approach with the data protection officer at project start.",
                "Include special cases from production (credit notes, partial deliveries, old records) in the test data.",
                "Refresh the test data before each test cycle.",
            ],
            triggers=[
                "Test cases written without data references; no privacy approval for a production copy.",
                "Testers entering data by hand in the first days of testing.",
            ],
            risks=[
                "Because production data may not be used for testing without approval, the test team may lack realistic data, leading to blocked test cases and defects that show only in production.",
                "Because test data is prepared by each tester, special cases may be missing, leading to errors after the {golive}.",
            ],
            responses=[
                "A data engineer was assigned for four weeks to build an anonymised copy of production; testing restarted with realistic data.",
                "We collected the fifty most common special cases from the {keyuser} and loaded them into the test system.",
            ],
        ),
        zh=_w(
            nouns=["测试数据", "真实的测试数据", "脱敏生产数据"],
            headlines=["没有真实数据测试停滞", "缺少数据测试用例无法执行"],
            lesson_titles=[
                "第一轮测试前准备好脱敏测试数据",
                "测试数据在计划中要有负责人和完成日期",
                "用接近生产的数据量和特殊场景测试",
            ],
            risk_titles=["用户验收测试缺少真实数据", "隐私规定不允许测试使用生产数据"],
            sop_titles=["测试数据准备与脱敏规程", "测试数据申请检查表"],
            events=[
                "UAT 开始时只有少量手工录入的数据，{pct}% 的测试用例因为缺少客户、价格或库存数据无法执行。",
                "数据保护负责人不同意把生产数据复制到测试环境，脱敏脚本在测试开始后才编写，损失了 {days} 个测试日。",
                "测试人员自己造数据，全都干净简单；上线后出错的特殊场景，比如红字发票、部分发货、外币，根本没有测过。",
            ],
            causes=[
                "测试数据不是任何人的任务，每个测试人员自己想办法。",
                "使用生产数据的隐私审批申请得太晚。",
            ],
            insights=[
                "测试用例的质量取决于它所用的数据；干净的手工数据会掩盖生产中出错的场景。",
                "生产数据脱敏连同审批要花几周，编写测试计划时就要开始。",
            ],
            actions=[
                "指定测试数据负责人，在第一轮测试前把数据准备列入计划。",
                "项目启动时与数据保护负责人确定脱敏方案。",
                "测试数据中包含生产中的特殊场景（红字发票、部分发货、历史记录）。",
                "每轮测试前刷新测试数据。",
            ],
            triggers=[
                "测试用例没有对应的数据；生产数据副本没有隐私审批。",
                "测试头几天测试人员在手工录数据。",
            ],
            risks=[
                "由于未经审批不能使用生产数据，测试团队可能缺少真实数据，导致用例无法执行，缺陷到生产才暴露。",
                "由于测试数据由各测试人员自行准备，可能缺少特殊场景，导致{golive}后出错。",
            ],
            responses=[
                "抽调一名数据工程师用四周时间做出脱敏的生产数据副本，测试用真实数据重新开始。",
                "向{keyuser}收集了五十个最常见的特殊场景，导入测试系统。",
            ],
        ),
    ),
    Topic(
        "key-user-availability",
        "key users and business experts are not released from their daily work for the project",
        0.7,
        (IT, CUSTOMER, ORG),
        "resource",
        "resource",
        "resourcing",
        en=_w(
            nouns=[
                "the key users' availability",
                "business people released for the project",
                "the business's time for the project",
            ],
            headlines=[
                "key users had no time for testing",
                "the business could not release its experts",
            ],
            lesson_titles=[
                "Agree key users' time with their managers before the project starts",
                "Backfill key users' daily work",
                "Plan workshops and tests around the business calendar",
            ],
            risk_titles=[
                "Key users not released from their daily work",
                "Business experts unavailable during testing",
            ],
            sop_titles=[
                "Key user nomination and release procedure",
                "Business resource commitment procedure",
            ],
            events=[
                "The {keyuser} were supposed to spend half their time on the project, but month-end close and the peak season came first; test cycle {n} ran with {pct} % of the planned testers.",
                "Workshops were cancelled {n} times because the process experts were needed in operations, and design decisions were taken by the consultants instead.",
                "The best people in each department were named as {keyuser} but nobody took over their daily work; by the {golive} several of them were exhausted and one was on sick leave.",
            ],
            causes=[
                "The key users' time was promised by the project, not agreed with their managers.",
                "Their daily work was not backfilled, so the project always lost.",
            ],
            insights=[
                "Key users are the business's best people, and their daily work does not stop; without backfill the project always comes second.",
                "A named key user who is never available is worse than none, because the project waits for them.",
            ],
            actions=[
                "Agree each key user's days per week in writing with their line manager.",
                "Budget backfill for key users' daily work in the business case.",
                "Plan workshops and tests around month-end, audits and the peak season.",
                "Report planned against actual key-user days in the steering meeting.",
            ],
            triggers=[
                "Workshops cancelled or attended by substitutes; test cycles with fewer testers than planned.",
                "Key users working evenings on project tasks; no backfill in place.",
            ],
            risks=[
                "Because the {keyuser} also run daily operations, they may not be available for design and testing, leading to decisions by consultants and a delayed test phase.",
                "Because the test phase falls in the peak season, business testers may be withdrawn, leading to an incomplete acceptance test.",
            ],
            responses=[
                "The sponsor approved temporary staff to take over part of the key users' work, and test attendance rose to 90 %.",
                "We moved the test cycle by three weeks to avoid the month-end close and agreed fixed test days with each department.",
            ],
        ),
        zh=_w(
            nouns=["关键用户的投入", "业务人员抽调", "业务部门的投入时间"],
            headlines=["关键用户没时间参加测试", "业务部门抽不出骨干"],
            lesson_titles=[
                "项目开始前与部门经理确认关键用户投入时间",
                "为关键用户的日常工作安排顶岗",
                "按业务日历安排研讨会和测试",
            ],
            risk_titles=["关键用户无法脱离日常工作", "测试期间业务专家抽不出身"],
            sop_titles=["关键用户任命与抽调规程", "业务资源投入承诺规程"],
            events=[
                "{keyuser}本应有一半时间投入项目，但月结和业务旺季总是优先；第 {n} 轮测试只来了计划人数的 {pct}%。",
                "因为业务骨干要忙运营，研讨会先后取消了 {n} 次，设计决策只好由顾问来定。",
                "各部门最能干的人被任命为{keyuser}，却没有人接替他们的日常工作；到{golive}时好几个人已经筋疲力尽，还有一人病休。",
            ],
            causes=[
                "关键用户的时间是项目组单方面承诺的，没有与其直属经理确认。",
                "他们的日常工作没有人顶岗，项目总是被牺牲。",
            ],
            insights=[
                "关键用户是业务部门最好的人，日常工作不会停下来；没有顶岗，项目永远排第二。",
                "挂名却从不到场的关键用户比没有更糟，因为项目要等他。",
            ],
            actions=[
                "与直属经理书面确认每位关键用户每周投入的天数。",
                "在项目预算中列出关键用户日常工作的顶岗费用。",
                "研讨会和测试避开月结、审计和业务旺季。",
                "在指导委员会上报告关键用户计划投入与实际投入的对比。",
            ],
            triggers=[
                "研讨会被取消或由替补参加；测试轮次到场人数少于计划。",
                "关键用户晚上加班做项目工作；没有安排顶岗。",
            ],
            risks=[
                "由于{keyuser}还要负责日常运营，可能无法参加设计和测试，导致决策由顾问代做、测试阶段推迟。",
                "由于测试阶段正赶上业务旺季，业务测试人员可能被抽回，导致验收测试不完整。",
            ],
            responses=[
                "发起人批准招聘临时人员分担关键用户的部分工作，测试到场率提高到 90%。",
                "测试轮次推后三周避开月结，并与各部门约定固定的测试日。",
            ],
        ),
    ),
    Topic(
        "resistance",
        "staff resist the change and keep the old way of working",
        0.35,
        (ORG, IT),
        "stakeholder",
        "stakeholder",
        "stakeholder",
        en=_w(
            nouns=[
                "the resistance to change",
                "the adoption of the new way of working",
                "acceptance by the staff",
            ],
            headlines=["staff kept working the old way", "the new process was bypassed"],
            lesson_titles=[
                "Involve the people affected in designing the new process",
                "Explain why the change is needed before explaining how",
                "Switch off the old way of working on a fixed date",
            ],
            risk_titles=[
                "Staff resist the new process and keep old workarounds",
                "Low adoption of the new system after the {golive}",
            ],
            sop_titles=[
                "Change impact assessment and engagement plan",
                "Adoption tracking procedure",
            ],
            events=[
                "Three months after the {golive}, {pct} % of orders were still entered in the old spreadsheets and copied into {system} at the end of the week.",
                'Team leaders told their staff that the new process was "head office\'s idea" and would pass; usage reports showed only a few active users per site.',
                "The works council was informed only a week before the {golive}; it asked for a consultation that stopped the roll-out for {weeks} weeks.",
            ],
            causes=[
                "The people affected were told about the change, not involved in it; the reason for it was never explained.",
                "The old tools stayed available, so there was no need to change.",
            ],
            insights=[
                "People accept a change they helped to shape; they resist one that is announced to them.",
                "As long as the old way of working is available, many people will keep using it.",
            ],
            actions=[
                "Involve representatives of every affected team in the process design.",
                "Explain the reason for the change and what it means for each role before training starts.",
                "Consult the works council early and agree the timetable with it.",
                "Switch off old spreadsheets and tools on a fixed date and track usage per site.",
            ],
            triggers=[
                "Low attendance at information sessions; team leaders speaking against the change.",
                "Usage reports showing parallel work in old tools; the works council not yet informed.",
            ],
            risks=[
                "Because the change takes away familiar tools and some control from team leaders, staff may resist the new process, leading to low adoption and benefits that do not appear.",
                "Because the works council has a right to be consulted, a late consultation may stop the roll-out, leading to weeks of delay.",
            ],
            responses=[
                "We recruited change champions in every team and held site visits with the sponsor to explain why the change was needed.",
                "Old spreadsheets were made read-only on a fixed date, and usage per site was reported to the sponsor every week.",
            ],
        ),
        zh=_w(
            nouns=["变革阻力", "新工作方式的推行", "员工接受程度"],
            headlines=["员工还在按老办法干", "新流程被绕过"],
            lesson_titles=[
                "让受影响的员工参与设计新流程",
                "先讲为什么要变，再讲怎么变",
                "在固定日期停用旧的工作方式",
            ],
            risk_titles=["员工抵触新流程、继续用老办法", "{golive}后新系统使用率低"],
            sop_titles=["变革影响评估与沟通计划", "推行情况跟踪规程"],
            events=[
                "{golive}三个月后，仍有 {pct}% 的订单先录在旧 Excel 表里，周末再补录到 {system}。",
                "班组长对员工说新流程是“总部的想法”，过一阵就会取消；使用报告显示每个现场只有少数人在用。",
                "{golive}前一周才通知工会，工会要求先协商，推广因此停了 {weeks} 周。",
            ],
            causes=[
                "受影响的人只是被告知变革，没有参与；变革的原因从没讲清楚。",
                "旧工具一直可以用，大家没有必要改变。",
            ],
            insights=[
                "人们会接受自己参与塑造的变革，而抵触别人宣布给他们的变革。",
                "只要旧的工作方式还能用，很多人就会继续用。",
            ],
            actions=[
                "每个受影响的团队都派代表参与流程设计。",
                "培训之前先讲清楚为什么要变，以及对每个岗位意味着什么。",
                "尽早与工会协商并约定时间表。",
                "在固定日期停用旧表格和工具，并按现场跟踪使用情况。",
            ],
            triggers=[
                "宣讲会出席率低；班组长公开唱反调。",
                "使用报告显示仍在旧工具中并行工作；尚未通知工会。",
            ],
            risks=[
                "由于变革拿走了熟悉的工具和班组长的部分权力，员工可能抵触新流程，导致使用率低、效益无法实现。",
                "由于工会有协商权，协商过晚可能导致推广暂停数周。",
            ],
            responses=[
                "我们在每个团队招募了变革推动者，并请发起人到各现场讲解变革的必要性。",
                "旧表格在固定日期改为只读，每周向发起人报告各现场的使用情况。",
            ],
        ),
    ),
    Topic(
        "status-reporting",
        "status reports stay green while the project slips (watermelon reporting)",
        0.1,
        ALL_TYPES,
        "communications",
        "schedule",
        "communication",
        en=_w(
            nouns=[
                "the status reporting",
                "the traffic-light report",
                "early warning in the reports",
            ],
            headlines=["status was green until the last month", "reports hid the slip"],
            lesson_titles=[
                "Report progress from evidence, not from opinion",
                "Make it safe to report red early",
                "Track milestones with objective completion criteria",
            ],
            risk_titles=[
                "Status reports show green while the project slips",
                "Problems reported too late to act",
            ],
            sop_titles=[
                "Project status reporting standard",
                "Milestone evidence and traffic-light rules",
            ],
            events=[
                "The monthly report showed green for {n} months; in the month before the {golive} it turned red and the date moved by {weeks} weeks.",
                "Work packages were reported as 90 % complete for weeks; nobody asked what the remaining 10 % contained, and it turned out to be the integration.",
                "Team leads knew the test phase would be late but did not want to be the first to report red; the steering committee heard about it from the {vendor}.",
            ],
            causes=[
                "The traffic lights reflected the project manager's opinion, not measured progress.",
                "Reporting red was seen as failure, so everybody waited for someone else to do it.",
            ],
            insights=[
                "A report that stays green until the end tells the sponsor nothing; progress must be measured against evidence.",
                "People report bad news early only when doing so is rewarded, not punished.",
            ],
            actions=[
                "Define objective completion criteria for each milestone and report against them.",
                "Show the trend of planned against actual milestones, not just a colour.",
                "Thank teams in the steering meeting for raising problems early.",
                "Have an independent review of projects that stay green while milestones move.",
            ],
            triggers=[
                "Status green while milestones move; tasks at 90 % for several weeks.",
                "Risks in the register not updated for a month; steering meetings without questions.",
            ],
            risks=[
                "Because the status report is based on the project manager's judgement, slips may stay hidden, leading to a late surprise when there is no time left to react.",
                "Because the {vendor} reports its own progress, problems may be reported late, leading to a steering committee that cannot act in time.",
            ],
            responses=[
                "We replaced the traffic lights with a milestone chart with evidence for each completed item, and the next slip was reported two months earlier.",
                "An independent reviewer from the PMO joined the steering meeting for three months.",
            ],
        ),
        zh=_w(
            nouns=["项目状态报告", "红绿灯报告", "报告中的早期预警"],
            headlines=["状态报告一直是绿色直到最后一个月", "周报掩盖了进度延误"],
            lesson_titles=[
                "用证据而不是感觉汇报进度",
                "让团队敢于及早报告红灯",
                "用客观的完成标准跟踪里程碑",
            ],
            risk_titles=["状态报告一直显示绿色而项目在延误", "问题报告得太晚无法补救"],
            sop_titles=["项目状态报告标准", "里程碑证据与红绿灯规则"],
            events=[
                "月报连续 {n} 个月都是绿灯，{golive}前一个月突然变红，日期推迟了 {weeks} 周。",
                "工作包连续几周都报告完成 90%，没有人问剩下的 10% 是什么，结果剩下的正是系统集成。",
                "小组长早知道测试会延误，却没人愿意第一个报红灯；指导委员会最后是从{vendor}那里听说的。",
            ],
            causes=[
                "红绿灯反映的是项目经理的判断，而不是实测进度。",
                "报红灯被看成失败，大家都等别人先开口。",
            ],
            insights=[
                "一直绿到最后的报告对发起人毫无信息；进度必须用证据衡量。",
                "只有及早报坏消息得到肯定而不是惩罚，人们才会及早报告。",
            ],
            actions=[
                "为每个里程碑确定客观的完成标准，并据此汇报。",
                "展示计划与实际里程碑的趋势，而不只是一个颜色。",
                "在指导委员会上表扬及早暴露问题的团队。",
                "对一直是绿灯而里程碑却在推迟的项目进行独立评审。",
            ],
            triggers=[
                "里程碑在推迟而状态仍是绿色；任务连续数周停在 90%。",
                "风险登记册一个月没有更新；指导委员会上没有人提问。",
            ],
            risks=[
                "由于状态报告基于项目经理的判断，延误可能一直被掩盖，等发现时已来不及应对。",
                "由于进度由{vendor}自己汇报，问题可能报告得很晚，导致指导委员会无法及时决策。",
            ],
            responses=[
                "我们用带证据的里程碑图取代红绿灯，下一次延误提前两个月就报告了。",
                "PMO 派一名独立评审人员参加了三个月的指导委员会。",
            ],
        ),
    ),
    Topic(
        "hypercare-handover",
        "operations and support are not ready to take over after go-live",
        0.35,
        (IT, INFRA, CUSTOMER),
        "integration",
        "resource",
        "planning",
        en=_w(
            nouns=["the handover to operations", "the hypercare", "the support readiness"],
            headlines=[
                "support was not ready after the {golive}",
                "hypercare ran {weeks} weeks longer",
            ],
            lesson_titles=[
                "Train the support team before the {golive}, not after",
                "Agree exit criteria for hypercare",
                "Hand over runbooks and known errors to operations",
            ],
            risk_titles=[
                "Operations not ready to take over the system",
                "Hypercare extended because support cannot cope",
            ],
            sop_titles=[
                "Handover to operations procedure",
                "Hypercare and exit criteria checklist",
            ],
            events=[
                "The project team left two weeks after the {golive}; the support desk had no runbooks and forwarded {n} tickets a day to people who had moved on to other projects.",
                "Hypercare was planned for two weeks with no exit criteria; it ran for {weeks} weeks because nobody in operations felt able to take over.",
                "The {vendor}'s support contract started only after acceptance, so for a month problems after the {golive} had no one responsible for fixing them.",
            ],
            causes=[
                "Operations was involved only at the end, so its people saw the system for the first time at handover.",
                "There were no criteria for ending hypercare, and no runbooks or known-error list.",
            ],
            insights=[
                "A system is handed over when the people who run it can handle the common problems without the project team.",
                "Hypercare ends on criteria, not on a date.",
            ],
            actions=[
                "Involve the support team in testing so they know the system before the {golive}.",
                "Hand over runbooks, monitoring and a known-error list before the {golive}.",
                "Agree exit criteria for hypercare, such as open tickets and response times.",
                "Start the {vendor}'s support contract on the day of the {golive}.",
            ],
            triggers=[
                "Support team not in the test plan; no runbooks a month before the {golive}.",
                "Hypercare without exit criteria; ticket backlog growing in the first week.",
            ],
            risks=[
                "Because operations will see the system for the first time at handover, support may not cope with the first weeks, leading to long hypercare and tickets handled by the project team.",
                "Because the {vendor}'s support contract starts after acceptance, there may be a gap in support, leading to long outages after the {golive}.",
            ],
            responses=[
                "Two support engineers joined the project team for the last test cycle and wrote the runbooks with the developers.",
                "Hypercare got exit criteria (fewer than ten open tickets, no priority-1 incident for two weeks) and ended when they were met.",
            ],
        ),
        zh=_w(
            nouns=["运维交接", "上线支持期", "运维准备"],
            headlines=["{golive}后运维没准备好", "上线支持期延长了 {weeks} 周"],
            lesson_titles=[
                "{golive}前而不是之后培训运维团队",
                "约定上线支持期的退出标准",
                "向运维移交操作手册和已知问题清单",
            ],
            risk_titles=["运维团队没有准备好接手系统", "运维接不住导致上线支持期延长"],
            sop_titles=["运维交接规程", "上线支持与退出标准检查表"],
            events=[
                "项目组在{golive}两周后撤场，服务台没有操作手册，每天把 {n} 张工单转给已经调去其他项目的人。",
                "上线支持期（hypercare）计划两周，但没有退出标准；因为运维没人觉得能接手，一直拖了 {weeks} 周。",
                "{vendor}的维保合同要验收后才生效，{golive}后的一个月里出了问题没有人负责修。",
            ],
            causes=[
                "运维部门到最后才参与，交接时第一次看到系统。",
                "没有上线支持期的退出标准，也没有操作手册和已知问题清单。",
            ],
            insights=[
                "负责运行系统的人不依赖项目组也能处理常见问题时，交接才算完成。",
                "上线支持期按标准结束，而不是按日期结束。",
            ],
            actions=[
                "让运维团队参与测试，{golive}前熟悉系统。",
                "{golive}前移交操作手册、监控和已知问题清单。",
                "约定上线支持期退出标准，例如未关闭工单数和响应时间。",
                "{vendor}维保合同从{golive}当天开始生效。",
            ],
            triggers=[
                "运维团队不在测试计划中；{golive}前一个月还没有操作手册。",
                "上线支持期没有退出标准；第一周工单积压越来越多。",
            ],
            risks=[
                "由于运维团队在交接时才第一次接触系统，可能应付不了头几周的问题，导致上线支持期延长、工单仍由项目组处理。",
                "由于{vendor}维保合同在验收后才生效，支持可能出现空档，导致{golive}后长时间故障。",
            ],
            responses=[
                "两名运维工程师参加了最后一轮测试，与开发人员一起编写操作手册。",
                "为上线支持期设定了退出标准（未关闭工单少于十张、连续两周没有一级故障），达标后结束。",
            ],
        ),
    ),
    Topic(
        "design-change-late",
        "a design problem is found after design freeze, or late engineering changes force a redesign",
        0.35,
        (RND, ENGINEERING, MANUFACTURING),
        "quality",
        "technical",
        "technical",
        en=_w(
            nouns=[
                "the late design changes",
                "the verification after design freeze",
                "the engineering changes late in development",
            ],
            headlines=[
                "a problem found after design freeze forced a redesign",
                "late engineering changes",
            ],
            lesson_titles=[
                "Verify the critical requirements before design freeze",
                "Make passed verification tests a criterion of the design review",
                "Book test facilities when the design-freeze date is set",
            ],
            risk_titles=[
                "Design problem found after design freeze",
                "Late engineering changes after tooling is ordered",
            ],
            sop_titles=["Design freeze review checklist", "Engineering change control procedure"],
            events=[
                "The design was frozen after tests at room temperature only; the first environmental test {weeks} weeks later showed that the product missed its accuracy target, and {n} prototypes had to be rebuilt.",
                "Tooling was ordered on the basis of the frozen design, and then a vibration test failed; the engineering change cost {money} in tool modifications.",
                "The test chamber was booked by another team, so verification was moved after the design freeze; the defect it found meant a second prototype round.",
            ],
            causes=[
                "Verification tests were planned after design freeze instead of before it.",
                "Test facilities were booked late and shared with other projects.",
            ],
            insights=[
                "A problem found before design freeze costs a component change; found after, it costs a redesign.",
                "Design freeze is a decision that must rest on evidence; an unverified design is not frozen, only unchanged.",
            ],
            actions=[
                "Derive a verification test for every critical requirement before the design review.",
                "Make passed verification tests a criterion of the design-freeze review.",
                "Book test chambers and labs when the design-freeze date is set.",
                "Route every change after freeze through engineering change control with cost and schedule impact.",
            ],
            triggers=[
                "Verification tests scheduled after design freeze; test facilities not booked.",
                "Requirements without a test; tooling ordered before the environmental tests.",
            ],
            risks=[
                "Because environmental tests are planned after design freeze, a design problem may be found late, leading to a redesign and a second prototype round.",
                "Because tooling is ordered early to save time, late engineering changes may require tool modifications, leading to extra cost.",
            ],
            responses=[
                "We held the design freeze for three weeks until the critical tests had passed.",
                "A pre-compliance test was run on the first prototype, which found the problem while the design was still open.",
            ],
        ),
        zh=_w(
            nouns=["设计后期变更", "设计冻结后的验证", "研发后期的工程变更"],
            headlines=["设计冻结后发现问题被迫重新设计", "后期工程变更"],
            lesson_titles=[
                "设计冻结前验证关键需求",
                "把验证测试通过作为设计评审的条件",
                "确定设计冻结日期时就预约试验设备",
            ],
            risk_titles=["设计冻结后发现设计问题", "模具下单后出现工程变更"],
            sop_titles=["设计冻结评审检查表", "工程变更控制规程"],
            events=[
                "设计只在常温测试后就冻结了；{weeks} 周后的第一次环境试验显示产品达不到精度指标，{n} 台样机需要重做。",
                "按冻结的设计下了模具订单，随后振动试验不合格，工程变更导致模具修改费用 {money}。",
                "试验箱被其他团队占用，验证被推到设计冻结之后；验证发现的缺陷导致又做了一轮样机。",
            ],
            causes=[
                "验证测试排在设计冻结之后而不是之前。",
                "试验设备预约太晚，还要与其他项目共用。",
            ],
            insights=[
                "设计冻结前发现问题只需换一个元件，冻结后发现就要重新设计。",
                "设计冻结是一个需要证据支撑的决定；没有验证过的设计不是冻结，只是没改。",
            ],
            actions=[
                "设计评审前为每项关键需求制定验证测试。",
                "把验证测试通过作为设计冻结评审的条件。",
                "确定设计冻结日期时就预约试验箱和实验室。",
                "冻结后的每项变更都走工程变更流程，评估成本和进度影响。",
            ],
            triggers=[
                "验证测试排在设计冻结之后；试验设备没有预约。",
                "有需求没有对应测试；环境试验前就下了模具订单。",
            ],
            risks=[
                "由于环境试验安排在设计冻结之后，设计问题可能发现得晚，导致重新设计和多一轮样机。",
                "由于为节省时间提前下了模具订单，后期工程变更可能需要修改模具，导致额外费用。",
            ],
            responses=[
                "我们把设计冻结推迟三周，直到关键测试通过。",
                "在第一台样机上做了预测试，在设计尚未冻结时就发现了问题。",
            ],
        ),
    ),
    Topic(
        "ramp-up-quality",
        "yield and scrap problems during the production ramp-up of a new line or product",
        0.7,
        (MANUFACTURING, RND),
        "quality",
        "quality",
        "quality",
        en=_w(
            nouns=[
                "the production ramp-up",
                "the first-pass yield",
                "the scrap at the start of series production",
            ],
            headlines=[
                "scrap rate stayed high during ramp-up",
                "yield target missed for {weeks} weeks",
            ],
            lesson_titles=[
                "Run a pre-series at full speed before the ramp-up",
                "Approve the process with capability data, not a few good parts",
                "Plan the ramp-up curve with the plant, not for it",
            ],
            risk_titles=[
                "Yield below target during the production ramp-up",
                "New line does not reach the planned output",
            ],
            sop_titles=[
                "Production ramp-up readiness review",
                "Process capability and first article approval",
            ],
            events=[
                "The line was released after {n} good parts at half speed; at full speed the scrap rate was {pct} % and the plant missed its delivery plan for {weeks} weeks.",
                "First article inspection passed, but the process capability had never been measured; dimensions drifted during long runs and parts were sorted by hand.",
                "Operators and maintenance had not been trained on the new tools; every stoppage took hours and output stayed at {pct} % of the plan in the first month.",
            ],
            causes=[
                "The process was approved on a few samples, not on capability data from a run at full speed.",
                "The ramp-up curve was set by the project, without the plant's experience of similar starts.",
            ],
            insights=[
                "A few good parts prove the process can work; only a long run at full speed proves it will.",
                "The ramp-up is part of the project; handing over at the first good part leaves the plant with the problems.",
            ],
            actions=[
                "Run a pre-series at full speed and measure process capability before release.",
                "Approve the first article and the process separately, each with its own criteria.",
                "Agree the ramp-up curve with the plant manager and keep the project team on site until it is reached.",
                "Train operators and maintenance on the new equipment before the pre-series.",
            ],
            triggers=[
                "Release planned after a short run at reduced speed; no capability study in the plan.",
                "Operators not yet trained at the pre-series; spare parts not on site.",
            ],
            risks=[
                "Because the process is new to the plant, the yield may stay below target for weeks after the start of production, leading to sorting, overtime and missed deliveries.",
                "Because the ramp-up curve is ambitious, the line may not reach the planned output, leading to lost sales.",
            ],
            responses=[
                "We held a two-week pre-series at full speed, fixed the three main causes of scrap and released the line after a capability study.",
                "The project team stayed on site for six more weeks and a daily quality meeting was held with the plant.",
            ],
        ),
        zh=_w(
            nouns=["量产爬坡", "一次合格率", "量产初期报废"],
            headlines=["爬坡期间报废率居高不下", "良率目标 {weeks} 周未达成"],
            lesson_titles=[
                "量产爬坡前先以全速进行小批量试产",
                "用过程能力数据而不是几个好件批准工艺",
                "与工厂一起制定爬坡曲线",
            ],
            risk_titles=["量产爬坡期间良率低于目标", "新产线达不到计划产能"],
            sop_titles=["量产爬坡准备评审规程", "过程能力与首件批准规程"],
            events=[
                "产线在半速生产出 {n} 个合格件后就放行了；全速生产时报废率达到 {pct}%，工厂 {weeks} 周没有完成交付计划。",
                "首件检验通过了，但从没有测过过程能力；长时间生产时尺寸漂移，只能人工挑选。",
                "操作工和维修人员没有接受过新设备培训，每次停机都要几个小时，第一个月产量只有计划的 {pct}%。",
            ],
            causes=[
                "工艺只凭几个样件批准，而没有全速运行的过程能力数据。",
                "爬坡曲线由项目组定，没有参考工厂类似项目的经验。",
            ],
            insights=[
                "几个好件说明工艺能做出来，只有全速长时间运行才能证明它稳定。",
                "爬坡是项目的一部分；做出第一个好件就移交，会把问题都留给工厂。",
            ],
            actions=[
                "放行前全速进行小批量试产，并测量过程能力。",
                "首件批准和工艺批准分开进行，各有标准。",
                "与工厂厂长共同确定爬坡曲线，达成之前项目组留在现场。",
                "小批量试产前完成操作工和维修人员的新设备培训。",
            ],
            triggers=[
                "计划在短时间降速运行后就放行；计划中没有过程能力研究。",
                "试产时操作工还没培训；备件没有到现场。",
            ],
            risks=[
                "由于该工艺对工厂来说是新的，投产后数周良率可能低于目标，导致挑选、加班和交付延误。",
                "由于爬坡曲线过于激进，产线可能达不到计划产能，导致销售损失。",
            ],
            responses=[
                "我们进行了两周全速试产，解决了三个主要报废原因，做完过程能力研究后才放行。",
                "项目组在现场多留了六周，每天与工厂开质量会。",
            ],
        ),
    ),
    Topic(
        "security-review",
        "a late security review, penetration test or privacy assessment holds up the go-live",
        0.3,
        (IT, CUSTOMER, INFRA),
        "risk",
        "regulatory",
        "governance",
        en=_w(
            nouns=["the security review", "the penetration test", "the privacy assessment"],
            headlines=[
                "security findings blocked the {golive}",
                "the penetration test came too late",
            ],
            lesson_titles=[
                "Involve IT security at design, not before the {golive}",
                "Schedule the penetration test early enough to fix findings",
                "Complete the privacy assessment before building",
            ],
            risk_titles=[
                "Security review blocks the {golive}",
                "Penetration test findings too late to fix",
            ],
            sop_titles=[
                "Security and privacy review procedure for projects",
                "Penetration test planning checklist",
            ],
            events=[
                "The penetration test was run two weeks before the {golive} and found {n} high findings, including an open admin interface; the {golive} was postponed by {weeks} weeks.",
                "IT security saw the architecture for the first time at the go-live approval and refused to sign because data left the company's network unencrypted.",
                "The privacy assessment was started after the build, and the data protection officer asked for changes to retention and access rights that took {days} days to implement.",
            ],
            causes=[
                "Security and privacy were treated as approvals at the end, not as requirements.",
                "Nobody booked the penetration testers until the system was complete.",
            ],
            insights=[
                "Security requirements discovered at the end cost weeks; the same requirements at design cost days.",
                "A penetration test needs time after it to fix what it finds.",
            ],
            actions=[
                "Review the architecture with IT security at design and record their requirements.",
                "Schedule the penetration test at least six weeks before the {golive}.",
                "Complete the privacy assessment before the build starts.",
                "Track security findings like defects, with owners and due dates.",
            ],
            triggers=[
                "No security review in the plan before the test phase; penetration test in the last two weeks.",
                "Privacy assessment not started at build; new external interfaces added late.",
            ],
            risks=[
                "Because the penetration test is scheduled just before the {golive}, findings may be too serious to accept, leading to a postponed {golive}.",
                "Because personal data is processed in a new cloud service, the privacy assessment may require changes, leading to rework late in the project.",
            ],
            responses=[
                "The critical findings were fixed in two weeks, and the rest were accepted by the security officer with a plan to fix them after the {golive}.",
                "IT security joined the design authority, and the next release passed its penetration test without high findings.",
            ],
        ),
        zh=_w(
            nouns=["安全评审", "渗透测试", "隐私评估"],
            headlines=["安全问题导致{golive}受阻", "渗透测试做得太晚"],
            lesson_titles=[
                "设计阶段而不是{golive}前让信息安全部门介入",
                "渗透测试要留出整改时间",
                "开发前完成隐私影响评估",
            ],
            risk_titles=["安全评审卡住{golive}", "渗透测试发现问题来不及整改"],
            sop_titles=["项目安全与隐私评审规程", "渗透测试计划检查表"],
            events=[
                "渗透测试在{golive}前两周才做，发现 {n} 个高危问题，包括一个对外开放的管理接口，{golive}推迟了 {weeks} 周。",
                "信息安全部门在上线审批时才第一次看到架构，因为数据未加密就传出公司网络而拒绝签字。",
                "开发完成后才开始隐私评估，数据保护负责人要求修改保存期限和访问权限，实施用了 {days} 天。",
            ],
            causes=[
                "安全和隐私被当作最后的审批，而不是需求。",
                "系统完成之前没有人预约渗透测试团队。",
            ],
            insights=[
                "最后才发现的安全需求要花几周，设计阶段提出的同样需求只需几天。",
                "渗透测试之后需要时间整改发现的问题。",
            ],
            actions=[
                "设计阶段与信息安全部门评审架构并记录其要求。",
                "渗透测试至少安排在{golive}前六周。",
                "开发开始前完成隐私影响评估。",
                "像缺陷一样跟踪安全问题，明确负责人和完成日期。",
            ],
            triggers=[
                "测试阶段前计划中没有安全评审；渗透测试排在最后两周。",
                "开发时还没开始隐私评估；后期新增外部接口。",
            ],
            risks=[
                "由于渗透测试安排在{golive}前夕，发现的问题可能严重到无法接受，导致{golive}推迟。",
                "由于个人数据将在新的云服务中处理，隐私评估可能要求修改，导致项目后期返工。",
            ],
            responses=[
                "高危问题两周内修复，其余问题由安全负责人接受，并计划在{golive}后整改。",
                "信息安全部门加入设计委员会，下一个版本的渗透测试没有高危问题。",
            ],
        ),
    ),
    Topic(
        "resource-overallocation",
        "people are spread across too many projects and shared specialists become the bottleneck",
        0.4,
        ALL_TYPES,
        "resource",
        "resource",
        "resourcing",
        en=_w(
            nouns=[
                "the over-allocation of the team",
                "people split across projects",
                "the multitasking between projects",
            ],
            headlines=[
                "the team was spread across too many projects",
                "shared specialists became the bottleneck",
            ],
            lesson_titles=[
                "Limit the number of projects each specialist works on",
                "Plan shared experts across the portfolio, not per project",
                "Make resource conflicts visible in the portfolio meeting",
            ],
            risk_titles=[
                "Key specialists over-allocated across projects",
                "Team members pulled away to other priorities",
            ],
            sop_titles=[
                "Portfolio resource allocation procedure",
                "Resource conflict escalation procedure",
            ],
            events=[
                "The {consultant} was planned at 100 % on three projects at the same time; tasks waited for them for {days} days and every project blamed the others.",
                "Half of the team was pulled into an urgent customer escalation for {weeks} weeks; the project plan was not changed and the milestones slipped one after another.",
                "Developers worked on {n} projects in parallel; every switch cost time, and nothing was finished until the end of the quarter.",
            ],
            causes=[
                "Resources were planned per project; nobody saw the total load of shared specialists.",
                "Urgent work elsewhere always won, and the cost to the project was never made visible.",
            ],
            insights=[
                "A person planned at 100 % on three projects is planned at 33 % on each, and usually less.",
                "Finishing one project before starting the next delivers all of them sooner than running them in parallel.",
            ],
            actions=[
                "Plan shared specialists across the portfolio and cap each person at two projects.",
                "Show resource conflicts and their cost in delay in the portfolio meeting.",
                "Re-plan and tell the sponsor when people are pulled away for more than a week.",
                "Prefer finishing work in progress over starting new projects.",
            ],
            triggers=[
                "The same names on several project plans at full time; tasks waiting for one person.",
                "Team members missing stand-ups because of other projects; no portfolio view of allocations.",
            ],
            risks=[
                "Because the specialists are shared with other projects, they may not be available when needed, leading to waiting time and missed milestones.",
                "Because urgent work for other customers takes priority, the team may be pulled away, leading to a late {golive}.",
            ],
            responses=[
                "The portfolio board ranked the projects, and the specialists were assigned to two of them only.",
                "We agreed fixed days per week for each shared expert and published the plan to all project managers.",
            ],
        ),
        zh=_w(
            nouns=["资源超负荷", "人员同时参与多个项目", "多项目之间来回切换"],
            headlines=["团队同时做太多项目", "共用专家成了瓶颈"],
            lesson_titles=[
                "限制每个专家同时参与的项目数量",
                "在项目组合层面而不是单个项目中安排共用专家",
                "在项目组合会议上暴露资源冲突",
            ],
            risk_titles=["关键专家在多个项目间超负荷", "团队成员被抽调去做其他优先事项"],
            sop_titles=["项目组合资源分配规程", "资源冲突升级规程"],
            events=[
                "{consultant}同时在三个项目的计划里都是 100% 投入，任务等他等了 {days} 天，每个项目都怪其他项目。",
                "一半团队成员被抽去处理一个紧急的客户投诉，持续 {weeks} 周；项目计划没有调整，里程碑一个接一个延误。",
                "开发人员同时做 {n} 个项目，每次切换都浪费时间，直到季度末什么都没完成。",
            ],
            causes=[
                "资源按项目分别计划，没有人看到共用专家的总负荷。",
                "其他地方的紧急工作总是优先，对项目造成的影响从来没有显现出来。",
            ],
            insights=[
                "一个人在三个项目上各排 100%，实际上每个项目只有 33%，通常还更少。",
                "做完一个项目再开始下一个，比同时推进所有项目更早全部完成。",
            ],
            actions=[
                "在项目组合层面安排共用专家，每人同时最多参与两个项目。",
                "在项目组合会议上展示资源冲突及其造成的延误。",
                "人员被抽调超过一周时重新排计划并告知发起人。",
                "优先完成在制工作，而不是启动新项目。",
            ],
            triggers=[
                "同样的名字以全职出现在多个项目计划中；任务都在等同一个人。",
                "团队成员因其他项目缺席站会；没有项目组合层面的资源视图。",
            ],
            risks=[
                "由于专家与其他项目共用，需要时可能无法到位，导致等待和里程碑延误。",
                "由于其他客户的紧急工作优先，团队可能被抽走，导致{golive}推迟。",
            ],
            responses=[
                "项目组合委员会对项目排了优先级，专家只分配到其中两个项目。",
                "为每位共用专家约定每周固定的投入日，并把安排发给所有项目经理。",
            ],
        ),
    ),
)

BY_KEY = {t.key: t for t in TOPICS}
