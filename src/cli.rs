//! Command-line definitions (clap). Each command has its own options struct.

use std::net::IpAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::audience::Audience;
use crate::locate::Here;
use crate::model::{Level, Term};

pub(crate) mod color;
mod errors_zh;
mod help_zh;

pub(crate) use errors_zh::ChineseErrors;
use help_zh::Reader;

#[derive(Debug, Parser)]
#[command(
    name = "gongshi",
    // The package version and the commit it was built from (build.rs).
    version = env!("GONGSHI_VERSION"),
    about = "公示：把医院风险岗位廉能管理的风险点生成内网公示网站",
    long_about = "gongshi（公示）读取 content/ 中各科室提交的风险点文件，按实施方案的分级规则检查，\n并生成只含可公示内容的静态网站。"
)]
pub struct Cli {
    /// 站点根目录（含 site.yaml 与 content/）；不写则从当前目录向上查找含 site.yaml 的目录
    #[arg(long = "root", global = true, value_name = "DIR")]
    pub(crate) root_arg: Option<PathBuf>,
    /// The site's root: `--root`, else the folder found by looking upwards (`Cli::locate`).
    #[arg(skip)]
    pub(crate) root: PathBuf,
    /// Where in the site the command was run, when the root was found by looking upwards.
    #[arg(skip)]
    pub(crate) here: Here,
    /// 安静：只输出错误
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// 详细：输出更多信息（如黄牌警告汇总）
    #[arg(short, long, global = true)]
    pub verbose: bool,
    /// 何时使用颜色：auto 在终端上使用（设置了环境变量 NO_COLOR 时不用），always 总是，never 从不
    #[arg(
        long,
        global = true,
        value_enum,
        value_name = "WHEN",
        default_value = "auto"
    )]
    pub(crate) color: ColorWhen,
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// When to colour the terminal output (`--color`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ColorWhen {
    /// 输出到终端且没有设置 NO_COLOR 时使用颜色
    Auto,
    /// 总是使用颜色（例如输出经管道交给 less -R）
    Always,
    /// 从不使用颜色
    Never,
}

impl Cli {
    /// Parses the arguments of this process with the Chinese help and messages of
    /// src/cli/help_zh.rs and src/cli/errors_zh.rs. A usage error, `--help` and `--version` come
    /// back as the clap error to print (`Error::print`) and exit with (`Error::exit_code`: 2 for
    /// a usage error, as clap's own, 0 for help and version).
    pub fn parse_args() -> Result<Cli, clap::error::Error<ChineseErrors>> {
        Cli::parse_args_from(std::env::args_os())
    }

    /// As `parse_args`, from the given arguments (the first is the program's name).
    pub(crate) fn parse_args_from<I, T>(args: I) -> Result<Cli, clap::error::Error<ChineseErrors>>
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        let args: Vec<std::ffi::OsString> = args.into_iter().map(Into::into).collect();
        // Colour is decided before parsing, so that a usage error is coloured as asked too.
        let when = color::when_in_args(&args);
        color::set(when);
        let mut cmd = help_zh::for_terminal(command()).color(color::for_clap(when));
        let mut matches = cmd
            .try_get_matches_from_mut(args.iter().cloned())
            .map_err(|e| with_usage(e.apply::<ChineseErrors>(), &cmd, &args))?;
        let cli = <Cli as clap::FromArgMatches>::from_arg_matches_mut(&mut matches)
            .map_err(clap::Error::apply::<ChineseErrors>)?;
        color::set(cli.color);
        Ok(cli)
    }

    /// Finds the site (`--root`, else the nearest folder at or above the working folder with a
    /// `site.yaml`, src/locate.rs) and takes the year and department of the folder the command
    /// was run in as the defaults of `check` and `new`, as if they had been typed.
    pub fn locate(mut self) -> anyhow::Result<Cli> {
        match (&self.root_arg, self.command.needs_site()) {
            (Some(root), _) => self.root = root.clone(),
            (None, false) => self.root = PathBuf::from("."),
            (None, true) => {
                let cwd = std::env::current_dir()
                    .map_err(|e| anyhow::anyhow!("无法读取当前目录：{e}"))?;
                let (root, here) = crate::locate::find_site(&cwd)?;
                self.root = root;
                self.here = here;
            }
        }
        self.apply_location();
        Ok(self)
    }

    /// Run inside `content/YEAR/` or `content/YEAR/SLUG/`: `check` and `new` default to that
    /// year and department; `new risk` in `unit/` defaults to the 单位 level.
    fn apply_location(&mut self) {
        let here = self.here.clone();
        let folder = here.folder.filter(|f| f != "unit");
        let in_unit = self.here.folder.as_deref() == Some("unit");
        match &mut self.command {
            Command::Check(args) => {
                args.year = args.year.or(here.year);
                if args.dept.is_none() && !args.all {
                    args.dept = folder.or(in_unit.then(|| "unit".to_string()));
                }
            }
            Command::New(args) => match &mut args.target {
                NewTarget::Risk(risk) => {
                    risk.year = risk.year.or(here.year);
                    if risk.level.is_none() && in_unit {
                        risk.level = Some(Level::Unit);
                    }
                    if risk.dept.is_none() && risk.level != Some(Level::Unit) {
                        risk.dept = folder;
                    }
                }
                NewTarget::Dept(dept) => dept.year = dept.year.or(here.year),
                NewTarget::Year(_) => {}
            },
            _ => {}
        }
    }
}

