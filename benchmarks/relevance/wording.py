"""The generic sentences of generated entries, one catalog per language.

Section headings as kb's schema writes them, and the sentences every kind of entry uses whatever
its topic: impact, filler, evidence, what went well, SOP boilerplate. They give entries on
different topics the common words a PMO's writing shares (project, data, test, vendor, plan).
Slots in braces are filled by ``corpus.py``.
"""

from __future__ import annotations

# Section headings, as the sample entries and kb's schema write them.
HEADINGS = {
    "retrospective": {
        "en": (
            "Summary",
            "Timeline",
            "What went well",
            "What went wrong",
            "Root causes",
            "Action items",
        ),
        "zh": ("概述", "时间线", "做得好的", "存在的问题", "根本原因", "改进行动"),
    },
    "lesson": {
        "en": ("Driving event", "Lesson", "Recommendation", "Evidence the fix worked"),
        "zh": ("触发事件", "经验教训", "建议", "改进成效"),
    },
    "risk": {
        "en": ("Risk description", "What happened", "Response", "Recommendation"),
        "zh": ("风险描述", "实际情况", "应对措施", "建议"),
    },
    "sop": {
        "en": ("Purpose", "Scope", "Roles", "Procedure", "Records", "Revision history"),
        "zh": ("目的", "适用范围", "角色与职责", "程序", "记录", "修订历史"),
    },
}

# Generic sentences every kind of entry uses: they give distractors the common words.
IMPACT = {
    "en": [
        "The {golive} moved by {delay} days and the extra effort cost {cost}.",
        "In total this cost {delay} days of delay and {cost} of unplanned work.",
        "The delay was {delay} days; overtime and extra fees came to {cost}.",
    ],
    "zh": [
        "{golive}因此推迟 {delay} 天，额外工作花费 {cost}。",
        "合计造成 {delay} 天延误和 {cost} 计划外支出。",
        "延误 {delay} 天，加班和额外费用约 {cost}。",
    ],
}
FILLER = {
    "en": [
        "The issue was raised in the weekly project meeting and logged in the risk register.",
        "The steering committee was informed in the next status report.",
        "The project team and the vendor agreed the facts in a joint review.",
        "The same pattern had been seen on an earlier project, but the lesson was not applied.",
        "Test results, minutes and e-mails from that period confirm the timeline.",
        "The data, dates and costs are recorded in the project folder.",
    ],
    "zh": [
        "问题在项目周例会上提出，并记录在风险登记册中。",
        "下一期项目周报向指导委员会做了汇报。",
        "项目组与供应商在联合复盘会上确认了事实。",
        "之前的项目也出现过类似情况，但经验没有被用上。",
        "这段时间的测试记录、会议纪要和邮件可以印证时间线。",
        "相关数据、日期和费用记录在项目文件夹中。",
    ],
}
POSITIVE = {
    "en": [
        "As a result the {golive} happened on the planned date.",
        "The problem did not recur, and the project closed on time.",
        "It saved an estimated {days} days compared with the previous project.",
    ],
    "zh": [
        "结果{golive}按计划日期完成。",
        "问题没有再出现，项目按期收尾。",
        "与上一个项目相比，估计节省了 {days} 天。",
    ],
}
EVIDENCE = {
    "en": [
        "Applied on the {other} project in {year}: {noun} caused no delay there.",
        "The {other} project followed this from kick-off in {year}, and the problem did not "
        "come back.",
        "Not verified yet; to be checked at the next project review.",
    ],
    "zh": [
        "{year} 年在{other}项目中应用，{noun}没有再造成延误。",
        "{other}项目从启动起就照此执行（{year} 年），问题没有再出现。",
        "尚未验证，将在下一次项目复盘时检查。",
    ],
}
EVIDENCE_SOP = {
    "en": "The recommendation went into {sop}; the first project that used it closed on its "
    "baseline date.",
    "zh": "建议已写入 {sop}，第一个按此执行的项目按期完成。",
}
WENT_WELL = {
    "en": [
        "The core team stayed together for the whole project.",
        "Weekly status meetings kept the sponsor informed.",
        "The budget was tracked monthly against actuals.",
        "The vendor's engineers were responsive once problems were escalated.",
        "Testing found most defects before the {golive}.",
        "The business was involved in every design decision.",
        "No lost-time injury during the project.",
        "Documentation was kept up to date in the project workspace.",
        "The risk register was reviewed at every steering meeting.",
        "The plan was re-baselined honestly when the dates moved.",
        "Users wrote good test cases that became the regression suite.",
        "Communication with the customer was open and frequent.",
    ],
    "zh": [
        "核心团队从头到尾保持稳定。",
        "每周例会让发起人及时了解进展。",
        "预算每月与实际对比跟踪。",
        "问题升级后供应商的工程师响应很快。",
        "大部分缺陷在{golive}前的测试中发现。",
        "业务部门参与了每一项设计决策。",
        "项目期间没有发生工伤事故。",
        "项目文档在项目空间中及时更新。",
        "每次指导委员会都评审风险登记册。",
        "日期变化时如实调整了基准计划。",
        "用户编写的测试用例成了回归测试集。",
        "与客户的沟通公开、频繁。",
    ],
}
ROOT_CAUSE_LABEL = {
    "en": {
        "data": "Data",
        "vendor": "Vendor",
        "resourcing": "Resourcing",
        "skills": "Skills",
        "requirements": "Requirements",
        "estimation": "Estimation",
        "planning": "Planning",
        "technical": "Technical",
        "stakeholder": "Stakeholder",
        "governance": "Governance",
        "communication": "Communication",
        "quality": "Quality",
        "external": "External",
    },
    "zh": {
        "data": "数据",
        "vendor": "供应商",
        "resourcing": "资源",
        "skills": "技能",
        "requirements": "需求",
        "estimation": "估算",
        "planning": "计划",
        "technical": "技术",
        "stakeholder": "干系人",
        "governance": "治理",
        "communication": "沟通",
        "quality": "质量",
        "external": "外部",
    },
}
PROJECT_TYPE_LABEL = {
    "en": {
        "it-implementation": "IT implementation",
        "customer-implementation": "customer implementation",
        "manufacturing": "manufacturing",
        "engineering": "engineering",
        "r-and-d": "R&D",
        "infrastructure": "infrastructure",
        "organizational-change": "organisational change",
    },
    "zh": {
        "it-implementation": "IT 实施",
        "customer-implementation": "客户实施",
        "manufacturing": "制造",
        "engineering": "工程",
        "r-and-d": "研发",
        "infrastructure": "基础设施",
        "organizational-change": "组织变革",
    },
}
NOT_OCCURRED = {
    "en": [
        "The risk did not occur: the response below kept it under control, and the {golive} "
        "was not affected."
    ],
    "zh": ["风险没有发生：下述应对措施使其得到控制，{golive}未受影响。"],
}

