//! Twenty realistic risk points as `SearchDoc`s (药品采购, 回扣, 出纳, 基建 …), written the way
//! departments word them in the programme, for search tests. The ranking tests rely on which
//! titles hold 采购 and 回扣 and on the grades, so change them with the tests in view.

#![allow(dead_code, reason = "not every test module uses every helper")]

use gongshi::search::SearchDoc;

struct Dept {
    slug: &'static str,
    name: &'static str,
    head: &'static str,
    deputy: &'static str,
}

const CAIWU: Dept = Dept {
    slug: "caiwu",
    name: "财务科",
    head: "王某华",
    deputy: "朱某芳",
};
const YAOJIKE: Dept = Dept {
    slug: "yaojike",
    name: "药剂科",
    head: "陈某明",
    deputy: "陈某怡",
};
const SHEBEI: Dept = Dept {
    slug: "shebeike",
    name: "设备科",
    head: "李某强",
    deputy: "陈某怡",
};
const JIJIAN: Dept = Dept {
    slug: "jijianban",
    name: "基建办",
    head: "周某林",
    deputy: "朱某芳",
};
const RENSHI: Dept = Dept {
    slug: "renshike",
    name: "人事科",
    head: "钟某玲",
    deputy: "朱某芳",
};
const ZONGWU: Dept = Dept {
    slug: "zongwuke",
    name: "总务科",
    head: "黄某宏",
    deputy: "陈某怡",
};
const YIWU: Dept = Dept {
    slug: "yiwuke",
    name: "医务科",
    head: "许某昌",
    deputy: "陈某怡",
};
const UNIT: Dept = Dept {
    slug: "",
    name: "医院（单位）",
    head: "",
    deputy: "朱某芳",
};
const PRINCIPAL: &str = "刘某文";

struct Point {
    dept: Dept,
    id: &'static str,
    title: &'static str,
    level: &'static str,
    post: Option<&'static str>,
    category: &'static str,
    grade: u8,
    measures: &'static [&'static str],
    body: &'static str,
}

fn point(p: Point) -> SearchDoc {
    let (owner, supervisor) = match p.grade {
        1 => (p.dept.deputy, PRINCIPAL),
        2 if p.dept.slug.is_empty() => (p.dept.deputy, PRINCIPAL),
        2 => (p.dept.head, p.dept.deputy),
        _ => ("张某", p.dept.head),
    };
    let folder = if p.dept.slug.is_empty() {
        "unit"
    } else {
        p.dept.slug
    };
    SearchDoc {
        url: format!("{folder}/{}.html", p.id),
        id: p.id.to_string(),
        title: p.title.to_string(),
        dept_slug: p.dept.slug.to_string(),
        dept_name: p.dept.name.to_string(),
        level: p.level.to_string(),
        post: p.post.map(str::to_string),
        category: p.category.to_string(),
        grade: p.grade,
        owner: owner.to_string(),
        supervisor: supervisor.to_string(),
        measures: p.measures.iter().map(|m| m.to_string()).collect(),
        body_text: p.body.to_string(),
    }
}