/// A value refused by its parser (`--port 70000`, `--level 部门`): clap gives no usage line
/// with it, so the message would end with "说明请运行 gongshi --help" whatever the command.
/// The usage of the command the arguments name is added, and the message points to that
/// command's help.
fn with_usage(
    mut error: clap::error::Error<ChineseErrors>,
    cmd: &clap::Command,
    args: &[std::ffi::OsString],
) -> clap::error::Error<ChineseErrors> {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if error.kind() != ErrorKind::ValueValidation || error.get(ContextKind::Usage).is_some() {
        return error;
    }
    let mut current = cmd;
    for word in args.iter().skip(1) {
        let Some(word) = word.to_str() else { continue };
        if word == "--" {
            break;
        }
        if let Some(sub) = current.find_subcommand(word) {
            current = sub;
        }
    }
    error.insert(
        ContextKind::Usage,
        ContextValue::StyledStr(current.clone().render_usage()),
    );
    error
}

impl Command {
    /// Whether the command works on a site (and so looks for one upwards). `init` makes one;
    /// `schema`, `completions` and `man` describe gongshi itself.
    pub(crate) fn needs_site(&self) -> bool {
        !matches!(
            self,
            Command::Init(_) | Command::Schema | Command::Completions(_) | Command::Man(_)
        )
    }
}

/// The command line as gongshi presents it: clap's definition with Chinese headings, help
/// flags and value lists (src/cli/help_zh.rs). `--help`, the parser and the completions are
/// made from this (and the man pages from [`command_for_man`]), never from `Cli::command()`
/// alone.
pub fn command() -> clap::Command {
    help_zh::localize(<Cli as clap::CommandFactory>::command(), Reader::Terminal)
}

/// As [`command`], for clap_mangen, which lists the allowed values itself.
pub(crate) fn command_for_man() -> clap::Command {
    help_zh::localize(<Cli as clap::CommandFactory>::command(), Reader::ManPage)
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// 按实施方案的规则检查全部风险点
    Check(CheckArgs),
    /// 检查后生成公示网站（只含该范围可公示的内容）
    Build(BuildArgs),
    /// 本机预览：生成后在浏览器中查看，修改文件后自动更新，错误直接显示在页面上
    Serve(ServeArgs),
    /// 新建站点：site.yaml、本年度、一个科室和三个层次的示例风险点，可立即检查和生成
    Init(InitArgs),
    /// 从带中文说明的模板新建风险点、科室或年度文件
    New(NewArgs),
    /// 统一文件格式：front matter 字段顺序与正文排版（不改变内容，保留注释与流程图）
    Fmt(FmtArgs),
    /// 生成某年度的全院公示并冻结到 archive/YEAR/（附 sha256 清单）
    Archive(ArchiveArgs),
    /// 按 sha256 清单核对全部归档，列出缺失、多出和被改动的文件
    Verify,
    /// 比较两个年度的风险点：新增、删除、等级、范围、责任人、措施的变化
    Diff(DiffArgs),
    /// 导出台帐（全部风险点，含未公示的，供纪检办内部使用）
    Export(ExportArgs),
    /// 从上一年度转入新年度：复制内容、清空审批、日期顺延
    Carry(CarryArgs),
    /// 生成某科室的 Excel 填报表（附表1–3 的栏目，带下拉选项和计算等级）
    Template(TemplateArgs),
    /// 把填好的 Excel 填报表导入为风险点文件（先按全部规则检查，无误才写入）
    Import(ImportArgs),
    /// 输出命令行补全脚本（bash、zsh、fish、PowerShell、elvish），供安装时使用
    Completions(CompletionsArgs),
    /// 输出 man 手册页（roff 格式），供安装时使用
    Man(ManArgs),
    /// 输出风险点 front matter 的 JSON Schema，供编辑器补全和检查（init 已写入 .vscode/）
    Schema,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// 带源代码行与提示的可读文本
    Human,
    /// JSON 数组：{rule, severity, file, line, column, message}
    Json,
}

