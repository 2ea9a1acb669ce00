//! Synthetic risk points for benchmarks: the same vocabulary and page shape as
//! /work/shared/bench/gen_corpus.py (about 2 KB of UTF-8 Chinese per point: two paragraphs,
//! five measures, a table of checkpoints), deterministic for a given seed.

#![allow(dead_code, reason = "used by the benchmark, not by every test")]

use gongshi::search::SearchDoc;

const DEPARTMENTS: [&str; 40] = [
    "党委办公室",
    "院长办公室",
    "纪检监察室",
    "财务科",
    "审计科",
    "药剂科",
    "设备科",
    "总务科",
    "人事科",
    "基建办",
    "医务科",
    "护理部",
    "门诊部",
    "信息科",
    "采购中心",
    "医保办",
    "科教科",
    "质控科",
    "后勤保障科",
    "保卫科",
    "检验科",
    "放射科",
    "病理科",
    "输血科",
    "营养科",
    "心内科",
    "普外科",
    "骨科",
    "妇产科",
    "儿科",
    "急诊科",
    "麻醉科",
    "手术室",
    "重症医学科",
    "康复医学科",
    "眼科",
    "口腔科",
    "中医科",
    "体检中心",
    "宣传科",
];
const GRADES: [u8; 3] = [1, 2, 3];
const LEVELS: [&str; 3] = ["岗位", "科室", "单位"];
const CATEGORIES: [&str; 4] = [
    "岗位职责风险",
    "业务流程风险",
    "制度机制风险",
    "外部环境风险",
];
const POSTS: [&str; 8] = [
    "出纳",
    "会计",
    "采购员",
    "验收员",
    "药库管理员",
    "工程管理员",
    "人事专干",
    "收费员",
];
const AREAS: [&str; 35] = [
    "药品采购",
    "医用耗材遴选",
    "大型设备招标",
    "基建工程结算",
    "医保基金使用",
    "职称评聘",
    "人员招聘",
    "科研经费报销",
    "物资验收入库",
    "合同签订",
    "财务报销",
    "医疗收费",
    "处方开具",
    "检查检验申请",
    "临床试验管理",
    "进修人员管理",
    "后勤服务外包",
    "食堂原料采购",
    "信息系统建设",
    "捐赠资助管理",
    "院内制剂配制",
    "床位安排",
    "手术排程",
    "临床用血管理",
    "健康体检业务",
    "公务接待",
    "公务用车使用",
    "办公用品采购",
    "固定资产处置",
    "评优评先",
    "绩效考核分配",
    "医疗纠纷处理",
    "新技术准入",
    "维修工程发包",
    "试剂供应商管理",
];
const BEHAVIORS: [&str; 20] = [
    "收受回扣",
    "虚报冒领",
    "暗箱操作",
    "利益输送",
    "违规指定供应商",
    "泄露标底信息",
    "设置排他性条款",
    "以权谋私",
    "弄虚作假",
    "超范围使用",
    "拆分采购规避招标",
    "收受红包",
    "接受宴请",
    "违规报销",
    "重复收费",
    "过度诊疗",
    "人情关系干预",
    "擅自变更合同",
    "验收把关不严",
    "信息泄露",
];
const ROLES: [&str; 10] = [
    "科室主任",
    "分管院领导",
    "科室廉政监督员",
    "经办人",
    "采购专员",
    "护士长",
    "财务负责人",
    "项目负责人",
    "质控员",
    "药事管理委员会",
];
const SUPERVISION: [&str; 8] = [
    "纪检监察室专项检查",
    "审计科定期审计",
    "院务公开公示",
    "信息系统实时监控",
    "第三方评估",
    "群众监督举报",
    "院周会通报",
    "廉政谈话提醒",
];
const DEADLINES: [&str; 8] = [
    "长期坚持",
    "每月",
    "每季度",
    "每半年",
    "2022年6月底前",
    "2022年9月底前",
    "2022年12月底前",
    "即时办理",
];
const CHECKPOINTS: [&str; 10] = [
    "需求论证",
    "立项审批",
    "招标采购",
    "合同签订",
    "验收入库",
    "付款结算",
    "档案归档",
    "使用评价",
    "定期复核",
    "结果公示",
];
const PARA1: [&str; 10] = [
    "在{area}工作中，{dept}相关岗位人员直接掌握审批、经办或审核权限，若权力运行缺乏有效制约，容易出现{behavior}等问题。",
    "经排查，{area}环节存在信息不对称、流程节点多、自由裁量空间较大的情况，个别人员可能借机{behavior}，损害医院和患者利益。",
    "部分经办人员廉洁自律意识不强，对{area}相关法律法规和院内制度学习不深入，遇到利益诱惑时把关不严。",
    "{area}涉及资金量大、专业性强，外部供应商、服务商和中介机构可能通过请托、送礼等方式进行围猎。",
    "现行制度对{area}的操作细则规定不够具体，部分环节仍依赖个人经验判断，监督检查难以做到全覆盖。",
    "如对{area}环节的关键数据缺乏留痕管理，事后追溯困难，容易为{behavior}留下可乘之机。",
    "近年来，上级通报的典型案例显示，{area}领域是医疗卫生行业腐败问题易发多发的重点部位。",
    "{dept}在日常工作中承担{area}的组织实施职责，岗位相对固定、轮岗交流不足，存在廉洁风险积累的隐患。",
    "若科室负责人对本部门{area}事项“一言堂”，集体决策流于形式，则可能出现违规决策和{behavior}。",
    "个别人员利用职务便利，在{area}过程中为亲友或特定关系人谋取利益，违反了医疗卫生行业“九不准”要求。",
];
const PARA2: [&str; 7] = [
    "该风险一旦发生，将直接影响医院公信力和群众就医获得感，并可能造成国有资产流失。",
    "根据风险发生的可能性和危害程度，经院党委研究，将本风险点评定为{grade}风险，纳入年度重点监督清单。",
    "本风险点属于{category}，由{dept}牵头落实防控责任，纪检监察室负责日常监督。",
    "各相关岗位应对照风险点逐项开展自查自纠，发现问题及时整改，并将整改情况报送纪检监察室备案。",
    "医院将结合巡察、审计和信访举报等渠道，对本风险点的防控情况进行动态评估和跟踪问效。",
    "对于防控措施落实不到位、问题整改不彻底的，将依规依纪追究相关人员责任。",
    "请广大职工和患者对本风险点的防控工作进行监督，如发现违纪违法线索，可通过医院公开的举报电话和信箱反映。",
];
const MEASURES: [&str; 14] = [
    "严格执行“三重一大”集体决策制度，{area}相关重大事项须经院长办公会集体研究。",
    "建立{area}全流程信息化管理，关键节点留痕可查，杜绝线下操作。",
    "实行关键岗位定期轮岗制度，{dept}重点岗位人员原则上每三至五年交流一次。",
    "落实分事行权、分岗设权、分级授权，实现经办、审核、审批相互分离。",
    "定期开展廉洁从业教育和警示教育，组织{dept}人员学习典型案例。",
    "与供应商、服务商签订廉洁购销协议，明确违约责任和退出机制。",
    "每季度对{area}数据开展统计分析，对异常情况及时预警约谈。",
    "推行阳光采购和院务公开，{area}结果在院内网站公示不少于五个工作日。",
    "纪检监察室不定期开展专项监督检查，检查结果纳入科室绩效考核。",
    "畅通投诉举报渠道，对反映{behavior}问题的线索做到件件有核查、事事有回音。",
    "严格执行回避制度，与{area}事项存在利害关系的人员不得参与评审或决策。",
    "完善{area}内控制度和操作规程，明确各环节办理时限和责任人。",
    "建立廉政档案，{dept}工作人员每年签订廉洁从业承诺书。",
    "审计科对{area}相关合同和资金支付情况开展年度专项审计。",
];

