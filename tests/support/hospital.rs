//! The synthetic hospital: a complete gongshi site whose every risk point satisfies every rule
//! of SPEC section 5, deterministic for a seed. The one generator of the benchmark corpus:
//! `examples/synth.rs` writes it to a folder (the build benchmarks and `bench/compare_trees.sh`),
//! `tests/synth.rs` checks it is valid, and `synthetic.rs` beside this file gives the search
//! tests and benchmark the points it publishes.
//!
//! What comes out: `site.yaml`; `content/2022/_index.md` (phases, notice, a principal and five
//! deputies who between them oversee every department); 40 departments, each with `_index.md`
//! (head, liaison, key area; every fourth one a ```flow diagram whose steps mark its points,
//! and each with a key post a diagram marking one point of each key post);
//! N risk points over the three levels (岗位 with post and holder, 科室, 单位 in `unit/` with
//! 三重一大), graded consistently with likelihood and impact, owned and supervised as the
//! responsibility table says, with the lines of defence their grade needs, approved in order
//! before the notice starts, scoped 全院 / 科室 / 不公示 (单位 always 全院); and an
//! `oversight.yaml` that names only points, posts and departments that exist. About 1 % of the points still wait for an
//! approval (a `not-approved` warning, as in a real year); nothing is an error.
//!
//! Each point file is ~2 KB of UTF-8 like the pages of `../shared/bench/gen_corpus.py` (the
//! corpus Zola, Hugo and mdBook were timed on): paragraphs, a bullet list and a GFM table,
//! built from the same kind of phrase tables. The same seed and size give the same bytes, so
//! that benchmark figures taken at different times stay comparable: change what this file
//! generates only together with the figures. The word lists make this file longer than most;
//! it stays one file so that the example can include it with `#[path]`.

use std::fmt::Write as _;
use std::path::Path;

/// SplitMix64: tiny, fast and stable across platforms and Rust versions, so a seed always
/// gives the same hospital.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// True with probability `percent` / 100.
    pub fn percent(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// `k` distinct items in random order (all of them when `k >= len`).
    pub fn sample<'a, T>(&mut self, items: &'a [T], k: usize) -> Vec<&'a T> {
        let mut idx: Vec<usize> = (0..items.len()).collect();
        let k = k.min(idx.len());
        for i in 0..k {
            let j = i + self.below(idx.len() - i);
            idx.swap(i, j);
        }
        idx[..k].iter().map(|i| &items[*i]).collect()
    }
}

/// A department: folder slug, name, id prefix, key area, and its posts (岗位).
struct DeptSpec {
    slug: &'static str,
    name: &'static str,
    prefix: &'static str,
    key_area: Option<&'static str>,
    posts: &'static [&'static str],
    /// Relative share of the hospital's points: key areas find more.
    weight: usize,
}

macro_rules! depts {
    ($($slug:literal $name:literal $prefix:literal $area:expr, $weight:literal [$($post:literal),+];)+) => {
        &[$(DeptSpec { slug: $slug, name: $name, prefix: $prefix, key_area: $area, posts: &[$($post),+], weight: $weight }),+]
    };
}