#[derive(Debug, Args)]
pub(crate) struct CheckArgs {
    /// 检查哪一年度（默认 site.yaml 的 current_year，否则最新的未归档年度）
    #[arg(long, value_name = "YEAR")]
    pub(crate) year: Option<u16>,
    /// 输出格式
    #[arg(long, value_enum, default_value = "human")]
    pub(crate) format: Format,
    /// 先自动改正可安全改正的问题（等级别名改为一级/二级/三级、补上缺少的等级），再检查
    #[arg(long)]
    pub(crate) fix: bool,
    /// 只按这一公示范围检查正文是否写出看不到的风险点（hidden-mention）：全院，或 科室:科室代号；
    /// 办公室（内部工作版看得到全部风险点，不报 hidden-mention）；不写则按每个正文会出现的全部范围检查
    #[arg(long, value_name = "SCOPE", value_parser = Audience::parse)]
    pub(crate) scope: Option<Audience>,
    /// 只列出这个科室（科室文件夹名，或 unit）的问题；在科室文件夹中运行时默认就是该科室
    #[arg(long, value_name = "SLUG", conflicts_with = "all")]
    pub(crate) dept: Option<String>,
    /// 列出全部科室的问题，即使在科室文件夹中运行
    #[arg(long)]
    pub(crate) all: bool,
}

#[derive(Debug, Args)]
pub(crate) struct BuildArgs {
    /// 生成哪一年度（默认 site.yaml 的 current_year，否则最新的未归档年度）
    #[arg(long, value_name = "YEAR")]
    pub(crate) year: Option<u16>,
    /// 公示范围：全院，科室:科室代号（例如 科室:caiwu），或 办公室（内部工作版：全部风险点、工作进度和各科室打印页，默认输出到 output-office/）
    #[arg(long, value_name = "SCOPE", default_value = "全院", value_parser = Audience::parse)]
    pub(crate) scope: Audience,
    /// 草稿：也显示未审批、不公示和仅科室公示的风险点，逐一标明未公示的原因（内部工作版，默认输出到 output-drafts/，不写入 output/）
    #[arg(long)]
    pub(crate) drafts: bool,
    /// 输出目录（默认 站点根目录/output；办公室范围为 output-office，--drafts 为 output-drafts）
    #[arg(long, short, value_name = "DIR")]
    pub(crate) output: Option<PathBuf>,
    /// 允许替换站点以外、不是 gongshi 生成的非空输出目录（其中原有文件会被删除）
    #[arg(long)]
    pub(crate) force: bool,
}

#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
    /// 预览哪一年度（默认 site.yaml 的 current_year，否则最新的未归档年度）
    #[arg(long, value_name = "YEAR")]
    pub(crate) year: Option<u16>,
    /// 公示范围：全院，科室:科室代号，或 办公室（与 build 相同）
    #[arg(long, value_name = "SCOPE", default_value = "全院", value_parser = Audience::parse)]
    pub(crate) scope: Audience,
    /// 草稿：也显示未审批、不公示和仅科室公示的风险点，逐一标明未公示的原因
    #[arg(long)]
    pub(crate) drafts: bool,
    /// 监听地址；默认只允许本机访问
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
    pub(crate) bind: IpAddr,
    /// 另外允许请求使用的主机名或地址（可多次给出）；默认只回答 localhost、127.0.0.1、[::1] 和 --bind 的地址
    #[arg(long = "allow-host", value_name = "HOST")]
    pub(crate) allow_host: Vec<String>,
    /// 端口；0 表示任选一个空闲端口（实际地址会打印出来）
    #[arg(long, short, value_name = "PORT", default_value_t = 1111)]
    pub(crate) port: u16,
    /// 启动后用系统浏览器打开预览
    #[arg(long)]
    pub(crate) open: bool,
    /// 以轮询方式检查文件变化（用于网络共享目录等收不到变化通知的地方）
    #[arg(long)]
    pub(crate) poll: bool,
}

