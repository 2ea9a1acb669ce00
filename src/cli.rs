//! Command-line definitions (clap). Each command has its own options struct.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "gongshi",
    version,
    about = "公示：把医院风险岗位廉能管理的风险点生成内网公示网站",
    long_about = "gongshi（公示）读取 content/ 中各科室提交的风险点文件，按实施方案的分级规则检查，\n并生成只含可公示内容的静态网站。"
)]
pub struct Cli {
    /// 站点根目录（含 site.yaml 与 content/），默认当前目录
    #[arg(long, global = true, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
    /// 安静：只输出错误
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// 详细：输出更多信息（如黄牌警告汇总）
    #[arg(short, long, global = true)]
    pub verbose: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// 按实施方案的规则检查全部风险点
    Check(CheckArgs),
    /// 检查后生成公示网站（只含该范围可公示的内容）
    Build(BuildArgs),
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
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// 带源代码行与提示的可读文本
    Human,
    /// JSON 数组：{rule, severity, file, line, column, message}
    Json,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// 检查哪一年度（默认 site.yaml 的 current_year 或最新年度）
    #[arg(long, value_name = "YEAR")]
    pub year: Option<u16>,
    /// 输出格式
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// 生成哪一年度（默认 site.yaml 的 current_year 或最新年度）
    #[arg(long, value_name = "YEAR")]
    pub year: Option<u16>,
    /// 公示范围：全院，或 科室:科室代号（例如 科室:caiwu）
    #[arg(long, value_name = "SCOPE", default_value = "全院")]
    pub scope: String,
    /// 输出目录（默认 站点根目录/output）
    #[arg(long, short, value_name = "DIR")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ArchiveArgs {
    /// 归档哪一年度（生成该年度全院公示，冻结到 archive/YEAR/）
    #[arg(value_name = "YEAR")]
    pub year: u16,
    /// 覆盖已有的归档（原归档将被替换）
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// 上一年度
    #[arg(value_name = "Y1")]
    pub from: u16,
    /// 本年度
    #[arg(value_name = "Y2")]
    pub to: u16,
    /// 输出格式
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
}

/// The formats of the ledger export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LedgerFormat {
    /// UTF-8（带 BOM）CSV，Excel 可直接打开
    Csv,
    /// Excel 工作簿：按层次分表并附汇总表（须用 -o 指定文件）
    Xlsx,
    /// JSON（格式见 docs/annual.md）
    Json,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// 导出哪一年度（默认 site.yaml 的 current_year 或最新年度）
    #[arg(long, value_name = "YEAR")]
    pub year: Option<u16>,
    /// 台帐格式
    #[arg(long, value_enum)]
    pub format: LedgerFormat,
    /// 输出文件（CSV、JSON 不写则输出到标准输出；XLSX 必须指定）
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CarryArgs {
    /// 新年度（将新建 content/YEAR/）
    #[arg(value_name = "YEAR")]
    pub year: u16,
    /// 从哪一年度转入（默认 YEAR-1）
    #[arg(long, value_name = "PREV")]
    pub from: Option<u16>,
}