#[rustfmt::skip]
const DEPARTMENTS: &[DeptSpec] = depts! {
    "dangban" "党委办公室" "DWB" None, 1 ["文秘", "档案管理员", "党务干事"];
    "yuanban" "院长办公室" "YZB" None, 1 ["文秘", "公务用车管理员", "接待专干"];
    "jiwei" "纪检监察室" "JJS" None, 1 ["纪检干事", "效能监察员"];
    "caiwu" "财务科" "CWK" Some("财务"), 3 ["出纳", "会计", "收费员", "预算管理员", "稽核员"];
    "shenji" "审计科" "SJK" Some("财务"), 2 ["内审员", "工程审计员"];
    "yaojike" "药剂科" "YJK" Some("药品及医疗器械采购"), 3 ["药品采购员", "门诊药房药师", "药库保管员", "临床药师"];
    "shebei" "设备科" "SBK" Some("药品及医疗器械采购"), 3 ["医疗器械采购员", "设备维修工程师", "耗材库管员"];
    "zongwu" "总务科" "ZWK" Some("总务"), 3 ["物资采购员", "食堂管理员", "维修班长", "库管员"];
    "renshi" "人事科" "RSK" Some("人事"), 3 ["招聘专干", "职称管理员", "薪酬专干", "人事档案员"];
    "jijian" "基建办" "JJB" Some("工程管理"), 3 ["工程现场代表", "预结算审核员", "工程资料员"];
    "yiwu" "医务科" "YWK" None, 2 ["医疗质量管理员", "医保管理专干", "病案管理员"];
    "huli" "护理部" "HLB" None, 1 ["护理质控员", "护理培训专干"];
    "menzhen" "门诊部" "MZB" None, 1 ["导诊护士", "预约挂号管理员"];
    "xinxi" "信息科" "XXK" Some("其他"), 2 ["系统管理员", "数据库管理员", "网络工程师"];
    "caigou" "采购中心" "CGZ" Some("药品及医疗器械采购"), 3 ["采购专员", "招标代理联络员", "合同管理员"];
    "yibao" "医保办" "YBB" None, 2 ["医保审核员", "物价员"];
    "kejiao" "科教科" "KJK" None, 1 ["科研管理员", "教学秘书", "进修管理员"];
    "zhikong" "质控科" "ZKK" None, 1 ["质控员", "病历质控员"];
    "houqin" "后勤保障科" "HQK" Some("总务"), 2 ["物业监管员", "车辆调度员", "能源管理员"];
    "baowei" "保卫科" "BWK" None, 1 ["安保主管", "消防管理员"];
    "jianyan" "检验科" "JYK" None, 1 ["检验技师", "试剂管理员"];
    "fangshe" "放射科" "FSK" None, 1 ["影像技师", "诊断医师"];
    "bingli" "病理科" "BLK" None, 1 ["病理医师", "病理技师"];
    "shuxue" "输血科" "SXK" None, 1 ["输血技师", "血液库管员"];
    "yingyang" "营养科" "YYK" None, 1 ["营养师", "膳食管理员"];
    "xinnei" "心内科" "XNK" None, 1 ["主治医师", "住院医师", "护士长", "介入耗材管理员"];
    "puwai" "普外科" "PWK" None, 1 ["主治医师", "住院医师", "护士长", "耗材管理员"];
    "guke" "骨科" "GKE" None, 1 ["主治医师", "住院医师", "护士长", "植入物管理员"];
    "fuchan" "妇产科" "FCK" None, 1 ["主治医师", "助产士", "护士长"];
    "erke" "儿科" "EKE" None, 1 ["主治医师", "住院医师", "护士长"];
    "jizhen" "急诊科" "JZK" None, 1 ["主治医师", "急诊护士", "护士长"];
    "mazui" "麻醉科" "MZK" None, 1 ["麻醉医师", "麻醉药品管理员"];
    "shoushu" "手术室" "SSS" None, 1 ["器械护士", "护士长", "耗材管理员"];
    "zhongzheng" "重症医学科" "ZZK" None, 1 ["主治医师", "护士长"];
    "kangfu" "康复医学科" "KFK" None, 1 ["康复治疗师", "护士长"];
    "yanke" "眼科" "YKE" None, 1 ["主治医师", "验光师"];
    "kouqiang" "口腔科" "KQK" None, 1 ["主治医师", "口腔技师"];
    "zhongyi" "中医科" "ZYK" None, 1 ["主治医师", "中药调剂员"];
    "tijian" "体检中心" "TJZ" None, 1 ["体检医师", "体检业务员"];
    "xuanchuan" "宣传科" "XCK" None, 1 ["宣传干事", "网站编辑"];
};