#[derive(Debug, Args)]
pub(crate) struct InitArgs {
    /// 新站点的目录（默认 --root，即当前目录）；可以不存在
    #[arg(value_name = "DIR")]
    pub(crate) dir: Option<PathBuf>,
    /// 医院全称（默认“某某医院”，之后可在 site.yaml 中修改）
    #[arg(long, value_name = "名称")]
    pub(crate) name: Option<String>,
    /// 年度（默认今年）
    #[arg(long, value_name = "YEAR")]
    pub(crate) year: Option<u16>,
}

#[derive(Debug, Args)]
pub(crate) struct NewArgs {
    #[command(subcommand)]
    pub(crate) target: NewTarget,
}

#[derive(Debug, Subcommand)]
pub(crate) enum NewTarget {
    /// 新建风险点：自动取本科室的下一个编号，填报日期为今天
    Risk(NewRiskArgs),
    /// 新建科室：content/年度/科室代号/_index.md
    Dept(NewDeptArgs),
    /// 新建年度：实施方案的四个阶段（日期换成该年度）、公示期、领导待填，以及 unit/ 文件夹
    Year(NewYearArgs),
}

/// A level as typed: the plan's word, or its English name.
fn parse_level(text: &str) -> Result<Level, String> {
    match text.trim() {
        "post" => Ok(Level::Post),
        "dept" | "department" => Ok(Level::Department),
        "unit" => Ok(Level::Unit),
        other => Level::parse(other).ok_or_else(|| format!("层次应为 {}", Level::choices())),
    }
}

#[derive(Debug, Args)]
pub(crate) struct NewRiskArgs {
    /// 所属科室代号（科室文件夹名，例如 caiwu）；单位层次不用写
    #[arg(long, value_name = "SLUG")]
    pub(crate) dept: Option<String>,
    /// 层次：岗位 | 科室 | 单位（在 unit 文件夹中运行时默认单位）
    #[arg(long, value_name = "LEVEL", value_parser = parse_level)]
    pub(crate) level: Option<Level>,
    /// 编号（默认按本科室已有编号取下一个，例如 CWK-07 之后为 CWK-08）
    #[arg(long, value_name = "ID")]
    pub(crate) id: Option<String>,
    /// 风险点名称
    #[arg(long, value_name = "TITLE")]
    pub(crate) title: Option<String>,
    /// 年度（默认 site.yaml 的 current_year，否则最新的未归档年度）
    #[arg(long, value_name = "YEAR")]
    pub(crate) year: Option<u16>,
}

#[derive(Debug, Args)]
pub(crate) struct NewDeptArgs {
    /// 科室代号，即文件夹名（字母、数字、-、_，例如 caiwu）
    #[arg(value_name = "SLUG")]
    pub(crate) slug: String,
    /// 科室名称，例如 财务科
    #[arg(long, value_name = "名称")]
    pub(crate) name: String,
    /// 科室负责人
    #[arg(long, value_name = "姓名")]
    pub(crate) head: Option<String>,
    /// 联络员
    #[arg(long, value_name = "姓名")]
    pub(crate) liaison: Option<String>,
    /// 重点领域：工程管理 | 人事 | 财务 | 总务 | 药品及医疗器械采购 | 其他
    #[arg(long, value_name = "领域")]
    pub(crate) key_area: Option<String>,
    /// 年度（默认 site.yaml 的 current_year，否则最新的未归档年度）
    #[arg(long, value_name = "YEAR")]
    pub(crate) year: Option<u16>,
}

#[derive(Debug, Args)]
pub(crate) struct NewYearArgs {
    /// 年度，例如 2023
    #[arg(value_name = "YEAR")]
    pub(crate) year: u16,
}