/// A small deterministic generator (xorshift64*), so that benchmarks need no extra crate.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 33) as usize % n.max(1)
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    /// `k` distinct positions of `0..n`, in the order drawn.
    fn sample(&mut self, n: usize, k: usize) -> Vec<usize> {
        let mut all: Vec<usize> = (0..n).collect();
        for i in 0..k.min(n) {
            let j = i + self.below(n - i);
            all.swap(i, j);
        }
        all.truncate(k.min(n));
        all
    }
}

/// `count` synthetic points, the same for the same seed.
pub fn synthetic_docs(count: usize, seed: u64) -> Vec<SearchDoc> {
    let mut rng = Rng(seed | 1);
    (1..=count).map(|n| synthetic_doc(&mut rng, n)).collect()
}

fn synthetic_doc(rng: &mut Rng, n: usize) -> SearchDoc {
    let area = rng.pick(&AREAS);
    let behavior = rng.pick(&BEHAVIORS);
    let dept_no = rng.below(DEPARTMENTS.len());
    let dept = DEPARTMENTS[dept_no];
    let grade = rng.pick(&GRADES);
    let grade_name = ["一级", "二级", "三级"][usize::from(grade - 1)];
    let category = rng.pick(&CATEGORIES);
    let level = rng.pick(&LEVELS);
    let fill = |template: &str| {
        template
            .replace("{area}", area)
            .replace("{behavior}", behavior)
            .replace("{dept}", dept)
            .replace("{grade}", grade_name)
            .replace("{category}", category)
    };
    let p1: String = rng
        .sample(PARA1.len(), 5)
        .into_iter()
        .map(|i| fill(PARA1[i]))
        .collect();
    let p2: String = rng
        .sample(PARA2.len(), 3)
        .into_iter()
        .map(|i| fill(PARA2[i]))
        .collect();
    let measures: Vec<String> = rng
        .sample(MEASURES.len(), 5)
        .into_iter()
        .map(|i| fill(MEASURES[i]))
        .collect();
    let mut checkpoints = rng.sample(CHECKPOINTS.len(), 3);
    checkpoints.sort_unstable();
    let rows: Vec<String> = checkpoints
        .into_iter()
        .map(|c| {
            let (role, how, when) = (
                rng.pick(&ROLES),
                rng.pick(&SUPERVISION),
                rng.pick(&DEADLINES),
            );
            format!("{} {role} {how} {when}", CHECKPOINTS[c])
        })
        .collect();
    let (dept_slug, dept_name) = if level == "单位" {
        (String::new(), "医院（单位）".to_string())
    } else {
        (format!("d{dept_no:02}"), dept.to_string())
    };
    let folder = if dept_slug.is_empty() {
        "unit".to_string()
    } else {
        dept_slug.clone()
    };
    let id = format!("FX-{n:05}");
    SearchDoc {
        url: format!("{folder}/{id}.html"),
        id,
        title: format!("{area}环节{behavior}风险"),
        dept_slug,
        dept_name,
        level: level.to_string(),
        post: (level == "岗位").then(|| rng.pick(&POSTS).to_string()),
        category: category.to_string(),
        grade,
        owner: "某某".to_string(),
        supervisor: "某某某".to_string(),
        measures,
        body_text: format!(
            "风险点描述\n{p1}\n{p2}\n防控节点\n防控环节 责任人 监督方式 完成时限\n{}",
            rows.join("\n")
        ),
    }
}

/// The bytes of text a document puts in the index: what the index size is measured against.
pub fn text_bytes(doc: &SearchDoc) -> usize {
    [
        &doc.title,
        &doc.id,
        &doc.dept_slug,
        &doc.dept_name,
        &doc.level,
        &doc.category,
        &doc.owner,
        &doc.supervisor,
        &doc.body_text,
    ]
    .iter()
    .map(|s| s.len())
    .sum::<usize>()
        + doc.post.as_ref().map_or(0, String::len)
        + doc.measures.iter().map(String::len).sum::<usize>()
}