/// The twenty points, in the order a notice lists them.
pub fn risk_docs() -> Vec<SearchDoc> {
    [
        Point {
            dept: CAIWU,
            id: "CWK-01",
            title: "出纳岗位现金坐支挪用",
            level: "岗位",
            post: Some("出纳"),
            category: "岗位职责风险",
            grade: 2,
            measures: &["严格执行现金管理制度，当日现金收入当日送存银行", "会计每日核对现金日记账与库存现金"],
            body: "表现形式：出纳人员利用保管现金的便利，坐支现金或挪用公款归个人使用，导致账实不符。",
        },
        Point {
            dept: CAIWU,
            id: "CWK-02",
            title: "会计凭证审核流于形式",
            level: "岗位",
            post: Some("会计"),
            category: "业务流程风险",
            grade: 3,
            measures: &["原始凭证须经经办人、验收人、科室负责人签字", "每月抽查记账凭证"],
            body: "表现形式：对报销单据审核不严，虚假发票或超标准报销未被发现。",
        },
        Point {
            dept: CAIWU,
            id: "CWK-03",
            title: "大额资金支付审批把关不严",
            level: "科室",
            post: None,
            category: "业务流程风险",
            grade: 2,
            measures: &["落实资金支付双人复核", "大额资金使用须经院长办公会集体研究", "财务科每月向分管领导报告资金支付情况"],
            body: "表现形式：大额资金支付未按规定程序审批，化整为零规避集体决策，资金被违规转移。",
        },
        Point {
            dept: CAIWU,
            id: "CWK-04",
            title: "医疗收费项目违规加收",
            level: "科室",
            post: None,
            category: "制度机制风险",
            grade: 3,
            measures: &["收费项目和标准在门诊大厅公示", "物价员每季度自查收费情况"],
            body: "表现形式：自立项目收费、分解收费、重复收费，加重患者负担。",
        },
        Point {
            dept: YAOJIKE,
            id: "YJK-01",
            title: "药品集中采购目录外遴选把关不严",
            level: "科室",
            post: None,
            category: "业务流程风险",
            grade: 1,
            measures: &["目录外药品遴选须经药事管理委员会集体讨论", "遴选过程全程记录并存档", "纪检办派员监督药品遴选"],
            body: "表现形式：个别人员在药品遴选中受供应商请托，违规引进高价药品，存在利益输送风险。",
        },
        Point {
            dept: YAOJIKE,
            id: "YJK-02",
            title: "药品采购环节收受回扣",
            level: "岗位",
            post: Some("采购员"),
            category: "岗位职责风险",
            grade: 2,
            measures: &["与供应商签订廉洁购销协议", "药品采购计划由科室集体审定", "采购员定期轮岗"],
            body: "表现形式：采购人员在药品采购中收受医药代表给予的回扣、红包，或接受宴请。",
        },
        Point {
            dept: YAOJIKE,
            id: "YJK-03",
            title: "药品统方信息泄露",
            level: "岗位",
            post: Some("药库管理员"),
            category: "外部环境风险",
            grade: 2,
            measures: &["信息系统统方权限分级授权", "统方查询全程留痕，信息科每月审计日志"],
            body: "表现形式：为医药代表提供医生用药量等统方数据，换取好处费。",
        },
        Point {
            dept: YAOJIKE,
            id: "YJK-04",
            title: "药品验收入库不规范",
            level: "岗位",
            post: Some("药库管理员"),
            category: "业务流程风险",
            grade: 3,
            measures: &["药品验收实行双人验收制度", "验收记录与采购订单逐项核对"],
            body: "表现形式：验收时不核对品种、数量和有效期，以次充好、以少充多。",
        },
        Point {
            dept: SHEBEI,
            id: "SBK-01",
            title: "大型医用设备招标设置排他性条款",
            level: "科室",
            post: None,
            category: "业务流程风险",
            grade: 1,
            measures: &["招标参数须经三家以上产品论证", "招标文件经审计科审核后发布", "评标专家从专家库随机抽取"],
            body: "表现形式：在招标文件中设置指向特定品牌的技术参数，排斥潜在投标人，为特定供应商中标创造条件。",
        },
        Point {
            dept: SHEBEI,
            id: "SBK-02",
            title: "医用耗材验收环节收受回扣",
            level: "岗位",
            post: Some("验收员"),
            category: "岗位职责风险",
            grade: 1,
            measures: &["耗材验收由使用科室与设备科共同进行", "高值耗材实行条码追溯管理", "验收人员签订廉洁承诺书"],
            body: "表现形式：验收人员收受供应商好处，对不合格耗材放行，或虚增验收数量。",
        },
        Point {
            dept: SHEBEI,
            id: "SBK-03",
            title: "设备维修外包费用虚高",
            level: "科室",
            post: None,
            category: "制度机制风险",
            grade: 3,
            measures: &["维修费用超过五千元须比价", "维修记录与结算单据相互印证"],
            body: "表现形式：维修项目和费用缺乏比价，虚报维修内容套取资金。",
        },
        Point {
            dept: JIJIAN,
            id: "JJB-01",
            title: "基建工程项目招投标暗箱操作",
            level: "科室",
            post: None,
            category: "业务流程风险",
            grade: 1,
            measures: &["工程项目一律进入公共资源交易中心公开招标", "严禁化整为零规避招标", "招标全过程接受纪检办监督"],
            body: "表现形式：在基建工程招投标中泄露标底、串通投标，或将工程肢解发包给特定关系人。",
        },
        Point {
            dept: JIJIAN,
            id: "JJB-02",
            title: "工程变更签证审核不严",
            level: "岗位",
            post: Some("工程管理员"),
            category: "岗位职责风险",
            grade: 2,
            measures: &["工程变更须经监理、跟踪审计和基建办三方签字", "变更金额超过合同价百分之五报班子会议审定"],
            body: "表现形式：随意签认工程量变更和现场签证，抬高工程造价。",
        },
        Point {
            dept: JIJIAN,
            id: "JJB-03",
            title: "基建工程结算审计走过场",
            level: "科室",
            post: None,
            category: "制度机制风险",
            grade: 2,
            measures: &["工程结算一律委托第三方审计", "审计结果在院内公示"],
            body: "表现形式：结算审核不认真，多计工程量，重复计价。",
        },
        Point {
            dept: RENSHI,
            id: "RSK-01",
            title: "公开招聘中优亲厚友",
            level: "科室",
            post: None,
            category: "业务流程风险",
            grade: 2,
            measures: &["招聘信息在医院网站公开发布", "面试考官随机抽取并实行回避制度"],
            body: "表现形式：在人员招聘中因人设岗、降低条件，照顾亲友或特定关系人。",
        },
        Point {
            dept: RENSHI,
            id: "RSK-02",
            title: "职称评聘材料审核把关不严",
            level: "岗位",
            post: Some("人事专干"),
            category: "岗位职责风险",
            grade: 3,
            measures: &["申报材料公示不少于五个工作日"],
            body: "表现形式：对申报人员弄虚作假的论文、业绩材料审核不严。",
        },
        Point {
            dept: ZONGWU,
            id: "ZWK-01",
            title: "后勤物资采购化整为零",
            level: "科室",
            post: None,
            category: "业务流程风险",
            grade: 2,
            measures: &["年度物资采购计划集中编制", "零星采购实行三家比价"],
            body: "表现形式：将应当招标的物资采购拆分为多次小额采购，规避招标程序。",
        },
        Point {
            dept: YIWU,
            id: "YWK-01",
            title: "医疗纠纷处理中徇私舞弊",
            level: "科室",
            post: None,
            category: "思想道德风险",
            grade: 3,
            measures: &["医疗纠纷处理实行集体讨论", "赔偿金额超过五万元报院长办公会"],
            body: "表现形式：在医疗纠纷调解中偏袒一方，或收受当事人财物。",
        },
        Point {
            dept: UNIT,
            id: "DW-01",
            title: "“三重一大”事项未经集体决策",
            level: "单位",
            post: None,
            category: "制度机制风险",
            grade: 1,
            measures: &["重大事项决策、重要人事任免、重大项目安排和大额资金使用一律经班子会议集体研究", "会议纪要存档备查"],
            body: "表现形式：个人或少数人决定重大事项，以传阅会签代替集体讨论。",
        },
        Point {
            dept: UNIT,
            id: "DW-02",
            title: "医院内部审计监督缺位",
            level: "单位",
            post: None,
            category: "制度机制风险",
            grade: 2,
            measures: &["审计科每年制订审计计划并报班子会议审定", "审计发现问题限期整改并跟踪问效"],
            body: "表现形式：内部审计覆盖面窄，对药品和医用耗材采购、基建工程的审计不到位。",
        },
    ]
    .into_iter()
    .map(point)
    .collect()
}