#[derive(Debug, Args)]
pub(crate) struct FmtArgs {
    /// 只检查：列出需要格式化的文件，有则退出码为 1，不修改文件
    #[arg(long)]
    pub(crate) check: bool,
    /// 要格式化的文件或文件夹（默认整个 content/）
    #[arg(value_name = "PATH")]
    pub(crate) paths: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct ArchiveArgs {
    /// 归档哪一年度（生成该年度全院公示，冻结到 archive/YEAR/）
    #[arg(value_name = "YEAR")]
    pub(crate) year: u16,
    /// 覆盖已有的归档（原归档将被替换）
    #[arg(long)]
    pub(crate) force: bool,
}

#[derive(Debug, Args)]
pub(crate) struct DiffArgs {
    /// 上一年度
    #[arg(value_name = "Y1")]
    pub(crate) from: u16,
    /// 本年度
    #[arg(value_name = "Y2")]
    pub(crate) to: u16,
    /// 输出格式
    #[arg(long, value_enum, default_value = "human")]
    pub(crate) format: DiffFormat,
}

/// The formats of `diff`'s report: not check's diagnostics, so its own help text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum DiffFormat {
    /// 可读文本：新增、删除、调整的风险点，每项变化一行
    Human,
    /// JSON 对象：{from, to, added, removed, changed, unchanged}（格式见 docs/annual.md）
    Json,
}

/// The formats of the ledger export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum LedgerFormat {
    /// UTF-8（带 BOM）CSV，Excel 可直接打开
    Csv,
    /// Excel 工作簿：按层次分表，附汇总表和各科室工作进度表（须用 -o 指定文件）
    Xlsx,
    /// JSON（格式见 docs/annual.md）
    Json,
}

#[derive(Debug, Args)]
pub(crate) struct ExportArgs {
    /// 导出哪一年度（默认 site.yaml 的 current_year，否则最新的未归档年度）
    #[arg(long, value_name = "YEAR")]
    pub(crate) year: Option<u16>,
    /// 台帐格式（有 -o 时可不写：按文件扩展名 .csv、.xlsx、.json 确定）
    #[arg(long, value_enum)]
    pub(crate) format: Option<LedgerFormat>,
    /// 输出文件（CSV、JSON 不写则输出到标准输出；XLSX 必须指定）
    #[arg(long, short, value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct CarryArgs {
    /// 新年度（将新建 content/YEAR/）
    #[arg(value_name = "YEAR")]
    pub(crate) year: u16,
    /// 从哪一年度转入（默认 YEAR-1）
    #[arg(long, value_name = "PREV")]
    pub(crate) from: Option<u16>,
}

#[derive(Debug, Args)]
pub(crate) struct TemplateArgs {
    /// 科室代号（科室文件夹名，例如 caiwu）；单位层次的风险点用 unit
    #[arg(long, value_name = "SLUG")]
    pub(crate) dept: String,
    /// 年度（默认 site.yaml 的 current_year，否则最新的未归档年度）
    #[arg(long, value_name = "YEAR")]
    pub(crate) year: Option<u16>,
    /// 填入该科室现有的风险点（在上一年度转入的内容上修改，不必从头填写）
    #[arg(long)]
    pub(crate) filled: bool,
    /// 输出的 Excel 文件（.xlsx）
    #[arg(long, short, value_name = "FILE")]
    pub(crate) output: PathBuf,
    /// 覆盖已存在的同名文件
    #[arg(long)]
    pub(crate) force: bool,
}

#[derive(Debug, Args)]
pub(crate) struct ImportArgs {
    /// 填好的 Excel 填报表（gongshi template 生成的 .xlsx）
    #[arg(value_name = "FILE")]
    pub(crate) file: PathBuf,
    /// 科室代号；不写则按填报表“说明”工作表中的科室代号
    #[arg(long, value_name = "SLUG")]
    pub(crate) dept: Option<String>,
    /// 只检查并列出将新建、更新和不变的文件，不写入
    #[arg(long)]
    pub(crate) dry_run: bool,
    /// 问题的输出格式（json：与 check 相同的字段，另有 sheet、row、header、cell、value）
    #[arg(long, value_enum, default_value = "human")]
    pub(crate) format: Format,
}

#[derive(Debug, Args)]
pub(crate) struct CompletionsArgs {
    /// 哪种命令行：bash | zsh | fish | powershell | elvish
    #[arg(value_name = "SHELL")]
    pub(crate) shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub(crate) struct ManArgs {
    /// 写入这个目录：gongshi.1 与每个子命令一页（gongshi-build.1 等）；不写则把 gongshi.1 输出到标准输出
    #[arg(long, value_name = "DIR")]
    pub(crate) dir: Option<PathBuf>,
}