#[rustfmt::skip]
const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林",
    "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "袁", "潘", "于",
    "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆",
    "汪", "范", "金", "石", "廖", "贾", "夏", "韦", "付", "方", "白", "邹", "孟", "熊", "秦", "邱", "江", "尹", "薛",
    "闫", "段", "雷", "侯",
];
#[rustfmt::skip]
const GIVEN: &[&str] = &[
    "华", "明", "芳", "平", "红", "强", "军", "兰", "伟", "东", "萍", "斌", "娟", "岚", "宇", "玲", "琳", "燕", "杰",
    "静", "敏", "丽", "勇", "涛", "霞", "波", "辉", "刚", "健", "峰", "磊", "艳", "颖", "婷", "超", "鹏", "俊", "洁",
    "凯", "慧", "宁", "倩", "晨", "欣", "亮", "鑫", "洋", "蓉", "丹", "文", "雪", "梅", "莉", "飞", "浩", "帆", "瑶",
    "琴", "坤", "云", "松", "青", "荣", "彬",
];
#[rustfmt::skip]
const AREAS: &[&str] = &[
    "药品采购", "医用耗材遴选", "大型设备招标", "基建工程结算", "医保基金使用", "职称评聘", "人员招聘", "科研经费报销", "物资验收入库", "合同签订",
    "财务报销", "医疗收费", "处方开具", "检查检验申请", "临床试验管理", "进修人员管理", "后勤服务外包", "食堂原料采购", "信息系统建设", "捐赠资助管理",
    "院内制剂配制", "床位安排", "手术排程", "临床用血管理", "健康体检业务", "公务接待", "公务用车使用", "办公用品采购", "固定资产处置", "评优评先",
    "绩效考核分配", "医疗纠纷处理", "新技术准入", "维修工程发包", "试剂供应商管理",
];
#[rustfmt::skip]
const BEHAVIORS: &[&str] = &[
    "收受回扣", "虚报冒领", "暗箱操作", "利益输送", "违规指定供应商", "泄露标底信息", "设置排他性条款", "以权谋私", "弄虚作假", "超范围使用",
    "拆分采购规避招标", "收受红包", "接受宴请", "违规报销", "重复收费", "过度诊疗", "人情关系干预", "擅自变更合同", "验收把关不严", "信息泄露",
];
#[rustfmt::skip]
const ROLES: &[&str] = &[
    "科室主任", "分管院领导", "科室廉政监督员", "经办人", "采购专员", "护士长", "财务负责人", "项目负责人", "质控员", "药事管理委员会",
];
#[rustfmt::skip]
const SUPERVISION: &[&str] = &[
    "纪检监察室专项检查", "审计科定期审计", "院务公开公示", "信息系统实时监控", "第三方评估", "群众监督举报", "院周会通报", "廉政谈话提醒",
];
#[rustfmt::skip]
const DEADLINES: &[&str] = &[
    "长期坚持", "每月", "每季度", "每半年", "2022年6月底前", "2022年9月底前", "2022年12月底前", "即时办理",
];
#[rustfmt::skip]
const CHECKPOINTS: &[&str] = &[
    "需求论证", "立项审批", "招标采购", "合同签订", "验收入库", "付款结算", "档案归档", "使用评价", "定期复核", "结果公示",
];
#[rustfmt::skip]
const CAUSES: &[&str] = &[
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
#[rustfmt::skip]
const CONSEQUENCES: &[&str] = &[
    "该风险一旦发生，将直接影响医院公信力和群众就医获得感，并可能造成国有资产流失。", "根据风险发生的可能性和危害程度，本风险点评定为{grade}风险，纳入年度重点监督清单。",
    "本风险点由{dept}牵头落实防控责任，纪检监察室负责日常监督。", "各相关岗位应对照风险点逐项开展自查自纠，发现问题及时整改，并将整改情况报送纪检监察室备案。",
    "医院将结合巡察、审计和信访举报等渠道，对本风险点的防控情况进行动态评估和跟踪问效。", "对于防控措施落实不到位、问题整改不彻底的，将依规依纪追究相关人员责任。",
];
#[rustfmt::skip]
const FORMS: &[&str] = &[
    "在{area}中{behavior}，为特定对象提供便利；", "以“特事特办”为由简化{area}程序，关键环节不留痕；", "对{area}中发现的问题隐瞒不报、大事化小；",
    "利用掌握的{area}信息，与外部人员串通{behavior}；", "借{area}之机向服务对象索取或收受财物；", "对{area}结果不按规定公示，或公示内容与实际不符；",
];
#[rustfmt::skip]
const PREVENTION: &[&str] = &[
    "严格执行“三重一大”集体决策制度，{area}相关重大事项须经院长办公会集体研究", "落实分事行权、分岗设权、分级授权，经办、审核、审批相互分离",
    "重点岗位人员原则上每三至五年轮岗交流一次", "完善{area}内控制度和操作规程，明确各环节办理时限和责任人", "与供应商、服务商签订廉洁购销协议，明确违约责任和退出机制",
    "每年签订廉洁从业承诺书，开展岗前廉洁教育",
];
#[rustfmt::skip]
const MONITORING: &[&str] = &[
    "建立{area}全流程信息化管理，关键节点留痕可查", "每季度对{area}数据开展统计分析，对异常情况预警约谈", "纪检监察室不定期开展专项监督检查，结果纳入科室绩效考核",
    "{area}结果在院内网站公示不少于五个工作日", "审计科对{area}相关合同和资金支付情况开展年度专项审计",
];
#[rustfmt::skip]
const DISPOSAL: &[&str] = &[
    "对反映{behavior}问题的线索做到件件有核查、事事有回音", "发现违规立即停岗核查，涉嫌违法犯罪的移送有关机关", "对失察失管的科室负责人实行责任追究",
    "对整改不到位的，依规依纪追究相关人员责任并通报",
];
#[rustfmt::skip]
const SANZHONG: &[&str] = &[
    "重大事项决策", "重要人事任免", "重大项目安排", "大额资金使用",
];
#[rustfmt::skip]
const CATEGORIES: &[&str] = &[
    "岗位职责风险", "业务流程风险", "制度机制风险", "外部环境风险",
];
const ETHICS: &str = "思想道德风险";

/// The year's calendar (the plan's phases), shared by the year file and the review dates.
const YEAR: u16 = 2022;
const IMPLEMENTATION_START: (u8, u8) = (5, 21);
const NOTICE_START: (u8, u8) = (7, 6);

/// Hands out distinct names ("王某华"), shuffled for the seed; past the one-character given
/// names it goes on with two-character ones, so any size of hospital has unique people.
struct Names {
    order: Vec<(usize, usize)>,
    next: usize,
}

impl Names {
    fn new(rng: &mut Rng) -> Names {
        let mut order: Vec<(usize, usize)> = (0..SURNAMES.len())
            .flat_map(|s| (0..GIVEN.len()).map(move |g| (s, g)))
            .collect();
        for i in (1..order.len()).rev() {
            order.swap(i, rng.below(i + 1));
        }
        Names { order, next: 0 }
    }

    fn take(&mut self) -> String {
        let k = self.next;
        self.next += 1;
        let (s, g) = self.order[k % self.order.len()];
        match k / self.order.len() {
            0 => format!("{}某{}", SURNAMES[s], GIVEN[g]),
            round => format!(
                "{}某{}{}",
                SURNAMES[s],
                GIVEN[g],
                GIVEN[(round - 1) % GIVEN.len()]
            ),
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Level {
    Post,
    Dept,
    Unit,
}

/// A department as generated: its people and how many points of each level it will get.
struct Dept {
    spec: &'static DeptSpec,
    head: String,
    liaison: String,
    deputy: String,
    /// Holders and their posts.
    staff: Vec<(String, &'static str)>,
}

/// One generated point, kept for cross-references (flows, oversight).
struct PointMeta {
    id: String,
    dept: Option<usize>,
    level: Level,
    grade: u8,
    post: Option<&'static str>,
    visible: bool,
}

fn fill(template: &str, area: &str, behavior: &str, dept: &str, grade: &str) -> String {
    template
        .replace("{area}", area)
        .replace("{behavior}", behavior)
        .replace("{dept}", dept)
        .replace("{grade}", grade)
}

/// A YAML scalar: plain when safe, else double-quoted.
fn yaml_str(s: &str) -> String {
    let special = s.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@`".contains(c) || c == ' ')
        || s.contains(": ")
        || s.contains(" #")
        || s.ends_with(' ');
    if special {
        format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
    } else {
        s.to_string()
    }
}

/// `2022-05-21` plus `days`, as ISO text (within one year, no leap-day subtleties: 2022).
fn date_after(start: (u8, u8), days: usize) -> String {
    const MONTH_DAYS: [usize; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let (mut month, mut day) = (usize::from(start.0), usize::from(start.1) + days);
    while day > MONTH_DAYS[month - 1] {
        day -= MONTH_DAYS[month - 1];
        month += 1;
    }
    format!("{YEAR}-{month:02}-{day:02}")
}

/// Likelihood and impact whose more severe grade is `grade` (plan 六.(二).4).
fn factors(rng: &mut Rng, grade: u8) -> (&'static str, &'static str) {
    match grade {
        1 => *rng.pick(&[
            ("高", "严重"),
            ("高", "较重"),
            ("高", "一般"),
            ("较高", "严重"),
            ("较小", "严重"),
        ]),
        2 => *rng.pick(&[("较高", "较重"), ("较高", "一般"), ("较小", "较重")]),
        _ => ("较小", "一般"),
    }
}

/// The whole site as (path relative to the site root, text), in a stable order.
pub fn generate(points: usize, seed: u64) -> Vec<(String, String)> {
    let mut rng = Rng::new(seed);
    let mut names = Names::new(&mut rng);
    let principal = names.take();
    let deputies: Vec<String> = (0..5).map(|_| names.take()).collect();
    let ydir = format!("content/{YEAR}");

    // Where each point goes: 5 % hospital level, the rest over departments by weight, then
    // 60 % of those are post points.
    let total_weight: usize = DEPARTMENTS.iter().map(|d| d.weight).sum();
    let mut placement: Vec<(Level, Option<usize>)> = Vec::with_capacity(points);
    let mut post_count = vec![0usize; DEPARTMENTS.len()];
    for i in 0..points {
        if i % 20 == 7 {
            placement.push((Level::Unit, None));
            continue;
        }
        let mut w = rng.below(total_weight);
        let d = DEPARTMENTS
            .iter()
            .position(|d| {
                if w < d.weight {
                    true
                } else {
                    w -= d.weight;
                    false
                }
            })
            .unwrap_or(0);
        let level = if rng.percent(60) {
            post_count[d] += 1;
            Level::Post
        } else {
            Level::Dept
        };
        placement.push((level, Some(d)));
    }

    let depts: Vec<Dept> = DEPARTMENTS
        .iter()
        .enumerate()
        .map(|(i, spec)| {
            let head = names.take();
            let liaison = names.take();
            // About two and a half post points per person: people hold several risks.
            let staff = (0..post_count[i].div_ceil(5).max(1) * 2)
                .map(|j| (names.take(), spec.posts[j % spec.posts.len()]))
                .collect();
            Dept {
                spec,
                head,
                liaison,
                deputy: deputies[i % deputies.len()].clone(),
                staff,
            }
        })
        .collect();

    let mut files: Vec<(String, String)> = Vec::with_capacity(points + DEPARTMENTS.len() + 3);
    let mut metas: Vec<PointMeta> = Vec::with_capacity(points);
    let mut seq = vec![0usize; DEPARTMENTS.len()];
    let mut unit_seq = 0usize;
    for (level, dept) in placement {
        let id = match dept {
            Some(d) => {
                seq[d] += 1;
                format!("{}-{:04}", DEPARTMENTS[d].prefix, seq[d])
            }
            None => {
                unit_seq += 1;
                format!("DW-{unit_seq:04}")
            }
        };
        let (text, meta) = point(
            &mut rng,
            id,
            level,
            dept.map(|d| (d, &depts[d])),
            &deputies,
            &depts,
            &principal,
        );
        let folder = dept.map_or("unit", |d| DEPARTMENTS[d].slug);
        files.push((
            format!("{ydir}/{folder}/{}.md", meta.id.to_lowercase()),
            text,
        ));
        metas.push(meta);
    }

    for (i, d) in depts.iter().enumerate() {
        files.push((
            format!("{ydir}/{}/_index.md", d.spec.slug),
            dept_index(&mut rng, i, d, &metas),
        ));
    }
    files.push((
        format!("{ydir}/_index.md"),
        year_index(&principal, &deputies, &depts, &mut names),
    ));
    files.push((
        format!("{ydir}/oversight.yaml"),
        oversight(&mut rng, &metas, &depts),
    ));
    files.push((
        "site.yaml".to_string(),
        format!(
            "# 合成医院（gongshi 基准测试用，examples/synth.rs 生成，种子 {seed}，{points} 个风险点）\nname: 某市第一人民医院\nbase_path: /lianneng/\ncurrent_year: {YEAR}\n"
        ),
    ));
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

fn point(
    rng: &mut Rng,
    id: String,
    level: Level,
    dept: Option<(usize, &Dept)>,
    deputies: &[String],
    depts: &[Dept],
    principal: &str,
) -> (String, PointMeta) {
    let grade: u8 = match rng.below(100) {
        0..15 => 1,
        15..50 => 2,
        _ => 3,
    };
    let grade_term = ["一级", "二级", "三级"][usize::from(grade) - 1];
    let (likelihood, impact) = factors(rng, grade);
    let area = *rng.pick(AREAS);
    let behavior = *rng.pick(BEHAVIORS);
    let dept_name = dept.map_or("医院", |(_, d)| d.spec.name);
    let holder = match (level, dept) {
        (Level::Post, Some((_, d))) => Some(rng.pick(&d.staff).clone()),
        _ => None,
    };
    let category = if level == Level::Post && rng.percent(8) {
        ETHICS
    } else {
        *rng.pick(CATEGORIES)
    };
    let any_head = |rng: &mut Rng| rng.pick(depts).head.clone();
    let (owner, supervisor) = match (grade, dept) {
        (1, Some((_, d))) => (d.deputy.clone(), principal.to_string()),
        (1, None) => (rng.pick(deputies).clone(), principal.to_string()),
        (2, Some((_, d))) => (d.head.clone(), d.deputy.clone()),
        (2, None) => {
            let owner = if rng.percent(50) {
                any_head(rng)
            } else {
                rng.pick(deputies).clone()
            };
            let supervisor = if rng.percent(80) {
                rng.pick(deputies).clone()
            } else {
                principal.to_string()
            };
            (owner, supervisor)
        }
        (_, Some((_, d))) => {
            let owner = match &holder {
                Some((name, _)) => name.clone(),
                None => d.liaison.clone(),
            };
            (owner, d.head.clone())
        }
        (_, None) => (any_head(rng), any_head(rng)),
    };

    let title = format!("{area}环节{behavior}风险");
    let mut fm = String::with_capacity(900);
    let _ = writeln!(fm, "---\nid: {id}\ntitle: {title}");
    let _ = writeln!(
        fm,
        "level: {}",
        match level {
            Level::Post => "岗位",
            Level::Dept => "科室",
            Level::Unit => "单位",
        }
    );
    if let Some((name, post)) = &holder {
        let _ = writeln!(fm, "post: {post}\nholder: {name}");
    }
    let _ = writeln!(
        fm,
        "category: {category}\nlikelihood: {likelihood}\nimpact: {impact}"
    );
    if rng.percent(90) {
        let _ = writeln!(fm, "grade: {grade_term}");
    }
    let _ = writeln!(fm, "owner: {owner}\nsupervisor: {supervisor}");
    if level == Level::Unit && rng.percent(80) {
        let _ = writeln!(fm, "sanzhong_yida: {}", rng.pick(SANZHONG));
    }
    fm.push_str("measures:\n");
    let lines: [(&str, &[&str], usize); 3] = [
        ("前期预防", PREVENTION, 2 + rng.below(2)),
        (
            "中期监控",
            MONITORING,
            if grade <= 2 || rng.percent(40) {
                1 + rng.below(2)
            } else {
                0
            },
        ),
        (
            "后期处置",
            DISPOSAL,
            if grade == 1 || rng.percent(30) {
                1 + rng.below(2)
            } else {
                0
            },
        ),
    ];
    for (name, templates, count) in lines {
        if count == 0 {
            continue;
        }
        let _ = writeln!(fm, "  {name}:");
        for t in rng.sample(templates, count) {
            let _ = writeln!(
                fm,
                "    - {}",
                yaml_str(&fill(t, area, behavior, dept_name, grade_term))
            );
        }
    }

    // Scope: hospital points are for everyone (plan 六.(二).3: 在全院范围内进行公示; `scope:
    // 不公示` on one is a `level-field` error); department and post points are mostly shown
    // hospital-wide, some only in their department, a few never (不公示).
    let roll = rng.below(100);
    let scope = match level {
        Level::Unit if roll < 50 => Some("全院"),
        Level::Unit => None,
        Level::Dept if roll < 5 => Some("不公示"),
        Level::Dept if roll < 20 => Some("科室"),
        Level::Dept if roll < 60 => Some("全院"),
        Level::Dept => None,
        Level::Post if roll < 5 => Some("不公示"),
        Level::Post if roll < 20 => None,
        Level::Post if roll < 30 => Some("科室"),
        Level::Post => Some("全院"),
    };
    if let Some(scope) = scope {
        let _ = writeln!(fm, "scope: {scope}");
    }
    // SPEC section 2's default_scope: 单位 and 科室 → 全院, 岗位 → 科室.
    let effective_scope = scope.unwrap_or(if level == Level::Post {
        "科室"
    } else {
        "全院"
    });

    // Approvals in order, all before the notice starts; about 1 % still waiting.
    let pending = rng.percent(1);
    let submitted = rng.below(31);
    let dept_day = submitted + 1 + rng.below(5);
    let office_day = dept_day + 1 + rng.below(5);
    let board_day = office_day + rng.below(5);
    fm.push_str("review:\n");
    let _ = writeln!(
        fm,
        "  submitted: {}",
        date_after(IMPLEMENTATION_START, submitted)
    );
    match level {
        Level::Post if !pending => {
            let _ = writeln!(fm, "  dept: {}", date_after(IMPLEMENTATION_START, dept_day));
        }
        Level::Dept => {
            let _ = writeln!(fm, "  dept: {}", date_after(IMPLEMENTATION_START, dept_day));
            if !pending {
                let _ = writeln!(
                    fm,
                    "  office: {}",
                    date_after(IMPLEMENTATION_START, office_day)
                );
            }
        }
        Level::Unit => {
            let _ = writeln!(
                fm,
                "  office: {}",
                date_after(IMPLEMENTATION_START, office_day)
            );
            if !pending {
                let _ = writeln!(
                    fm,
                    "  board: {}",
                    date_after(IMPLEMENTATION_START, board_day)
                );
            }
        }
        Level::Post => {}
    }
    fm.push_str("---\n");
    debug_assert!(
        board_day <= 44,
        "the board meets before the notice ({NOTICE_START:?})"
    );

    let body = point_body(rng, area, behavior, dept_name, grade_term);
    let meta = PointMeta {
        id,
        dept: dept.map(|(i, _)| i),
        level,
        grade,
        post: holder.as_ref().map(|(_, p)| *p),
        visible: !pending && effective_scope == "全院",
    };
    (fm + &body, meta)
}

fn point_body(rng: &mut Rng, area: &str, behavior: &str, dept: &str, grade: &str) -> String {
    let f = |t: &str| fill(t, area, behavior, dept, grade);
    let mut s = String::with_capacity(1600);
    s.push_str("## 表现形式\n\n");
    for t in rng.sample(FORMS, 3) {
        let _ = writeln!(s, "- {}", f(t));
    }
    s.push_str("\n## 风险成因\n\n");
    for t in rng.sample(CAUSES, 4) {
        s.push_str(&f(t));
    }
    s.push_str("\n\n");
    for t in rng.sample(CONSEQUENCES, 2) {
        s.push_str(&f(t));
    }
    s.push_str("\n\n## 防控节点\n\n| 防控环节 | 责任人 | 监督方式 | 完成时限 |\n| --- | --- | --- | --- |\n");
    let mut steps = rng.sample(CHECKPOINTS, 3);
    steps.sort_by_key(|c| CHECKPOINTS.iter().position(|x| x == *c));
    for cp in steps {
        let _ = writeln!(
            s,
            "| {cp} | {} | {} | {} |",
            rng.pick(ROLES),
            rng.pick(SUPERVISION),
            rng.pick(DEADLINES)
        );
    }
    s
}

fn dept_index(rng: &mut Rng, i: usize, d: &Dept, metas: &[PointMeta]) -> String {
    let mut s = String::with_capacity(1500);
    let _ = writeln!(
        s,
        "---\nname: {}\nhead: {}\nliaison: {}",
        d.spec.name, d.head, d.liaison
    );
    if let Some(area) = d.spec.key_area {
        let _ = writeln!(s, "key_area: {area}");
    }
    let area = *rng.pick(AREAS);
    let _ = write!(
        s,
        "---\n{name}负责本科室职责范围内的{area}等工作，共设{posts}等岗位。\n\n本科室按照实施方案要求，\
         从岗位、科室两个层次查找风险点，逐一制订前期预防、中期监控和后期处置措施，经科室集体审定后报领导小组办公室。\n",
        name = d.spec.name,
        posts = d.spec.posts.join("、"),
    );
    // Every fourth department draws its main workflow, marking three of its published points.
    let marked: Vec<&PointMeta> = metas
        .iter()
        .filter(|m| m.dept == Some(i) && m.visible)
        .take(3)
        .collect();
    if i.is_multiple_of(4) && marked.len() == 3 {
        let _ = write!(
            s,
            "\n## {area}流程\n\n```flow\nflowchart TD\n  %% {area}的权力运行流程\n  A[经办人提出申请] --> B[科室负责人审核 @{}]\n  B --> C{{是否符合规定}}\n  C -->|否| D[退回修改]\n  D --> A\n  C -->|是| E[分管领导审批 @{}]\n  E --> F[办理并归档 @{}]\n```\n",
            marked[0].id, marked[1].id, marked[2].id
        );
    }
    // Every key post (a post with a 一级 point, SPEC section 6) has its 工作流程 drawn, its
    // first point marked on its step (`key-post-flow`, plan 七.(三)). No random draw here, so
    // everything else the seed gives stays as it was.
    let mut key_posts: Vec<(&str, &str)> = Vec::new();
    for m in metas.iter().filter(|m| m.dept == Some(i) && m.grade == 1) {
        if let Some(post) = m.post
            && !key_posts.iter().any(|(p, _)| *p == post)
        {
            key_posts.push((post, &m.id));
        }
    }
    if !key_posts.is_empty() {
        s.push_str("\n## 重点岗位工作流程\n\n```flow\nflowchart TD\n");
        for (k, (post, id)) in key_posts.iter().enumerate() {
            let _ = writeln!(s, "  P{k}[{post}办理 @{id}] --> R{k}[复核归档]");
        }
        s.push_str("```\n");
    }
    s
}

fn year_index(principal: &str, deputies: &[String], depts: &[Dept], names: &mut Names) -> String {
    let mut s = String::with_capacity(4000);
    let _ = write!(
        s,
        "---\ntitle: {YEAR}年度风险岗位廉能管理工作公示\nbasis: 某市卫 {YEAR}[23]号\nnotice:\n  start: {}\n  end: {YEAR}-07-12\n  contact: 院纪检办 0000-0000000\nphases:\n  - {{name: 动员部署, start: {YEAR}-05-10, end: {YEAR}-05-20}}\n  - {{name: 组织实施, start: {}, end: {YEAR}-06-25}}\n  - {{name: 制订防控措施, start: {YEAR}-06-26, end: {YEAR}-07-05}}\n  - {{name: 强化评估考核, start: {YEAR}-07-06, end: {YEAR}-07-15}}\nleaders:\n  principal: {principal}\n  deputies:\n",
        date_after(NOTICE_START, 0),
        date_after(IMPLEMENTATION_START, 0),
    );
    for (k, deputy) in deputies.iter().enumerate() {
        let oversees: Vec<&str> = depts
            .iter()
            .filter(|d| d.deputy == *deputy)
            .map(|d| d.spec.slug)
            .collect();
        debug_assert!(!oversees.is_empty(), "deputy {k} oversees nothing");
        let _ = writeln!(
            s,
            "    - {{name: {deputy}, oversees: [{}]}}",
            oversees.join(", ")
        );
    }
    let members: Vec<&str> = depts.iter().take(12).map(|d| d.head.as_str()).collect();
    let director = members[2];
    let staff = [names.take(), names.take()];
    let _ = write!(
        s,
        "group:\n  members: [{}]\n  office_director: {director}\n  office_staff: [{}]\n---\n",
        members.join(", "),
        staff.join(", ")
    );
    s.push_str(
        "根据上级卫生健康部门开展风险岗位廉能管理工作的实施方案要求，结合我院实际，医院在全院开展风险岗位廉能管理工作。\
         现将经科室集体审定、领导小组办公室审核和医院班子会议审定的风险点及防控措施予以公示，接受全院干部职工监督。\n\n\
         ## 三个层次、三级风险、三道防线\n\n\
         - **三个层次**：从岗位、科室、单位三个层次查找风险；单位层面重点查找“三重一大”方面的风险。\n\
         - **三级风险**：按发生机率和危害程度划分为一级（红）、二级（橙）、三级（黄）。\n\
         - **三道防线**：通过前期预防、中期监控和后期处置三道防线实施有效控制。\n\n\
         ## 公示期间意见反馈\n\n\
         干部职工对公示的风险点、风险等级和防控措施有意见或建议的，可在公示期内向院纪检办反映，\
         或通过本科室联络员汇总后报领导小组办公室。\n",
    );
    s
}

fn oversight(rng: &mut Rng, metas: &[PointMeta], depts: &[Dept]) -> String {
    let mut s = String::from("# 黄牌警告依据：只记次数、分数和日期\nreports:\n");
    let key: Vec<&PointMeta> = metas
        .iter()
        .filter(|m| m.level == Level::Post && m.grade == 1)
        .collect();
    for m in rng.sample(&key, 6) {
        let _ = writeln!(s, "  - {{risk: {}, verified: {}}}", m.id, 1 + rng.below(2));
    }
    s.push_str("evaluation:\n");
    let mut posts: Vec<(usize, &str)> = key
        .iter()
        .filter_map(|m| Some((m.dept?, m.post?)))
        .collect();
    posts.sort_unstable();
    posts.dedup();
    for (d, post) in rng.sample(&posts, 12) {
        let _ = writeln!(
            s,
            "  - {{dept: {}, post: {post}, score: {}.5}}",
            depts[*d].spec.slug,
            70 + rng.below(25)
        );
    }
    s.push_str("cases:\n");
    for d in rng.sample(depts, 2) {
        let _ = writeln!(
            s,
            "  - {{dept: {}, date: {}}}",
            d.spec.slug,
            date_after((8, 1), rng.below(60))
        );
    }
    s
}

/// How many departments every synthetic hospital has.
pub fn department_count() -> usize {
    DEPARTMENTS.len()
}

/// Writes the files under `out`, which must not exist or be a previous synth output.
pub fn write(out: &Path, files: &[(String, String)]) -> std::io::Result<()> {
    let marker = out.join(".synth");
    if out.exists() {
        let empty = out.read_dir()?.next().is_none();
        if !empty && !marker.is_file() {
            return Err(std::io::Error::other(format!(
                "{} exists and was not made by synth: refusing to replace it",
                out.display()
            )));
        }
        if !empty {
            std::fs::remove_dir_all(out)?;
        }
    }
    std::fs::create_dir_all(out)?;
    std::fs::write(
        &marker,
        "made by examples/synth.rs; replaced by the next run\n",
    )?;
    for (rel, text) in files {
        let path = out.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, text)?;
    }
    Ok(())
}