SOP_TEXT = {
    "en": {
        "purpose": "Make sure that {noun} does not put the {golive} at risk.",
        "scope": "All {types} projects, from kick-off to closure.",
        "roles": "| Role | Responsibility |\n|------|----------------|\n"
        "| Project manager | Plans the steps of this procedure and reports their status |\n"
        "| PMO | Checks the records at each phase gate |\n"
        "| Sponsor | Decides escalations within five working days |",
        "first": "At kick-off, name an owner for each step of this procedure and put the steps "
        "in the plan.",
        "last": "Report the status of these steps in every steering meeting.",
        "records": "The plan, the evidence for each step and the decisions taken are kept in the "
        "project folder.",
        "revisions": "| Version | Date | Change | Lesson |\n|---------|------|--------|--------|",
        "changes": ("First version", "Steps reordered after a project review"),
        "generic": (
            "the new system",
            "the legacy system",
            "the other system",
            "the customer",
            "critical equipment",
        ),
        "and": " and ",
        "list": ", ",
    },
    "zh": {
        "purpose": "确保{noun}不影响{golive}。",
        "scope": "公司所有{types}项目，从启动到收尾。",
        "roles": "| 角色 | 职责 |\n|------|------|\n"
        "| 项目经理 | 安排本规程各步骤并汇报状态 |\n"
        "| PMO | 在每个阶段评审时检查记录 |\n"
        "| 发起人 | 五个工作日内对升级事项作出决定 |",
        "first": "项目启动时为本规程每一步指定负责人，并列入计划。",
        "last": "每次指导委员会汇报上述步骤的状态。",
        "records": "计划、每一步的证据和所作决定保存在项目文件夹中。",
        "revisions": "| 版本 | 日期 | 变更 | 经验教训 |\n|------|------|------|----------|",
        "changes": ("首次发布", "根据项目复盘调整步骤顺序"),
        "generic": ("新系统", "旧系统", "对接系统", "客户", "关键设备"),
        "and": "和",
        "list": "、",
    },
}
